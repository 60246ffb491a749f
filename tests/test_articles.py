"""Articles: which instrument a «المادة N» belongs to, inside and across paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import extract_document
from kg.ingest import read_document
from kg.nlp import make_nlp
from kg.records import RelationKind


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def _parts(tmp_path: Path, nlp, text: str) -> dict[str, tuple[str, str]]:
    """article snippet → (its paragraph, the snippet of the instrument it is part of)."""
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_document(read_document(path), nlp)
    return {
        r.head.snippet: (r.para, r.tail.snippet)
        for r in result.relations if r.kind == RelationKind.PART_OF
    }


def test_bare_article_after_paragraphs_on_a_code(tmp_path: Path, nlp) -> None:
    text = (
        "120-\tيحدد قانون العمل مدة يوم العمل بأربعين ساعة في الأسبوع.\n"
        "121-\tتنص الفقرتان (أ) و(ب) من المادة 101 على عدم السماح بالعمل ساعات إضافية.\n"
    )
    assert _parts(tmp_path, nlp, text)["المادة 101"] == ("121", "قانون العمل")


def test_bare_article_far_from_any_code_is_not_recorded(tmp_path: Path, nlp) -> None:
    text = (
        "120-\tيحدد قانون العمل مدة يوم العمل بأربعين ساعة في الأسبوع.\n"
        "121-\tويبلغ عدد السكان عشرة ملايين نسمة.\n"
        "122-\tوتتمتع المرأة بحقوق متساوية في التعليم.\n"
        "123-\tوتبلغ نسبة الالتحاق بالمدارس 98 في المائة.\n"
        "124-\tتنص المادة 101 على عدم السماح بالعمل ساعات إضافية.\n"
    )
    assert "المادة 101" not in _parts(tmp_path, nlp, text)


def test_article_with_an_ordinal_in_brackets(tmp_path: Path, nlp) -> None:
    text = (
        "128-\tانضمت الدولة إلى اتفاقية حماية حقوق الإنسان والحريات الأساسية في عام 2002.\n"
        "129-\tوتنص المادة 12 (ثانيا) من دستور جمهورية أذربيجان على أن تعمل الحقوق وفقا للمعاهدات.\n"
    )
    assert _parts(tmp_path, nlp, text)["المادة 12"] == ("129", "دستور جمهورية أذربيجان")
