"""Amendments as instruments: «أُدخلت، في 23 شباط/فبراير 2017، تعديلات على إجراءات …».

Reports often date a change to a law without naming the amending act.  The amendment then is
an instrument of its own (type ``other``, the amendment's date), which amends the instrument
that follows «على».  The words are data (``lexicons/amendments.tsv``); an amendment needs an
introducing verb next to it and a date, so «التعديلات اللازمة» alone is never an act.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from .dates import DateMatch, parse_date
from .lexicon import alternation, table
from .records import RelationKind
from .relations import FoundRelation, _pattern
from .rules import Found, _scan, _with_heads, sentence_bounds


@cache
def _regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    rows = table("amendments.tsv")
    forms = {role: [f for f, r in rows.items() if r["role"] == role] for role in ("head", "verb", "relative")}
    heads = alternation(forms["head"])
    head = _with_heads(r"(?<!\w)(?:[وب]?(?:ال|لل|ل)?)(?P<head>" + heads + r")(?!\w)", heads)
    verb = re.compile(r"(?<!\w)[وف]?(?:" + alternation(forms["verb"]) + r")(?!\w)")
    relative = re.compile(
        r"\s+(?:" + alternation(forms["relative"]) + r")\s+(?:" + alternation(forms["verb"]) + r")(?!\w)"
    )
    return head, verb, relative


def _verb_before(
    f: str, start: int, s_start: int, dates: list[DateMatch]
) -> tuple[int, DateMatch | None] | None:
    """The introducing verb right before the head, a date allowed between: (verb start, date)."""
    verb = _regexes()[1]
    for v in reversed(list(verb.finditer(f, max(s_start, start - 60), start))):
        inner = next((d for d in dates if v.end() <= d.start and d.end <= start and d.date), None)
        gap = f[v.end() : start] if inner is None else f[v.end() : inner.start] + f[inner.end : start]
        if _pattern("date_gap").fullmatch(gap):
            return v.start(), inner
    return None


def find_amendments(
    t: str, f: str, instruments: list[Found], dates: list[DateMatch]
) -> tuple[list[Found], list[FoundRelation]]:
    """Add dated amendments to a paragraph's instruments, with what each amends.

    The amended acts follow «على», joined by «و» or commas («على القانون الجنائي وقانون تنفيذ
    العقوبات»).
    «للتعديل الذي أدخل على قانون … "بشأن التأمين الصحي" في 3 كانون الأول/ديسمبر 2019»: the date
    after «في» is the amendment's, not the law's.
    """
    head, _verb, relative = _regexes()
    result = list(instruments)
    amendments: list[Found] = []
    for m in _scan(head, f):  # head.finditer(f), tried only at the words holding a head
        if any(i.start <= m.start("head") < i.end for i in result):
            continue
        s_start, s_end = sentence_bounds(t, m.start())
        before = _verb_before(f, m.start(), s_start, dates)
        rel = relative.match(f, m.end())
        if before is None and rel is None:
            continue
        date = before[1] if before else None
        end = rel.end() if rel else m.end()
        if date is None and before is not None:
            lead = _pattern("leading_date").match(f, s_start)
            if lead:
                at = lead.end()
                date = next((d for d in dates if d.date and d.start <= at + 5 and d.end > at
                             and d.end <= before[0]), None)
        if date is None:
            date = next((d for d in dates if d.date and end <= d.start < s_end
                         and not _pattern("amendment_own_date").search(f[max(0, d.start - 16) : d.start])),
                        None)
            if date is not None:
                # the amended act loses a date that was only the amendment's «في …»
                result = [_without_date(t, f, i, date) for i in result]
        if date is None or date.date is None:
            continue
        article = "ال" if f[m.start() : m.start("head")].endswith(("ال", "لل")) else ""
        label = article + t[m.start("head") : m.end("head")]  # «للتعديل» -> «التعديل»
        amendments.append(Found("instrument", m.start("head"), end, label=label, type="other",
                                date=date.date, head="amendment"))
    result = sorted(result + amendments, key=lambda i: (i.start, i.end))
    links = [
        FoundRelation(RelationKind.AMENDS, a, target, (a.start, target.end))
        for a in amendments
        for target in _amended(f, a, result)
    ]
    return result, links


def _amended(f: str, amendment: Found, instruments: list[Found]) -> list[Found]:
    """The instruments right after «على» following the amendment, a coordinated list included."""
    on = _pattern("amended_on").match(f, amendment.end)
    if on is None:
        return []
    chain, last = [], on.end()
    for i in instruments:
        if i.start < last or i is amendment:
            continue
        gap = f[last : i.start]
        if chain and not re.fullmatch(r"[\s،,]*و?", gap) or not chain and gap.strip():
            break
        chain.append(i)
        last = i.end
    return chain


def _without_date(t: str, f: str, ins: Found, date: DateMatch) -> Found:
    """``ins`` without a trailing «في DATE» that belongs to an amendment of it."""
    if not (ins.start < date.start <= ins.end and ins.date == date.date):
        return ins
    cut = _pattern("date_connector").search(f, ins.start, date.start)
    end = cut.start() if cut and cut.start() > ins.start else date.start
    while end > ins.start and t[end - 1] in " \t،,":
        end -= 1
    tail = " ".join(t[end : ins.end].split())
    label = ins.label[: -len(tail)].rstrip(" ،,") if tail and ins.label.endswith(tail) else ins.label
    year = ins.number.rpartition("/")[2]
    own = parse_date(f"عام {year}") if re.fullmatch(r"\d{4}", year) else None  # «رقم 5 لسنة 2015»
    return replace(ins, end=end, date=own, label=label)
