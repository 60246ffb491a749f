"""Agreement between two annotations of the same paragraphs (F1 of one against the other).

Usage: uv run python tools/agreement.py FIRST.jsonl SECOND.jsonl

Only paragraphs present in SECOND are compared. Facts are matched as `legalkg eval` matches
them: names by `kg.resolve.name_key`, establishments strictly (institution, instrument type,
date) and leniently (institution), planned creations left out.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from kg.resolve import name_key

Row = dict
Facts = Callable[[Row], Counter]

ROWS: dict[str, Facts] = {
    "establishment (strict)": lambda r: Counter(
        (name_key(e["institution"]), e["instrument_type"], e["instrument_date"])
        for e in r["establishments"] if not e.get("planned")),
    "establishment (lenient)": lambda r: Counter(
        name_key(e["institution"]) for e in r["establishments"] if not e.get("planned")),
    "instrument (type)": lambda r: Counter(i["type"] for i in r["instruments"]),
    "instrument (type+date)": lambda r: Counter(
        (i["type"], i["date"]) for i in r["instruments"] if i["date"]),
    "institution": lambda r: Counter(name_key(i["name"]) for i in r["institutions"]),
    "subordination": lambda r: Counter(
        (name_key(x["head"]), name_key(x["tail"])) for x in r["relations"]
        if x["kind"] == "subordinate_to"),
    "article": lambda r: Counter(str(a["article"]) for a in r["articles"]),
}
EMPTY: Row = {"establishments": [], "instruments": [], "institutions": [], "relations": [],
              "articles": []}


def _read(path: Path) -> dict[tuple[str, str], Row]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {(r["doc"], r["para"]): r for r in rows}


def agreement(first: dict, second: dict) -> dict[str, tuple[float, int, int, int]]:
    """Row → (F1, facts in first, facts in second, facts in both)."""
    result = {}
    for name, facts in ROWS.items():
        a, b = Counter(), Counter()
        for key in sorted(second):
            a.update({(key, v): n for v, n in facts(first.get(key, EMPTY)).items()})
            b.update({(key, v): n for v, n in facts(second[key]).items()})
        both = sum((a & b).values())
        p, r = both / max(1, sum(b.values())), both / max(1, sum(a.values()))
        result[name] = (2 * p * r / (p + r) if p + r else 1.0, sum(a.values()), sum(b.values()), both)
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    first, second = _read(Path(argv[0])), _read(Path(argv[1]))
    print(f"{len(second)} paragraphs")
    for name, (f1, n1, n2, both) in agreement(first, second).items():
        print(f"{name:26} F1 {f1:.3f}  ({n1} / {n2} facts, {both} in both)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
