"""Run every sentence of ``lexicons/examples.tsv`` through the extraction pipeline.

Each row names one phenomenon (royal decrees, Gulf numbering, Hijri dates, name boundaries …)
and what must, or must not, be found; the sentences are written for other states' reports too,
so the rules are checked beyond the sample corpus.
"""

from __future__ import annotations

import pytest

from kg.lexicon import fold_form
from kg.nlp import ParagraphFinds
from kg.normalize import normalize
from kg.resolve import name_key
from kg.resources import read_tsv

ROWS = read_tsv("examples.tsv")


def finds(nlp, text: str) -> ParagraphFinds:
    return nlp(normalize(text).text).user_data["kg"]


def _names(items) -> set[str]:
    return {name_key(x.label) for x in items}


@pytest.mark.parametrize("row", ROWS, ids=[r["phenomenon"] for r in ROWS])
def test_example(nlp, row: dict[str, str]) -> None:
    found = finds(nlp, row["text"])
    expect = row["expect"].split("|")
    kind = row["kind"]
    if kind == "instrument":
        got = [
            (i.type, i.date.iso if i.date else "", i.issuer, i.number) for i in found.instruments
        ]
        want = tuple(expect + [""] * (4 - len(expect)))
        assert any(g[: len(expect)] == want[: len(expect)] for g in got), got
    elif kind == "institution":
        assert name_key(expect[0]) in _names(found.institutions), [
            i.label for i in found.institutions
        ]
    elif kind == "establishment":
        got = [
            (name_key(r.head.label), r.tail.type if r.tail else "", r.date.iso if r.date else "")
            for r in found.relations
            if r.kind == "established_by" and not r.planned
        ]
        assert (name_key(expect[0]), expect[1], expect[2]) in got, got
    elif kind in ("subordinate", "replaces"):
        code = {"subordinate": "subordinate_to", "replaces": "replaces"}[kind]
        got = [
            (name_key(r.head.label), name_key(r.tail.label))
            for r in found.relations
            if r.kind == code and r.tail
        ]
        assert (name_key(expect[0]), name_key(expect[1])) in got, got
    elif kind.startswith("relation:"):
        code = kind.split(":", 1)[1]
        got = [
            (fold_form(r.head.label), fold_form(r.tail.label) if r.tail else "")
            for r in found.relations
            if r.kind == code
        ]
        head, tail = fold_form(expect[0]), fold_form(expect[1]) if len(expect) > 1 else ""
        assert any(head in h and (tail in t if tail else True) for h, t in got), got
    elif kind == "article":
        assert expect[0] in [a.number for a in found.articles]
    elif kind == "none":
        what = expect[0]
        if what == "establishment":
            assert not [r for r in found.relations if r.kind == "established_by" and not r.planned]
        elif what == "institution":
            assert not found.institutions, [i.label for i in found.institutions]
        elif what == "instrument":
            assert not found.instruments, [i.label for i in found.instruments]
        elif what == "dated-treaty":
            assert not [i for i in found.instruments if i.type == "treaty" and i.date], [
                (i.label, i.date) for i in found.instruments
            ]
        elif what.startswith("relation:"):
            code = what.split(":", 1)[1]
            assert not [r for r in found.relations if r.kind == code], found.relations
        else:
            pytest.fail(f"unknown 'none' target {what!r} in examples.tsv")
    else:
        pytest.fail(f"unknown kind {kind!r} in examples.tsv")
