"""Arabic date expressions -> :class:`~kg.records.Date` at the precision the text gives; pure.

Handles both month spellings and the doubled UN form «كانون الأول/ديسمبر», day/month/year,
month/year, «في عام 2012», numeric dates («12/5/2015», «1434/11/15 هـ»), Hijri dates («1436 هـ»,
«5 رمضان 1436 هـ») converted to the Gregorian
calendar, and rejects impossible dates («31 شباط/فبراير 2020», year 0000) with a reason.
Input is normalised text (digits already ASCII, diacritics stripped); matching folds letters.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cache

from hijridate import Hijri

from .lexicon import alternation, compile_pattern, matched_form, patterns, table
from .normalize import fold
from .records import Date, Precision

MIN_YEAR, MAX_YEAR = 1000, 2100
_PATTERN_ORDER = (
    "numeric_ymd", "numeric_dmy", "day_month_year", "month_year", "year_hijri", "year_word",
)
_FOUR_DIGITS = re.compile(r"\d{4}")
_YEAR_GROUP = re.compile(r"\(\?P<year>([^()]*)\)")
_DIGIT_ATOM = re.compile(r"(?:\\d|\[(?:\d-\d|\d)+\]|\d)(?:\{(\d+)\})?")  # one digit (n times)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date expression at ``[start, end)`` of the text; ``date`` is None when impossible."""

    start: int
    end: int
    date: Date | None
    problem: str = ""


@cache
def _months() -> dict[str, tuple[int, str]]:
    return {form: (int(row["month"]), row["calendar"]) for form, row in table("months.tsv").items()}


@cache
def _regexes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    names = alternation(_months())
    one = rf"(?<![^\W\d_])(?:{names})(?!\w)"  # no letter right before
    echo = rf"(?:\s+{one})?"  # «تشرين الثاني/نوفمبر نوفمبر»: the second spelling printed twice
    month = rf"{one}(?:\s*/\s*{one}{echo})?"
    # no letter or digit right before, checked after the first letter (see alternation)
    first = alternation(_months(), guard=r"[^\W_]")
    word_month = rf"(?:{first})(?!\w)(?:\s*/\s*{one}{echo})?"
    found = patterns("date_patterns.tsv")
    return tuple(
        (name, compile_pattern(found[name], "date_patterns.tsv", MONTH=month,
                               WORD_MONTH=word_month))
        for name in _PATTERN_ORDER
    )


@cache
def _years_need_four_digits() -> bool:
    """Tell whether the year of every date pattern is four digits or more («\\d{4}», «1[34]\\d\\d»).

    Then a text without four digits in a row has no date, and :func:`find_dates` can say so
    without running the patterns (most paragraphs have no year).
    """
    found = patterns("date_patterns.tsv")
    for name in _PATTERN_ORDER:
        group = _YEAR_GROUP.search(found[name])
        if group is None:
            return False
        digits, pos = 0, 0
        for atom in _DIGIT_ATOM.finditer(group[1]):
            if atom.start() != pos:
                return False
            digits += int(atom[1] or 1)
            pos = atom.end()
        if pos != len(group[1]) or digits < 4:
            return False
    return True


def month_number(expr: str) -> tuple[int, str] | None:
    """Return (month, calendar) of «كانون الأول/ديسمبر», «ديسمبر» or «كانون الأول»."""
    first = fold(expr).split("/")[0]
    return _months().get(matched_form(first))


def _make(year: int, month: int | None, day: int | None, hijri: bool) -> tuple[Date | None, str]:
    if hijri:
        return _from_hijri(year, month, day)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, f"year {year:04d} is outside {MIN_YEAR}-{MAX_YEAR}"
    if month is None:
        return Date(f"{year:04d}", Precision.YEAR), ""
    if day is None:
        return Date(f"{year:04d}-{month:02d}", Precision.MONTH), ""
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return None, f"day {day} does not exist in {year:04d}-{month:02d}"
    return Date(f"{year:04d}-{month:02d}-{day:02d}", Precision.DAY), ""


def _from_hijri(year: int, month: int | None, day: int | None) -> tuple[Date | None, str]:
    """Convert a Hijri date (Umm al-Qura) to the Gregorian calendar at the same precision.

    A Hijri year alone spans two Gregorian years: «1436 هـ» is dated by the Gregorian year of
    its middle (15 Jumada al-Thani), 2015.
    """
    try:
        if month is None:
            g = Hijri(year, 6, 15).to_gregorian()
            return Date(f"{g.year:04d}", Precision.YEAR), ""
        if day is None:
            g = Hijri(year, month, 15).to_gregorian()
            return Date(f"{g.year:04d}-{g.month:02d}", Precision.MONTH), ""
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError) as exc:
        return None, f"Hijri date {year}-{month or 0:02d}-{day or 0:02d} cannot be converted ({exc})"
    return Date(f"{g.year:04d}-{g.month:02d}-{g.day:02d}", Precision.DAY), ""


def find_dates(text: str) -> list[DateMatch]:
    """Find every date expression in normalised ``text``, longest and earliest first, no overlaps."""
    if not _FOUR_DIGITS.search(text) and _years_need_four_digits():
        return []
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for name, regex in _regexes():
        for m in regex.finditer(folded):
            start, end = m.start(), m.end()
            if any(a < end and start < b for a, b in taken):
                continue
            groups = m.groupdict()
            hijri = bool(groups.get("hijri"))
            month = day = None
            if groups.get("month"):
                info = month_number(groups["month"])
                if info is None:
                    continue
                month, cal = info
                hijri = hijri or cal == "hijri"
            elif groups.get("nmonth"):
                month = int(groups["nmonth"])  # «1434/11/15 هـ», «12/5/2015»
                if not 1 <= month <= 12:
                    continue
            if groups.get("day"):
                day = int(groups["day"])
            date, problem = _make(int(groups["year"]), month, day, hijri)
            end = m.end("hijri") if groups.get("hijri") else m.end("year")
            taken.append((start, end))
            found.append(DateMatch(start, end, date, problem))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> Date | None:
    """Return the first valid date in ``text``, or None: ``parse_date("19 آذار/مارس 2007")``."""
    for match in find_dates(text):
        if match.date:
            return match.date
    return None
