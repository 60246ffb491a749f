"""How `legalkg eval` maps issuers and posts of the graph to the annotation codes."""

from __future__ import annotations

import pytest

from kg.evaluate import _issuer_code, _office_holder


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("رئيس الجمهورية", "president"),  # a lexicon issuer
        ("وزير العدل", "ministry"),  # a minister (posts.tsv issuer column)
        ("وزارة الداخلية", "ministry"),  # a ministry (institution_heads.tsv kind)
        ("المجلس القضائي", "institution"),  # any other body
    ],
)
def test_issuer_code(label: str, code: str) -> None:
    assert _issuer_code(label) == code


def test_ministers_are_office_holders_not_bodies() -> None:
    assert _office_holder("وزير الداخلية")
    assert _office_holder("الوزير المختص")
    assert not _office_holder("وزارة الداخلية")
    assert not _office_holder("مفوض حقوق الإنسان")  # an ombudsman post is annotated as a body
