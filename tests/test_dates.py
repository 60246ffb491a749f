"""kg.dates: Arabic date expressions at the precision the text gives."""

from __future__ import annotations

import pytest

from kg.dates import find_dates, month_number, parse_date
from kg.normalize import normalize


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("بتاريخ 19 كانون الأول/ديسمبر 2011", "2011-12-19"),  # doubled UN month form
        ("بتاريخ 19 كانون الأول/  ديسمبر 2011", "2011-12-19"),  # spaces after the slash
        ("في 17 آب/أغسطس 2006", "2006-08-17"),
        ("في 3 ديسمبر 2011", "2011-12-03"),  # Egyptian/Gulf spelling alone
        ("في 3 كانون الأول 2011", "2011-12-03"),  # Levantine spelling alone
        ("من 1تموز/يوليه 1993", "1993-07-01"),  # day glued to the month
        ("في أيار/مايو 2019", "2019-05"),  # month and year
        ("في عام 2012", "2012"),  # year only
        ("لسنة 2015", "2015"),
        ("1436 هـ", "2015"),  # Hijri year -> Gregorian year of its middle
        ("5 رمضان 1436 هـ", "2015-06-22"),  # Hijri day (Umm al-Qura)
    ],
)
def test_dates(text: str, iso: str) -> None:
    date = parse_date(text)
    assert date is not None and date.iso == iso


def test_split_digits_and_arabic_indic_through_normalisation() -> None:
    assert parse_date(normalize("في 1 0 كانون الثاني/يناير 1997").text).iso == "1997-01-10"
    assert parse_date(normalize("في ١٠ تشرين الثاني/نوفمبر ٢٠٠٥").text).iso == "2005-11-10"


@pytest.mark.parametrize("text", ["31 شباط/فبراير 2020", "30 شباط/فبراير 2021"])
def test_impossible_day_is_reported_not_guessed(text: str) -> None:
    (match,) = find_dates(text)
    assert match.date is None and "does not exist" in match.problem


def test_year_zero_is_rejected() -> None:
    (match,) = find_dates("في عام 0000")
    assert match.date is None and "outside" in match.problem


def test_precision_is_kept() -> None:
    assert parse_date("في أيار/مايو 2019").precision == "month"
    assert parse_date("في عام 2012").precision == "year"
    assert parse_date("في 1 أيار/مايو 2019").precision == "day"


def test_month_number_reads_both_spellings() -> None:
    assert month_number("كانون الأول/ديسمبر") == (12, "gregorian")
    assert month_number("يونيه") == (6, "gregorian")
    assert month_number("شوال") == (10, "hijri")


def test_offsets_cover_the_expression() -> None:
    text = "صدر المرسوم بتاريخ 19 آذار/مارس 2007 عن الرئيس"
    (match,) = find_dates(text)
    assert text[match.start : match.end] == "19 آذار/مارس 2007"


def test_no_date_in_plain_numbers() -> None:
    assert find_dates("بلغ عدد الطوائف 993 طائفة و 000 350 شخص") == []
