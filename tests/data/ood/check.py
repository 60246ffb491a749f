"""Consistency check for the out-of-domain (OOD) test set.

Usage: python tests/data/ood/check.py [annotations.jsonl] [corpus_dir]

Checks that every annotation line parses and follows docs/annotation-guide.md:
doc file exists, para number starts a paragraph in that file, quotes / names /
relation ends / parents occur verbatim in the paragraph text, types and kinds are
from the guide's lists, dates are ISO (YYYY, YYYY-MM, YYYY-MM-DD).
Exit code 0 when everything passes.
"""
import datetime
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ANN = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "annotations"
CORPUS = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE / "corpus"

KEYS = ["doc", "para", "split", "instruments", "institutions", "establishments", "relations", "articles"]
INSTR_TYPES = {"constitution", "constitutional_law", "law", "decree", "order", "decision", "regulation",
               "treaty", "programme", "strategy", "action_plan", "concept", "other"}
ISSUERS = {"", "president", "cabinet", "parliament", "constitutional_court", "supreme_court", "court",
           "ministry", "prime_minister", "king", "emir", "sultan", "un_body", "other"}
INST_KINDS = {"ministry", "agency", "service", "committee", "commission", "council", "court", "fund",
              "foundation", "centre", "institute", "academy", "office", "inspectorate", "department",
              "post", "parliament", "government", "union", "organisation", "other"}
REL_KINDS = {"subordinate_to", "approves", "amends", "repeals", "abolishes", "replaces", "renamed",
             "merged", "reorganised", "ratified", "acceded", "signed"}
PARA_RE = re.compile(r"^\s*(\d(?:\s?\d)*)\s*-\s")
PERIOD_RE = re.compile(r"^\d{4}-\d{4}$")


def paragraphs(path):
    """para number (str) -> text; lines without a number belong to the previous paragraph."""
    paras, cur = {}, "0"
    for line in path.read_text(encoding="utf-8").splitlines():
        m = PARA_RE.match(line)
        if m:
            cur = re.sub(r"\s", "", m.group(1))
            if cur in paras:
                raise ValueError(f"{path.name}: paragraph {cur} occurs twice")
            paras[cur] = line[m.end():]
        else:
            paras[cur] = paras.get(cur, "") + "\n" + line
    return paras


def iso_ok(d):
    if d == "":
        return True
    try:
        if re.fullmatch(r"\d{4}", d):
            return True
        if re.fullmatch(r"\d{4}-\d{2}", d):
            datetime.date(int(d[:4]), int(d[5:7]), 1)
            return True
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
            datetime.date.fromisoformat(d)
            return True
    except ValueError:
        return False
    return False


def occurs(name, text):
    """verbatim, or after a stripped proclitic: «للمجلس» holds «المجلس»."""
    if name in text:
        return True
    return name.startswith("ال") and ("ل" + name[1:]) in text


def main():
    errors, counts = [], Counter()
    per_doc = {}
    cache = {}
    seen = set()
    files = sorted(ANN.glob("*.jsonl")) if ANN.is_dir() else [ANN]
    lines = [(f"{f.name}:{n}", raw) for f in files
             for n, raw in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)]
    for ln, raw in lines:
        if not raw.strip():
            continue
        where = f"line {ln}"
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: bad JSON: {e}")
            continue
        if list(rec) != KEYS:
            errors.append(f"{where}: keys {list(rec)} != {KEYS}")
            continue
        doc, para = rec["doc"], rec["para"]
        where = f"line {ln} ({doc} para {para})"
        if (doc, para) in seen:
            errors.append(f"{where}: duplicate paragraph")
        seen.add((doc, para))
        if rec["split"] not in ("dev", "heldout"):
            errors.append(f"{where}: split is {rec['split']!r}")
        path = CORPUS / doc
        if not path.exists():
            errors.append(f"{where}: no such document {path}")
            continue
        if doc not in cache:
            cache[doc] = paragraphs(path)
        text = cache[doc].get(para)
        if text is None:
            errors.append(f"{where}: no paragraph «{para}-» in {doc}")
            continue
        c = per_doc.setdefault(doc, Counter())
        c["paragraphs"] += 1
        if not any(rec[k] for k in KEYS[3:]):
            c["empty"] += 1
        quotes, names = set(), set()
        for x in rec["instruments"]:
            c["instruments"] += 1
            if x.get("date"):
                c["dated instruments"] += 1
            if x["type"] not in INSTR_TYPES:
                errors.append(f"{where}: instrument type {x['type']!r}")
            if x["issuer"] not in ISSUERS:
                errors.append(f"{where}: issuer {x['issuer']!r}")
            if not iso_ok(x["date"]):
                errors.append(f"{where}: bad date {x['date']!r}")
            if "period" in x and not PERIOD_RE.match(x["period"]):
                errors.append(f"{where}: bad period {x['period']!r}")
            if not x["quote"] or x["quote"] not in text:
                errors.append(f"{where}: quote not in text: {x['quote']!r}")
            if x["quote"] in quotes:
                errors.append(f"{where}: instrument listed twice: {x['quote']!r}")
            quotes.add(x["quote"])
            extra = set(x) - {"type", "date", "issuer", "number", "title", "quote", "period"}
            if extra:
                errors.append(f"{where}: unknown instrument keys {extra}")
        for x in rec["institutions"]:
            c["institutions"] += 1
            if x["kind"] not in INST_KINDS:
                errors.append(f"{where}: institution kind {x['kind']!r}")
            if not occurs(x["name"], text):
                errors.append(f"{where}: institution name not in text: {x['name']!r}")
            if x["name"] in names:
                errors.append(f"{where}: institution listed twice: {x['name']!r}")
            if x["name"][:1] in "وبف" and x["name"][1:3] == "ال":
                errors.append(f"{where}: leading conjunction/preposition: {x['name']!r}")
            names.add(x["name"])
        for x in rec["establishments"]:
            c["establishments"] += 1
            if x["institution"] not in names:
                errors.append(f"{where}: establishment of unlisted institution {x['institution']!r}")
            if x["instrument_type"] not in INSTR_TYPES | {""}:
                errors.append(f"{where}: instrument_type {x['instrument_type']!r}")
            if x["issuer"] not in ISSUERS:
                errors.append(f"{where}: establishment issuer {x['issuer']!r}")
            if not iso_ok(x["instrument_date"]):
                errors.append(f"{where}: bad instrument_date {x['instrument_date']!r}")
            if x["parent"] and not occurs(x["parent"], text):
                errors.append(f"{where}: parent not in text: {x['parent']!r}")
            if not isinstance(x["planned"], bool):
                errors.append(f"{where}: planned must be a bool")
            if x["instrument_type"] and not any(i["type"] == x["instrument_type"] for i in rec["instruments"]):
                errors.append(f"{where}: establishment instrument type {x['instrument_type']!r} not among instruments")
        for x in rec["relations"]:
            c["relations"] += 1
            if x["kind"] not in REL_KINDS:
                errors.append(f"{where}: relation kind {x['kind']!r}")
            for end in ("head", "tail"):
                v = x[end]
                if v == "" and end == "tail" and x["kind"] in {"ratified", "acceded", "signed"}:
                    continue
                if not occurs(v, text):
                    errors.append(f"{where}: relation {end} not in text: {v!r}")
                elif v not in names and v not in quotes and not (x["kind"] == "subordinate_to" and end == "tail"):
                    errors.append(f"{where}: relation {end} is neither an institution nor an instrument quote: {v!r}")
            if "date" in x and not iso_ok(x["date"]):
                errors.append(f"{where}: bad relation date {x['date']!r}")
        for x in rec["articles"]:
            c["articles"] += 1
            if not re.fullmatch(r"\d+(-\d+)?", x["article"]):
                errors.append(f"{where}: article {x['article']!r}")
            if x["instrument"] and x["instrument"] not in quotes:
                errors.append(f"{where}: article instrument is not an instrument quote: {x['instrument']!r}")
    # every numbered paragraph of every document should be annotated
    for doc, paras in cache.items():
        for p in paras:
            if p != "0" and (doc, p) not in seen:
                errors.append(f"{doc}: paragraph {p} has no annotation line")
    cols = ["paragraphs", "empty", "establishments", "instruments", "dated instruments", "institutions",
            "relations", "articles"]
    print(f"{'doc':<20}" + "".join(f"{h:>18}" for h in cols))
    for doc in sorted(per_doc):
        print(f"{doc:<20}" + "".join(f"{per_doc[doc][h]:>18}" for h in cols))
        counts.update(per_doc[doc])
    print(f"{'TOTAL':<20}" + "".join(f"{counts[h]:>18}" for h in cols))
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
