"""Score what a store holds against hand annotations: precision / recall / F1 per type.

Annotations are JSON lines, one object per paragraph (``tests/data/annotations/*.jsonl``; the
format is described in ``docs/annotation-guide.md``).  Only annotated paragraphs count, and an
annotated paragraph is complete, so everything the system finds there that the annotation lacks
is an extra.  Facts are read back from the store with SPARQL, so the evaluation also checks that
the graph and the query contract carry what extraction produced.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .errors import InputError
from .lexicon import alternation, table
from .normalize import fold, normalize
from .resolve import name_key
from .resources import read_jsonl
from .store import Store

_PREFIXES = """
PREFIX lkg: <https://w3id.org/legalkg/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_INSTRUMENTS = _PREFIXES + """
SELECT ?doc ?para ?type ?date ?issuer ?number ?snippet WHERE {
  ?m a lkg:Mention ; lkg:denotes ?i ; lkg:inParagraph ?p ; lkg:snippet ?snippet .
  ?i a lkg:LegalInstrument ; lkg:typeCode ?type .
  ?p lkg:paragraphNumber ?para ; lkg:document ?d . ?d dcterms:identifier ?doc .
  OPTIONAL { ?i eli:date_document ?date }
  OPTIONAL { ?i eli:number ?number }
  OPTIONAL { ?i eli:passed_by ?by . ?by rdfs:label ?issuer FILTER(LANG(?issuer) = "ar") }
}"""
_INSTITUTIONS = _PREFIXES + """
SELECT ?doc ?para ?snippet ?label WHERE {
  ?m a lkg:Mention ; lkg:denotes ?i ; lkg:inParagraph ?p ; lkg:snippet ?snippet .
  { ?i a lkg:Institution } UNION { ?i a lkg:Post }
  ?p lkg:paragraphNumber ?para ; lkg:document ?d . ?d dcterms:identifier ?doc .
  ?i rdfs:label ?label FILTER(LANG(?label) = "ar")
}"""
_ARTICLES = _PREFIXES + """
SELECT ?doc ?para ?number ?snippet WHERE {
  ?m a lkg:Mention ; lkg:denotes ?a ; lkg:inParagraph ?p ; lkg:snippet ?snippet .
  ?a a lkg:Article ; lkg:articleNumber ?number .
  ?p lkg:paragraphNumber ?para ; lkg:document ?d . ?d dcterms:identifier ?doc .
}"""
_EVENTS = _PREFIXES + """
SELECT ?doc ?para ?kind ?label ?snippet WHERE {
  ?e lkg:evidence ?m ; a ?cls .
  VALUES (?cls ?kind) { (lkg:Abolition "abolishes") (lkg:Replacement "replaces")
                        (lkg:Renaming "renamed") (lkg:Merger "merged") (lkg:Reorganisation "reorganised") }
  { ?e org:resultingOrganization ?i } UNION { ?e org:originalOrganization ?i FILTER NOT EXISTS { ?e org:resultingOrganization ?x } }
  ?i rdfs:label ?label FILTER(LANG(?label) = "ar")
  ?m lkg:inParagraph ?p ; lkg:snippet ?snippet .
  ?p lkg:paragraphNumber ?para ; lkg:document ?d . ?d dcterms:identifier ?doc .
}"""
_TREATY_ACTIONS = _PREFIXES + """
SELECT ?doc ?para ?kind ?label WHERE {
  ?e a lkg:TreatyAction ; lkg:actionKind ?action ; lkg:treaty ?t ; lkg:evidence ?m .
  VALUES (?action ?kind) { ("ratification" "ratified") ("accession" "acceded") ("signature" "signed") }
  ?t rdfs:label ?label FILTER(LANG(?label) = "ar")
  ?m lkg:inParagraph ?p .
  ?p lkg:paragraphNumber ?para ; lkg:document ?d . ?d dcterms:identifier ?doc .
}"""
_SUBORDINATION = _PREFIXES + """
SELECT DISTINCT ?doc ?para ?label ?snippet WHERE {
  ?child lkg:subordinateTo ?parent ; rdfs:label ?label FILTER(LANG(?label) = "ar")
  ?m lkg:denotes ?child ; lkg:inParagraph ?p ; lkg:snippet ?snippet .
  ?m2 lkg:denotes ?parent ; lkg:inParagraph ?p .
  ?p lkg:paragraphNumber ?para ; lkg:document ?d . ?d dcterms:identifier ?doc .
}"""
_ESTABLISHMENTS = _PREFIXES + """
SELECT ?doc ?para ?label ?type ?date ?snippet WHERE {
  ?e a lkg:Establishment ; org:resultingOrganization ?i ; lkg:evidence ?m .
  FILTER NOT EXISTS { ?e lkg:planned true }
  ?i rdfs:label ?label FILTER(LANG(?label) = "ar")
  ?m lkg:inParagraph ?p ; lkg:snippet ?snippet .
  ?p lkg:paragraphNumber ?para ; lkg:document ?d . ?d dcterms:identifier ?doc .
  OPTIONAL { ?e lkg:legalBasis ?ins . ?ins lkg:typeCode ?type .
             OPTIONAL { ?ins eli:date_document ?idate } }
  OPTIONAL { ?e lkg:date ?edate }
  BIND(COALESCE(STR(?idate), STR(?edate), "") AS ?date)
}"""


@dataclass
class Score:
    """Counts of one row of the evaluation table."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Error:
    """A miss (in the annotation, not found) or an extra (found, not in the annotation)."""

    row: str
    kind: str  # "miss" | "extra"
    doc: str
    para: str
    what: str


@dataclass
class Evaluation:
    """The result of :func:`evaluate`."""

    paragraphs: int = 0
    scores: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    errors: list[Error] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "paragraphs": self.paragraphs,
            "scores": {
                k: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
                for k, s in sorted(self.scores.items())
            },
            "errors": [e.__dict__ for e in self.errors],
        }


def load_annotations(paths: Sequence[Path], split: str = "all") -> list[dict]:
    """Read annotation files (or every ``*.jsonl`` of a directory), keeping ``split`` rows."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.glob("*.jsonl")))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"no such annotation file or directory: {p}; check the path")
    if not files:
        raise InputError(f"no *.jsonl annotation files in {', '.join(map(str, paths))}")
    rows = []
    for f in files:
        for row in read_jsonl(f):
            if "doc" not in row or "para" not in row:
                raise InputError(f"{f}: every line needs 'doc' and 'para'; fix the annotation")
            if split == "all" or row.get("split", "dev") == split:
                rows.append(row)
    return rows


@cache
def _issuer_codes() -> dict[str, str]:
    """Map issuer Arabic labels (and forms) to their codes."""
    codes = {}
    for form, row in table("issuers.tsv").items():
        codes[row["label_ar"]] = row["code"]
        codes[form] = row["code"]
    return codes


@cache
def _body_issuer_codes() -> dict[str, str]:
    """Issuer codes by a body's or post's head words: a ministry or a minister → ``ministry``."""
    codes = {fold(f): "ministry" for f, r in table("institution_heads.tsv").items()
             if r["kind"] == "ministry"}
    codes.update({fold(f): r["issuer"] for f, r in table("posts.tsv").items()
                  if r.get("issuer", "-") != "-"})
    return codes


@cache
def _office_holder_forms() -> frozenset[str]:
    """Folded post forms whose holders issue acts (posts.tsv issuer column): «وزير», «رئيس …»."""
    return frozenset(fold(f) for f, r in table("posts.tsv").items() if r.get("issuer", "-") != "-")


def _leading_forms(label: str) -> list[str]:
    """The label's first three, two and one folded words, the article dropped: lexicon keys."""
    words = fold(label).split()
    if words and words[0].startswith("ال"):
        words[0] = words[0][2:]
    return [" ".join(words[:n]) for n in range(min(3, len(words)), 0, -1)]


def _office_holder(label: str) -> bool:
    """A minister or head of government named as a post: a parent or issuer, not a body."""
    return any(form in _office_holder_forms() for form in _leading_forms(label))


def _issuer_code(label: str) -> str:
    """The issuer code of an issuer label: a lexicon issuer, else by the body's head words."""
    code = _issuer_codes().get(label)
    if code:
        return code
    return next((_body_issuer_codes()[form] for form in _leading_forms(label)
                 if form in _body_issuer_codes()), "institution")


@cache
def _state_tail() -> re.Pattern[str]:
    """«… لجمهورية أذربيجان» / «… في دولة قطر» at the end of a name (name_grammar.tsv states)."""
    states = alternation(f for f, row in table("name_grammar.tsv").items() if row["role"] == "state")
    return re.compile(r"\s+(?:في\s+|ل)(?:" + states + r")\s+\S+$")


@cache
def _post_labels() -> frozenset[str]:
    """Arabic labels of issuer posts (President, King …), which annotations do not list."""
    return frozenset(r["label_ar"] for r in table("issuers.tsv").values() if r["kind"] == "post")


def _key(text: str) -> str:
    """Name key of a verbatim snippet or an annotated name.

    A trailing state name is not part of the key: «مكتب المدعي العام لجمهورية أذربيجان» and
    «مكتب المدعي العام» name the same body.
    """
    clean = normalize(text).text
    clean = re.sub(r"\([^)]*\)", " ", clean).strip()
    clean = _state_tail().sub("", fold(clean))
    return name_key(clean)


def _match(
    row: str,
    gold: Iterable[tuple[str, str]],
    found: Iterable[tuple[str, str]],
    ev: Evaluation,
    doc: str,
    para: str,
) -> None:
    """Count matches of (key, shown) items as multisets; record misses and extras."""
    want = Counter(k for k, _ in gold)
    have = Counter(k for k, _ in found)
    shown = {k: s for k, s in list(gold) + list(found)}
    score = ev.scores[row]
    for k in sorted(want.keys() | have.keys(), key=str):  # a set's order varies from run to run
        tp = min(want[k], have[k])
        score.tp += tp
        if want[k] > tp:
            score.fn += want[k] - tp
            ev.errors.append(Error(row, "miss", doc, para, shown[k]))
        if have[k] > tp:
            score.fp += have[k] - tp
            ev.errors.append(Error(row, "extra", doc, para, shown[k]))


def _group(rows: Iterable[dict[str, str]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        grouped[(r["doc"], r["para"])].append(r)
    return grouped


def evaluate(annotations: list[dict], store: Store) -> Evaluation:
    """Compare annotated paragraphs with the facts the store holds for them."""
    instruments = _group(store.query(_INSTRUMENTS))
    institutions = _group(store.query(_INSTITUTIONS))
    articles = _group(store.query(_ARTICLES))
    events = _group(store.query(_EVENTS))
    subordination = _group(store.query(_SUBORDINATION))
    treaty_actions = _group(store.query(_TREATY_ACTIONS))
    establishments = _group(store.query(_ESTABLISHMENTS))
    ev = Evaluation()
    seen: set[tuple[str, str]] = set()
    for a in annotations:
        where = (a["doc"], str(a["para"]))
        if where in seen:
            continue
        seen.add(where)
        ev.paragraphs += 1
        doc, para = where
        sys_ins = _dedupe(instruments.get(where, []), ("type", "date", "snippet"))
        gold_ins = a.get("instruments", [])
        _match("instrument (type)",
               [(g["type"], g.get("quote", g["type"])) for g in gold_ins],
               [(s["type"], s["snippet"]) for s in sys_ins], ev, doc, para)
        _match("instrument (type+date)",
               [(f"{g['type']} {g['date']}", g.get("quote", "")) for g in gold_ins if g.get("date")],
               [(f"{s['type']} {s['date']}", s["snippet"]) for s in sys_ins if s["date"]],
               ev, doc, para)
        for code in sorted({g["type"] for g in gold_ins} | {s["type"] for s in sys_ins}):
            _match(f"type:{code}",
                   [(g.get("date", ""), g.get("quote", "")) for g in gold_ins if g["type"] == code],
                   [(s["date"], s["snippet"]) for s in sys_ins if s["type"] == code], ev, doc, para)
        issuers = [(f"{g['type']} {g.get('date', '')} {g['issuer']}", g.get("quote", ""))
                   for g in gold_ins if g.get("issuer") and g.get("date")]
        _match("instrument issuer", issuers,
               [(f"{s['type']} {s['date']} {_issuer_code(s['issuer'])}",
                 s["snippet"]) for s in sys_ins if s["issuer"] and s["date"]], ev, doc, para)
        gold_inst = [(_key(g["name"]), g["name"]) for g in a.get("institutions", [])]
        sys_inst = {}
        for s in institutions.get(where, []):
            if s["label"] in _post_labels() or _office_holder(s["label"]):
                continue  # the President, the Cabinet, a minister as issuer or parent: not bodies
            sys_inst.setdefault(s["snippet"], (_key(s["snippet"]), s["snippet"]))
        _match("institution", _unique(gold_inst), _unique(sys_inst.values()), ev, doc, para)
        gold_art = [(str(g["article"]), f"المادة {g['article']}") for g in a.get("articles", [])]
        sys_art = [(s["number"], s["snippet"]) for s in articles.get(where, [])]
        _match("article", gold_art, sys_art, ev, doc, para)
        gold_est = [g for g in a.get("establishments", []) if not g.get("planned")]
        sys_est = _dedupe(establishments.get(where, []), ("label", "type", "date"))
        _match("establishment (strict)",
               [(_strict(g), g["institution"]) for g in gold_est],
               [(f"{_key(s['label'])}|{s['type']}|{s['date']}", s["label"]) for s in sys_est],
               ev, doc, para)
        _match("establishment (lenient)",
               [(_key(g["institution"]), g["institution"]) for g in gold_est],
               [(_key(s["label"]), s["label"]) for s in sys_est], ev, doc, para)
        rels = a.get("relations", [])
        for kind in ("abolishes", "replaces", "renamed", "merged", "reorganised"):
            _match(f"relation {kind}",
                   [(_key(r["head"] if kind != "abolishes" else r["tail"]), r["head"])
                    for r in rels if r["kind"] == kind],
                   [(_key(s["label"]), s["label"]) for s in events.get(where, [])
                    if s["kind"] == kind], ev, doc, para)
        for kind in ("ratified", "acceded", "signed"):
            _match(f"relation {kind}",
                   [(kind, r["head"]) for r in rels if r["kind"] == kind],
                   [(kind, s["label"]) for s in treaty_actions.get(where, []) if s["kind"] == kind],
                   ev, doc, para)
        _match("relation subordinate_to",
               _unique([(_key(r["head"]), r["head"]) for r in rels if r["kind"] == "subordinate_to"]),
               _unique([(_key(s["label"]), s["label"]) for s in subordination.get(where, [])]),
               ev, doc, para)
    return ev


def _strict(g: dict) -> str:
    """The strict establishment key: institution, instrument type and date."""
    return f"{_key(g['institution'])}|{g.get('instrument_type', '')}|{g.get('instrument_date', '')}"


def _dedupe(rows: list[dict[str, str]], keys: tuple[str, ...]) -> list[dict[str, str]]:
    seen, out = set(), []
    for r in rows:
        k = tuple(r.get(x, "") for x in keys)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _unique(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for k, s in items:
        seen.setdefault(k, s)
    return list(seen.items())


def evaluate_corpus(
    annotations: list[dict], corpus: Path, store_dir: Path | None = None
) -> Evaluation:
    """Evaluate against ``store_dir``, or build the annotated documents of ``corpus`` first."""
    if store_dir is not None:
        with Store.open(store_dir, create=False) as store:
            return evaluate(annotations, store)
    import tempfile

    from .build import build

    docs = sorted({a["doc"] for a in annotations})
    missing = [d for d in docs if not (corpus / d).is_file()]
    if missing:
        raise InputError(
            f"annotated document {missing[0]} is not in {corpus}; pass --corpus DIR or --store DIR"
        )
    with tempfile.TemporaryDirectory(prefix="legalkg-eval-") as tmp:
        summary = build([corpus / d for d in docs], Path(tmp) / "out", validate=False)
        with Store.open(summary.store_path, create=False) as store:
            return evaluate(annotations, store)
