"""kg.metadata: title, UN symbol and date of receipt from a report's cover page."""

from __future__ import annotations

from kg.metadata import document_metadata
from kg.normalize import normalize
from kg.paragraphs import split_paragraphs

COVER = (
    "\t\tوثيقة أساسية موحَّدة تشكل جزءاً من تقارير الدول الأطراف\n"
    "\t\tالمغرب\n\n"
    "[تاريخ الاستلام: 3 آذار/مارس 2021]\n\n"
    "HRI/CORE/MAR/2021\n\n"
    "1-\tتقع المملكة المغربية في شمال أفريقيا.\n"
)


def meta(text: str):
    norm = normalize(text)
    return document_metadata(split_paragraphs(norm, "x.txt"))


def test_cover_page_gives_title_symbol_and_date() -> None:
    m = meta(COVER)
    assert m.title == "وثيقة أساسية موحدة تشكل جزءا من تقارير الدول الأطراف"
    assert m.symbol == "HRI/CORE/MAR/2021"
    assert m.date is not None and m.date.iso == "2021-03-03"


def test_report_starting_mid_document_has_no_title() -> None:
    m = meta("السنة\n\nمانات\n\n1993\n\n89-\tيرصد نظام الحد الأدنى للأجور.\n")
    assert (m.title, m.symbol, m.date) == ("", "", None)


def test_no_front_matter_no_metadata() -> None:
    assert meta("1-\tنص الفقرة الأولى.\n").title == ""


def test_sample_cover_page(built_sample) -> None:
    text = built_sample.graph_path.read_text(encoding="utf-8")
    assert '"2023-10-10"^^xsd:date' in text
    assert "وثيقة أساسية موحدة تشكل جزءا من تقارير الدول الأطراف" in text
