"""Regexes rewritten for speed match exactly like their readable reference forms.

A regex that opens with a look-behind is tried at every position of a text; the rewritten
forms open with a character (set) and test the look-behind after it, or are tried only where
a head word is (:func:`kg.rules._scan`).  Each must give the same matches, groups included,
on real paragraphs and on mutated and random text.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from test_fuzz import corpus_paragraphs, seeded_input

from kg import amendments, dates, normalize, rules
from kg.lexicon import alternation

# the date patterns as they read before the rewrite ({MONTH}: a month not right after a letter)
REFERENCE_DATES = {
    "day_month_year": r"(?<!\d)(?P<day>[0-3]?\d)\s*(?P<month>{MONTH})\s*(?P<year>\d{4})(?!\d)"
                      r"(?P<hijri>\s*(?:هـ|ه\b|للهجره))?",
    "month_year": r"(?<![\d])(?P<month>{MONTH})\s*(?:من\s+)?(?:عام\s+|سنه\s+)?(?P<year>\d{4})(?!\d)"
                  r"(?P<hijri>\s*(?:هـ|ه\b|للهجره))?",
    "year_hijri": r"(?<!\d)(?P<year>1[34]\d\d)\s*(?P<hijri>هـ|ه\b|للهجره)",
    "numeric_ymd": r"(?<![\d/.])(?P<year>1[34]\d\d)\s*/\s*(?P<nmonth>[01]?\d)\s*/\s*(?P<day>[0-3]?\d)"
                   r"(?![\d/])(?P<hijri>\s*(?:هـ|ه\b|للهجره))",
    "numeric_dmy": r"(?<![\d/.])(?P<day>[0-3]?\d)\s*/\s*(?P<nmonth>[01]?\d)\s*/\s*(?P<year>\d{4})"
                   r"(?![\d/])(?P<hijri>\s*(?:هـ|ه\b|للهجره))?",
}
REFERENCE_SENTENCE_END = re.compile(r"(?<!\d)\.|\.(?!\d)|[;؛!?؟\n]|\s-\s")
REFERENCE_YEAR_DIGITS = re.compile(r"(?P<a>\d{1,3}) (?P<b>\d{1,3})(?![\d.,]| \d)")
REFERENCE_RUNS = re.compile(" {2,}")


@cache
def texts() -> tuple[str, ...]:
    """Folded corpus lines, seeded fuzz inputs (normalised and raw) and digit-heavy strings."""
    raw = list(corpus_paragraphs()) + [seeded_input(s) for s in range(3000)]
    raw += ["12/5/2015 1434/11/15 هـ 1.12/5/2015 3/3/1435هـ 0 1 كانون الثاني 2001 2 0 01",
            "1436 هـ 21436 هـ ا1436 هـ 31 شباط/فبراير 2020 2أيار/مايو 2019 أيار 2019 - 5 -"]
    out = [normalize.fold(t) for t in raw]
    out += [normalize.fold(normalize.normalize(t).text) for t in raw[-3000:]]
    return tuple(out)


def _matches(found: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in found]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(REFERENCE_DATES))
def test_date_patterns_match_their_reference(name: str) -> None:
    names = alternation(dates._months())
    one = rf"(?<![^\W\d_])(?:{names})(?!\w)"
    reference = re.compile(REFERENCE_DATES[name].replace("{MONTH}", f"(?:{one}(?:\\s*/\\s*{one})?)"))
    regex = dict(dates._regexes())[name]
    assert regex.pattern != reference.pattern
    for t in texts():
        assert _matches(regex.finditer(t)) == _matches(reference.finditer(t)), t


def test_alternation_guard_is_a_look_behind() -> None:
    forms = list(dates._months())
    guarded = re.compile(alternation(forms, guard=r"[^\W_]"))
    reference = re.compile(rf"(?<![^\W_])(?:{alternation(forms)})")
    for t in texts()[:2000]:
        assert _matches(guarded.finditer(t)) == _matches(reference.finditer(t))


def test_scan_is_finditer() -> None:
    rules.institution_heads(), rules._instrument_heads(), rules._subordination(), rules._triggers()
    amendments._regexes()
    assert len(rules._HEADS) >= 5
    for regex in rules._HEADS:
        for t in texts():
            assert _matches(rules._scan(regex, t)) == _matches(regex.finditer(t)), t


def test_rewritten_character_regexes() -> None:
    for t in texts():
        for new, old in (
            (rules._SENTENCE_END, REFERENCE_SENTENCE_END),
            (normalize._YEAR_DIGITS, REFERENCE_YEAR_DIGITS),
            (normalize._RUNS, REFERENCE_RUNS),
        ):
            assert _matches(new.finditer(t)) == _matches(old.finditer(t))
            assert _matches(new.finditer(t, 3, len(t) - 3)) == _matches(old.finditer(t, 3, len(t) - 3))
