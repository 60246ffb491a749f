"""tools/agreement.py: agreement between two annotations of the same out-of-domain paragraphs."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from agreement import _read, agreement

FIRST = ROOT / "tests/data/ood/annotations/ood_heldout.jsonl"
SECOND = ROOT / "tests/data/ood/second/ood_heldout_second.jsonl"


def test_an_annotation_agrees_with_itself() -> None:
    first = _read(FIRST)
    assert all(f1 == 1.0 for f1, *_ in agreement(first, first).values())


def test_second_annotation_is_compared_on_its_own_paragraphs() -> None:
    first, second = _read(FIRST), _read(SECOND)
    scores = agreement(first, second)
    establishments = sum(
        1 for key in second for e in second[key]["establishments"] if not e.get("planned"))
    f1, _n1, n2, both = scores["establishment (strict)"]
    assert n2 == establishments and both <= n2
    assert 0.5 < f1 < 1.0  # two careful annotators differ on a few dates and types, not on most
