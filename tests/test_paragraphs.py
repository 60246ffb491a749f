"""Tests for kg.paragraphs: UN numbering quirks, attachments, rejected figures, real corpus."""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from kg.normalize import normalize
from kg.paragraphs import paragraph_number, split_paragraphs, split_paragraphs_with_diagnostics
from kg.records import Diagnostic, Normalized, Paragraph
from kg.resources import corpus_dir

DOC_000 = "000_6cf377918dd049db.txt"
DOC_001 = "001_31d65159885b43bc.txt"


def split(text: str) -> list[Paragraph]:
    return split_paragraphs(normalize(text), "doc.txt")


def numbers(text: str) -> list[str]:
    return [p.number for p in split(text)]


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("157-", 157),
        ("157-\t", 157),
        ("9 3-", 93),  # 001: «9 3- عملاً بالفقرة»
        ("1 77-", 177),  # 001: «1 77- في كل الحالات»
        ("1-", 1),
        (" 12 -", 12),
    ],
)
def test_paragraph_number(label: str, number: int) -> None:
    assert paragraph_number(label) == number


@pytest.mark.parametrize("label", ["157", "أولاً-", "(أ)", "-", "2019-2023", "12345-", "1  2-", ""])
def test_paragraph_number_rejects(label: str) -> None:
    assert paragraph_number(label) is None


def test_numbered_paragraphs_and_preamble() -> None:
    text = "وثيقة أساسية\n\tأولاً-\tمعلومات عامة\n1-\tتقع أذربيجان.\n2-\tوجمهورية أذربيجان دولة.\n"
    paras = split(text)
    assert [(p.number, p.index) for p in paras] == [("0", 0), ("1", 1), ("2", 2)]
    assert paras[0].text == "وثيقة أساسية\n أولا- معلومات عامة"
    assert paras[1].text == "1- تقع أذربيجان."
    assert paras[2].text == "2- وجمهورية أذربيجان دولة."


def test_no_preamble_paragraph_when_text_starts_with_a_number() -> None:
    assert numbers("1- أولا.\n2- ثانيا.") == ["1", "2"]


def test_text_without_numbers_is_paragraph_zero() -> None:
    paras = split("نص بلا أرقام\nسطر ثان")
    assert [(p.number, p.text) for p in paras] == [("0", "نص بلا أرقام\nسطر ثان")]


def test_numbers_broken_by_spaces() -> None:
    text = "91- أولا.\n\n92- ثانيا.\n\n9 3- عملا بالفقرة.\n\n94- رابعا."
    assert numbers(text) == ["91", "92", "93", "94"]


def test_lettered_items_and_headings_attach_to_preceding_paragraph() -> None:
    text = (
        "176- يحق للفئات التالية:\n\n(أ) العمال؛\n\n(ب) الإناث؛\n\n"
        "جيم - الحق في الضمان الاجتماعي\n\n1 77- في كل الحالات."
    )
    paras = split(text)
    assert [p.number for p in paras] == ["176", "177"]
    assert "(أ) العمال" in paras[0].text and "(ب) الإناث" in paras[0].text
    assert paras[0].text.endswith("جيم - الحق في الضمان الاجتماعي")


def test_table_values_and_list_numbers_rejected() -> None:
    text = (
        "10- الجدول التالي:\n"
        "1993\n184.7 2\n"
        "2- بند من قائمة داخلية\n"  # lower than the current number: a list item
        "500- قيمة في جدول\n"  # far ahead: a figure
        "11- الفقرة التالية.\n"
    )
    paras, diags = split_paragraphs_with_diagnostics(normalize(text), "doc.txt")
    assert [p.number for p in paras] == ["10", "11"]
    assert "500- قيمة في جدول" in paras[0].text
    assert [d.message for d in diags] == [
        "line 4: 2 at the start of a line is not taken as a paragraph number "
        + "(the previous one is 10); kept as text",
        "line 5: 500 at the start of a line is not taken as a paragraph number "
        + "(the previous one is 10); kept as text",
    ]
    assert all(d.level == "info" and d.doc_id == "doc.txt" for d in diags)


def test_a_bogus_candidate_does_not_hide_the_real_sequence() -> None:
    # «30-» is within reach of 12 but the longest chain 12, 13, 14 wins
    text = "12- أ.\n30- رقم في جدول\n13- ب.\n14- ج."
    assert numbers(text) == ["12", "13", "14"]


def test_gap_is_reported() -> None:
    _, diags = split_paragraphs_with_diagnostics(normalize("1- أ.\n2- ب.\n5- ج."), "d.txt")
    assert diags == [
        Diagnostic("warning", "line 3: paragraph numbers jump from 2 to 5", "d.txt", "5")
    ]


def test_dashless_number_fills_a_single_gap_only_after_a_tab() -> None:
    text = "272-\tأ.\n273\tومنذ عام 2020.\n274-\tب."
    paras, diags = split_paragraphs_with_diagnostics(normalize(text), "d.txt")
    assert [p.number for p in paras] == ["272", "273", "274"]
    assert diags[0].message == "line 2: paragraph 273 has no dash after its number; taken as one"
    assert numbers("272- أ.\n273 ومنذ عام 2020.\n274- ب.") == ["272", "274"]


def test_paragraph_offsets_index_the_normalised_text() -> None:
    norm = normalize("مقدمة\n1-\tأنشئت الوكالة.\n2-\tب.")
    for p in split_paragraphs(norm, "d.txt"):
        assert p.text == norm.text[p.start : p.end]
        assert p.doc_id == "d.txt"


def test_empty_text() -> None:
    assert split("") == [Paragraph("doc.txt", "0", 0, 0, 0, "")]


# --- the real corpus -----------------------------------------------------------------------


@cache
def corpus_norm(name: str) -> Normalized:
    return normalize((corpus_dir() / name).read_text(encoding="utf-8"))


def corpus(name: str) -> tuple[list[Paragraph], list[Diagnostic]]:
    return split_paragraphs_with_diagnostics(corpus_norm(name), name)


def test_corpus_000() -> None:
    paras, diags = corpus(DOC_000)
    assert [p.number for p in paras] == [str(n) for n in range(339)]
    assert [p.index for p in paras] == list(range(339))
    assert "مؤسسة الشباب" in paras[157].text
    assert paras[157].text.startswith("157- ")
    assert [d.message for d in diags] == [
        "line 397: paragraph 273 has no dash after its number; taken as one"
    ]


def test_corpus_001() -> None:
    paras, diags = corpus(DOC_001)
    assert [p.number for p in paras] == ["0"] + [str(n) for n in range(89, 472)]
    assert paras[0].text.startswith("السنة\n\nمانات")  # the table before paragraph 89
    by_number = {p.number: p for p in paras}
    assert by_number["93"].text.startswith("9 3- عملا بالفقرة السادسة")
    assert by_number["177"].text.startswith("1 77- في كل الحالات")
    assert diags == []


@pytest.mark.parametrize("name", [DOC_000, DOC_001])
def test_corpus_paragraphs_tile_the_text(name: str) -> None:
    norm = corpus_norm(name)
    paras = split_paragraphs(norm, name)

    def squeeze(s: str) -> str:
        return s.replace("\n", "").replace(" ", "")

    assert squeeze("".join(p.text for p in paras)) == squeeze(norm.text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(paras))
