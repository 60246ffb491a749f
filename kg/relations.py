"""Relations between the spans of one paragraph: establishment, subordination, replacement …

Works on the :class:`~kg.rules.Found` spans of a paragraph (normalised offsets) and returns
:class:`FoundRelation` items; :mod:`kg.mentions` turns both into records with original offsets.
The clues are data (``lexicons/triggers.tsv``, ``lexicons/subordination.tsv``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from itertools import pairwise

from .dates import DateMatch
from .lexicon import alternation, compile_pattern, matched_form, patterns, table
from .records import Date, RelationKind
from .rules import (
    Found,
    find_subordination_cues,
    find_triggers,
    institution_heads,
    match_issuer,
    run_on,
    sentence_bounds,
)

_NEAR = 30  # at most this many characters between a trigger (or its legal basis) and the body


@cache
def _pattern(name: str) -> re.Pattern[str]:
    """A regex of ``lexicons/relation_patterns.tsv``."""
    return compile_pattern(patterns("relation_patterns.tsv")[name], "relation_patterns.tsv")


@dataclass(frozen=True, slots=True)
class FoundRelation:
    """A relation between two spans of a paragraph; ``evidence`` is a normalised span."""

    kind: RelationKind
    head: Found
    tail: Found | None
    evidence: tuple[int, int]
    date: Date | None = None
    planned: bool = False


def _inside(x: Found, spans: list[Found]) -> bool:
    return any(s.start <= x.start and x.end <= s.end and s is not x for s in spans)


def _bodies(institutions: list[Found], instruments: list[Found]) -> list[Found]:
    """Institutions that are not just the issuer or title inside an instrument phrase."""
    return [i for i in institutions if not _inside(i, instruments)]


def _posts_at(t: str, f: str, pos: int) -> Found | None:
    """A post or issuer named at ``pos`` («رئيس جمهورية أذربيجان»), as a parent candidate."""
    hit = match_issuer(f, pos)
    if not hit:
        return None
    end, row = hit
    return Found("post", pos, end, label=row["label_ar"], type=row["kind"], issuer=row["code"])


def find_subordinations(
    t: str, f: str, bodies: list[Found], others: list[Found]
) -> list[FoundRelation]:
    """«مؤسسة الشباب التي تعمل تحت إشراف رئيس الجمهورية» → subordinate_to(child, parent)."""
    result = []
    for cue_start, cue_end in find_subordination_cues(f):
        s_start, _s_end = sentence_bounds(t, cue_start)
        # the parent starts right after the cue (allowing one space)
        at = cue_end + (1 if f[cue_end : cue_end + 1] == " " else 0)
        parent = next((b for b in bodies + others if b.start in (at, cue_end, at + 2)), None)
        if parent is None:
            parent = _posts_at(t, f, at) or _bare_reference(f, at, bodies)  # «داخل الوزارة»
        if parent is None:
            continue
        # the child is the nearest body before the cue within the sentence, at most 60 chars away
        # (further after a pronoun: «…، وهي تتبع وزارة العمل») or separated only by «التي تعمل»
        reach = 200 if _pattern("pronoun_before").search(f, max(0, cue_start - 40), cue_start) else 60
        child = None
        for b in sorted(bodies, key=lambda x: -x.end):
            if s_start <= b.start and b.end <= cue_start and cue_start - b.end <= reach:
                child = b
                break
        if child is None:
            after = next((b for b in bodies if b.start > parent.end), None)
            gap = f[parent.end : after.start] if after is not None else "-"
            if not gap.strip() or _pattern("relative_aside").match(gap):
                child, parent = parent, after  # «وتتبع إدارة شؤون الأسرة وزارة التنمية …»: verb first
        if child is None or child is parent:
            continue
        result.append(
            FoundRelation(RelationKind.SUBORDINATE_TO, child, parent, (child.start, parent.end))
        )
    for cue in _pattern("parent_first").finditer(f):  # «… الوزارة …، ويتبعها المجلس الوطني»
        s_start, _s_end = sentence_bounds(t, cue.start())
        parent = _subject_before(f, bodies, s_start, cue.start())
        child = next((b for b in bodies if 0 <= b.start - cue.end() <= 2), None)
        if parent is not None and child is not None and parent is not child:
            result.append(
                FoundRelation(RelationKind.SUBORDINATE_TO, child, parent, (parent.start, child.end)))
    # «إدارة حقوق الإنسان بوزارة الداخلية»: a unit named right before «ب» + another body
    for a, b in pairwise(bodies):
        if f[a.end : b.start] == " ب" and not any(r.head is a for r in result):
            result.append(FoundRelation(RelationKind.SUBORDINATE_TO, a, b, (a.start, b.end)))
    return result


def _bare_reference(f: str, pos: int, bodies: list[Found]) -> Found | None:
    """«الوزارة» at ``pos``: the nearest earlier body with that head word."""
    m = institution_heads()[0].match(f, pos)
    if m is None or not m.group("art") or m.group("pre"):
        return None
    return _nearest_before(bodies, pos, lambda b: b.head == m.group("head"))


def _short_reference(t: str, f: str, pos: int, bodies: list[Found]) -> Found | None:
    """Resolve «هذا المجلس» / «الوكالة» at ``pos`` to the nearest earlier body with that head."""
    m = _pattern("short_reference").match(f, pos)
    if not m:
        return None
    head = m.group("head")
    if head == _pattern("post_reference").pattern:
        # «هذا المنصب» refers back to a post (or a body whose head is that word)
        return _nearest_before(bodies, pos, lambda b: b.kind == "post" or b.head in (head, "ال" + head))
    return _nearest_before(bodies, pos, lambda b: b.head in (head, "ال" + head))


def _nearest_before(bodies: list[Found], pos: int, test: Callable[[Found], bool]) -> Found | None:
    """The body ending before ``pos`` that starts last and passes ``test``."""
    return next((b for b in sorted(bodies, key=lambda x: -x.start) if b.end <= pos and test(b)), None)


def _blocked(f: str, t_start: int) -> bool:
    """True when a trigger follows a blocker («ويمكن أيضا إنشاء», «وعند تشكيل»)."""
    before = " ".join(f[max(0, t_start - 25) : t_start].split()[-2:])
    blockers = _blockers()
    return any(before.endswith(b) for b in blockers)


@cache
def _blockers() -> tuple[str, ...]:
    return tuple(table("trigger_blockers.tsv"))


def _marked(f: str, act: Found) -> bool:
    """An act introduced as a legal basis: «بموجب …», «وفقا ل…», «بموجب المادة 4 من …»."""
    return bool(_pattern("basis").search(f[max(0, act.start - 40) : act.start]))


def _body_after(bodies: list[Found], pos: int, s_end: int, reach: int = 30) -> Found | None:
    """The first body of the sentence starting at most ``reach`` characters after ``pos``."""
    return next((b for b in bodies if 0 <= b.start - pos <= reach and b.start < s_end), None)


def _skip_space(f: str, pos: int) -> int:
    """``pos`` moved past the white space that follows it."""
    while pos < len(f) and f[pos].isspace():
        pos += 1
    return pos


def _basis(instruments: list[Found], f: str, s_start: int, s_end: int, t_start: int) -> Found | None:
    """The legal basis of a change: an instrument of the sentence, preferring «بموجب …» ones."""
    candidates = [
        i for i in instruments
        if s_start <= i.start < s_end and i.type in _BASIS_TYPES
        and not (i.start > t_start and _pattern("clause_break").search(f, t_start, i.start))
        and not (i.end <= t_start and _pattern("sequence_break").search(f, i.end, t_start))
    ]
    if not candidates:
        return None
    marked = [i for i in candidates if _marked(f, i)]
    pool = marked or candidates
    return min(pool, key=lambda i: abs(i.start - t_start))


def find_changes(
    t: str,
    f: str,
    institutions: list[Found],
    instruments: list[Found],
    dates: list[DateMatch],
) -> list[FoundRelation]:
    """Establishment, abolition, replacement … from the triggers of ``lexicons/triggers.tsv``."""
    bodies = _bodies(institutions, instruments)
    result: list[FoundRelation] = []
    used: set[tuple[RelationKind, int]] = set()
    triggers = find_triggers(f)
    for t_start, t_end, row in triggers:
        kind = RelationKind(row["relation"])
        if kind in _INSTRUMENT_KINDS:
            continue  # see find_approvals and find_instrument_links
        s_start, s_end = sentence_bounds(t, t_start)
        if row["voice"] == "guarded":
            # «وشكل المجلس … بموجب الاتفاق …», «وأحدث بموجب …»: verbs that are creations only
            # with a legal basis named soon after («شكل» is also "form", «أحدث» "latest")
            if not _pattern("guard_basis").search(f, t_end, min(s_end, t_end + 120)):
                continue
            row = {**row, "voice": "after"}
        planned = row["planned"] == "1" or bool(
            _pattern("planned_context").search(f, s_start, t_start))  # «أوصت … بإنشاء …»
        if _blocked(f, t_start):
            continue
        if kind == RelationKind.MERGED:
            # «دمج مركز X، الذي …، مع وكالة Y»: X is merged into Y (head Y, tail X)
            merged = next((b for b in bodies if 0 <= b.start - t_end <= 3), None)
            into = next(
                (b for b in bodies if merged is not None and b.start > merged.end and b.start < s_end
                 and _pattern("merged_into").search(f[max(0, b.start - 8) : b.start])),
                None,
            )
            parts = [merged] if merged is not None else []
            if merged is not None and into is None:
                # «أنشئت هيئة النزاهة … بدمج هيئة مكافحة الفساد وديوان المظالم»: the body created
                # earlier in the sentence is what the listed bodies were merged into
                created = _created_before(triggers, s_start, t_start)
                into = _subject_before(f, bodies, s_start, t_start) if created else None
                parts += _listed_after(f, merged, bodies)
            for part in parts if into is not None else []:
                result.append(FoundRelation(kind, into, part, (s_start, s_end)))
            continue
        if kind == RelationKind.RENAMED:
            found = _renaming(f, row, bodies, triggers, s_start, s_end, t_start, t_end)
            if found is not None:
                new, old = found
                when = next((d for d in dates if d.date and t_end <= d.start < new.start), None)
                result.append(FoundRelation(kind, new, old, (s_start, s_end),
                                            date=when.date if when else None))
            continue
        if kind == RelationKind.REPLACES and row["voice"] == "before":
            # «ثم حلت محلها X», «ثم أنشئت، خلفا لها، X»: the pronoun is the body named before
            old = _subject_before(f, bodies, s_start, t_start)
            new = _body_after(bodies, t_end, s_end)
            if old and new and new is not old:
                result.append(FoundRelation(kind, new, old, (s_start, s_end)))
            continue
        if kind == RelationKind.REPLACES:
            old = _short_reference(t, f, t_end, bodies) or next(
                (b for b in bodies if b.start >= t_end and b.start - t_end <= 3), None
            )
            new = _replacing_before(f, bodies, instruments, dates, s_start, t_start) or next(
                (b for b in bodies if b.start > t_end and b is not old and b.start < s_end), None
            )
            if old and new and new is not old:
                for item in [old, *_listed_after(f, old, bodies)]:  # «محل X وY»
                    if item is not new:
                        result.append(FoundRelation(kind, new, item, (s_start, s_end)))
            continue
        instrument = _basis(instruments, f, s_start, s_end, t_start)
        if row["voice"] == "before" and any(d.date and 0 <= d.start - t_end <= 6 for d in dates):
            instrument = None  # «وزارة الحكم المحلي، المستحدثة عام 2012»: its own date, no act
        elif row["voice"] in ("before", "after"):
            # «المحدثة بالمرسوم التشريعي رقم 47» / «قرار … رقم (97) لسنة 2000 بإنشاء …»: the act
            # right next to the participle or verbal noun is its basis
            adjacent = next((
                i for i in instruments if i.type in _BASIS_TYPES and (
                    (0 <= i.start - t_end <= 3 or 0 <= i.start - t_end <= 40
                     and _pattern("basis").search(f[t_end : i.start]))
                    if row["voice"] == "before" else 0 <= t_start - i.end <= 2
                )), None)
            instrument = adjacent or instrument
        if row["voice"] == "of":
            # «المرسوم المؤرخ … والمنشئ للمجلس …»: the instrument right before the participle
            instrument = next(
                (i for i in instruments if 0 <= t_start - i.end <= 8 and i.type in _BASIS_TYPES),
                instrument,
            )
        if kind == RelationKind.ABOLISHES:
            repealed = next((i for i in instruments if 0 <= i.start - t_end <= 3), None)
            if repealed is not None:
                # «وإلغاء المرسوم المؤرخ …»: an instrument repeals an instrument
                by = _basis([i for i in instruments if i is not repealed], f, s_start, s_end, t_start)
                if by is not None:
                    result.append(FoundRelation(RelationKind.REPEALS, by, repealed, (s_start, s_end)))
                continue
        body = None
        if row["voice"] in ("both", "after", "of", "active"):
            body = _short_reference(t, f, t_end, bodies)
        if body is None and kind in (RelationKind.REORGANISED, RelationKind.ABOLISHES) \
                and row["voice"] == "after":
            body = _bare_reference(f, _skip_space(f, t_end), bodies)  # «وأعيد تنظيم المجلس بموجب …»
        if body is None and row["voice"] == "before":
            body = _subject_before(f, bodies, s_start, t_start)  # not a parent after «التابعة ل»
        if body is None and row["voice"] == "both":
            before = [b for b in bodies if s_start <= b.start and b.end <= t_start]
            if before and _pattern("relative").match(f[before[-1].end : t_start]):
                body = before[-1]
        if body is None and row["voice"] in ("both", "after", "of", "active"):
            # the body follows the trigger, or the «بموجب …» clause(s) right after it
            anchors = [t_end]
            agent = _agent(bodies, t_end) if row["voice"] == "active" else None
            by_act = _instrument_agent(f, instruments, t_start) if row["voice"] == "active" else None
            if by_act is None and agent is None and row["voice"] == "active":
                # «وأنشأ القانون رقم …، المتعلق ب…، اللجنة الوطنية …»: the act is the subject
                by_act = next((i for i in instruments if 0 <= i.start - t_end <= 2
                               and i.type in _BASIS_TYPES), None)
            if by_act is not None:
                agent, instrument = None, by_act  # «القانون …، الذي أنشأ المجلس»: the act creates
            if agent is not None:
                anchors = [agent.end]  # «أنشأت الوزارة لجنة»: the body follows the agent
            for i in sorted(instruments, key=lambda x: x.start):
                if any(0 <= i.start - a <= _NEAR for a in anchors):
                    anchors.append(i.end)
            after = [
                b for b in bodies
                if t_end <= b.start < s_end and (kind, id(b)) not in used
                and any(0 <= b.start - a <= _NEAR and "." not in f[a : b.start] for a in anchors)
                and not any(t_end <= o < b.start and r["relation"] == kind for o, _, r in triggers)
            ]
            body = after[0] if after else None
            if body is None and kind == RelationKind.ESTABLISHED_BY and row["voice"] in ("both", "active"):
                # a finite verb creates a specific body; «الحق في تشكيل نقابة» is generic
                body = _bare_body(t, f, anchors, s_end, dates)
        if body is None and kind == RelationKind.ESTABLISHED_BY:
            listed = _listed_bodies(t, f, t_end, s_end)
            for item in listed:
                result.append(FoundRelation(kind, item, instrument, (s_start, item.end),
                                            date=instrument.date if instrument else None,
                                            planned=planned))
            parent = next((b for b in bodies if t_end <= b.start < s_end), None)
            if parent is not None:
                result.extend(
                    FoundRelation(RelationKind.SUBORDINATE_TO, item, parent, (parent.start, item.end))
                    for item in listed
                )
            if listed:
                continue
        if body is None or (kind, id(body)) in used:
            continue  # «… من إنشاء هذه المؤسسة»: the same change told again
        used.add((kind, id(body)))
        if instrument is not None and _own_date(f, body, t_end, instrument, instruments, dates):
            instrument = None  # «كما أنشئت X عام 2007»: its own date, not an act said elsewhere
        date = instrument.date if instrument else None
        if instrument is None:
            later = [
                d for d in dates if d.date and t_end <= d.start < s_end
            ] or [d for d in dates if d.date and s_start <= d.start < s_end]
            date = later[0].date if later else None
        if kind == RelationKind.ESTABLISHED_BY:
            for item in [body, *_coordinated(f, body, bodies)]:
                used.add((kind, id(item)))
                result.append(
                    FoundRelation(kind, item, instrument, (s_start, s_end), date=date, planned=planned)
                )
            at = _pattern("created_in").match(f[body.end : body.end + 8])
            inside = None
            if at is not None:  # «أنشئت اللجنة … في هيئة حقوق الإنسان», «… في الوزارة ذاتها»
                pos = body.end + at.end()
                inside = next((b for b in bodies if b.start == pos), None) or _bare_reference(
                    f, pos, bodies)
            if inside is not None:
                result.append(FoundRelation(RelationKind.SUBORDINATE_TO, body, inside,
                                            (body.start, inside.end)))
        elif instrument is not None or date is not None:
            result.append(FoundRelation(kind, body, instrument, (s_start, s_end), date=date))
    return result


def _coordinated(f: str, body: Found, bodies: list[Found]) -> list[Found]:
    """Bodies of the same kind joined to ``body`` by «و»: «تم إنشاء وزارة العمل ووزارة التنمية …»."""
    return _listed_after(f, body, bodies, join="coordination", same_head=True)


def _created_before(triggers: tuple, s_start: int, t_start: int) -> bool:
    """Whether a creation trigger stands in the sentence before ``t_start``."""
    return any(r["relation"] == RelationKind.ESTABLISHED_BY and s_start <= o < t_start
               for o, _, r in triggers)


def _subject_before(f: str, bodies: list[Found], s_start: int, t_start: int) -> Found | None:
    """The nearest body before ``t_start`` in the sentence, skipping a parent named after a
    subordination cue («إدارة حماية الأسرة التابعة لمديرية الأمن العام، التي …»)."""
    before = [b for b in bodies if s_start <= b.start and b.end <= t_start]
    if not before:
        return None
    cues = find_subordination_cues(f)
    if len(before) > 1 and any(before[-2].end <= c and 0 <= before[-1].start - e <= 1 for c, e in cues):
        return before[-2]  # the last body is a parent named right after «التابعة ل»
    return before[-1]


def _renaming(
    f: str, row: dict[str, str], bodies: list[Found], triggers: tuple, s_start: int, s_end: int,
    t_start: int, t_end: int,
) -> tuple[Found, Found] | None:
    """(new name, old name) of a renaming, or None.

    «ثم عدل اسمها إلى «X»», «وأصبحت تسمى منذ عام 2008 «X»», «أعيدت تسميتها عام 2020 لتصبح X»:
    the body before the trigger is the old name, the one right after it (a date may come
    between) the new; «X، الذي تأسس عام 1955 باسم «Y»»: Y is the former name of X, and only
    after a creation in the same sentence («باسم» is also "on behalf of").
    """
    after = _body_after(bodies, t_end, s_end)
    before = _subject_before(f, bodies, s_start, t_start)
    if after is None or before is None or after is before:
        return None
    if row["voice"] == "former":
        created = _created_before(triggers, s_start, t_start)
        return (before, after) if created and t_end - after.start > -4 else None
    return after, before


def _listed_after(
    f: str, first: Found, bodies: list[Found], join: str = "list_join", same_head: bool = False
) -> list[Found]:
    """Bodies listed after ``first`` («هيئة مكافحة الفساد وديوان المظالم»): each joined to the one
    before by the relation pattern ``join``, and with ``first``'s head word when ``same_head``."""
    chain, last = [], first
    for b in sorted(bodies, key=lambda x: x.start):
        if b.start < last.end:
            continue
        if not _pattern(join).fullmatch(f[last.end : b.start]) or same_head and b.head != first.head:
            break
        chain.append(b)
        last = b
    return chain


def _own_date(
    f: str, body: Found, t_end: int, instrument: Found, instruments: list[Found],
    dates: list[DateMatch],
) -> bool:
    """True when the change has its own date right after the verb or the body («أنشئت عام
    2005», «X عام 2007») and ``instrument`` is not attached to either of them."""
    anchors = (t_end, body.end)
    own = any(
        d.date and any(0 <= d.start - a <= 8 for a in anchors)
        and not any(i.start <= d.start < i.end for i in instruments)
        for d in dates
    )
    attached = any(0 <= instrument.start - a <= _NEAR for a in anchors) or (
        0 <= body.start - instrument.end <= 3)
    return own and not attached


def _replacing_before(
    f: str, bodies: list[Found], instruments: list[Found], dates: list[DateMatch],
    s_start: int, t_start: int,
) -> Found | None:
    """The new body right before «لتحل محل» / «خلفا ل» («أنشئت وزارة العمل لتحل محل …»).

    Only the act that created it or a date may stand between them («… بموجب المرسوم رقم 31/2012
    خلفا ل…», «تأسس مجلس الشورى في 12 تشرين الثاني/نوفمبر 1991 خلفا ل…»).
    """
    body = _subject_before(f, bodies, s_start, t_start)
    if body is None:
        return None
    if body is not _nearest_before(bodies, t_start, lambda b: b.start >= s_start):
        return body  # «إدارة … التابعة لمكتب المدعي العام لتحل محل …»: not the parent
    gap = t_start - body.end - sum(
        x.end - x.start for x in [*instruments, *dates] if body.end <= x.start and x.end <= t_start
    )  # only the creating act or the date may stand between
    return body if gap <= _NEAR else None


def _instrument_agent(f: str, instruments: list[Found], t_start: int) -> Found | None:
    """An act that is the subject of an active creation verb: «القانون رقم …، الذي أنشأ …»."""
    return next(
        (i for i in instruments
         if i.end <= t_start and i.type in _BASIS_TYPES
         and _pattern("instrument_agent").match(f[i.end : t_start])),
        None,
    )


def _agent(bodies: list[Found], t_end: int) -> Found | None:
    """The subject of an active verb: a body right after it («أنشأت وزارة العمل …»)."""
    return next((b for b in bodies if 0 <= b.start - t_end <= 2), None)


def _bare_body(
    t: str, f: str, anchors: list[int], s_end: int, dates: list[DateMatch]
) -> Found | None:
    """An unnamed body right after an establishment clue: «أنشئت لجنة مكونة من …».

    A bare indefinite head word is not a name anywhere else (kg.rules skips it), but as the
    object of a creation it is the body created.
    """
    regex, rows = institution_heads()
    for a in anchors:
        when = next((d for d in dates if 0 <= d.start - a <= 5), None)
        if when is not None and _pattern("date_gap").fullmatch(f[a : when.start]):
            a = when.end  # «أنشأت الوزارة في عام 2016 لجنة»
        a += len(f[a:]) - len(f[a:].lstrip(" ،"))
        m = regex.match(f, a)
        plural = _plural_heads().match(f, a) if m is None else None
        if plural is not None and plural.end() <= s_end:
            # «أنشئت لجان لحماية الطفل في كل محافظة»: bodies created as a kind, one mention
            end = run_on(f, plural.end(), s_end, after_indefinite=True)
            if end > plural.end():  # a bare plural («أنشئت لجان») names nothing
                label = " ".join(t[a:end].split())
                return Found("institution", a, end, label=label, type="other", head=plural.group())
            continue
        if m is None or m.group("art") or m.group("ll") or m.group("pre") or m.end() > s_end:
            continue
        head = matched_form(m.group("head"))
        if rows[head].get("kind") == "post":
            continue
        end = max(m.end(), run_on(f, m.end(), s_end, after_indefinite=True))
        label = " ".join(t[m.start("head") : end].split())
        return Found("institution", m.start("head"), end, label=label, type=rows[head]["kind"],
                     head=head)
    return None


@cache
def _plural_heads() -> re.Pattern[str]:
    """Plural body nouns (name_grammar.tsv plural_head) at the start of an unnamed plural body."""
    forms = [f for f, row in table("name_grammar.tsv").items() if row["role"] == "plural_head"]
    return re.compile(r"(?:" + alternation(forms) + r")(?!\w)")


_LIST_ITEM = re.compile(r"[^؛.\n]+")


def _listed_bodies(t: str, f: str, t_end: int, s_end: int) -> list[Found]:
    """Bodies listed after «أنشئ … عدد من الوحدات في المكتب - X؛ وY؛ وZ.», one per item.

    A list item is a whole name, prepositions included («شعبة حماية الحق في الحصول على
    المعلومات»), up to a relative clause («الذي يعمل …»).
    """
    if not (_pattern("list_intro").search(f, t_end, s_end) and f[s_end : s_end + 3].strip() in ("-", ":", "")):
        return []
    heads = _heads_regex()
    stop = f.find(".", s_end)
    stop = len(f) if stop < 0 else stop
    found = []
    for m in _LIST_ITEM.finditer(f, s_end + 1, stop):
        text = m.group()
        head = heads.match(f, m.start() + len(text) - len(text.lstrip(" -:")))
        if not head:
            continue
        start = head.start("art") if head.group("art") else head.start("head")
        end = m.end()
        rel = _pattern("list_item_end").search(f[start:end])
        if rel:
            end = start + rel.start()
        label = " ".join(t[start:end].split())
        found.append(Found("institution", start, end, label=label, type="department",
                           head=head.group("head")))
    return found


def _heads_regex() -> re.Pattern[str]:
    return institution_heads()[0]


_INSTRUMENT_KINDS = frozenset(
    {RelationKind.APPROVES, RelationKind.RATIFIED, RelationKind.ACCEDED, RelationKind.SIGNED,
     RelationKind.AMENDS}
)
_TREATY_ACTIONS = frozenset({RelationKind.RATIFIED, RelationKind.ACCEDED, RelationKind.SIGNED})


def find_instrument_links(
    t: str, f: str, instruments: list[Found], dates: list[DateMatch]
) -> list[FoundRelation]:
    """Treaty actions and amendments between instruments.

    «وتمت الموافقة على البروتوكول … بموجب قانون … المؤرخ 11 تشرين الأول/أكتوبر 2022»: the
    treaty (head) is ratified by the law (tail) on the law's date; «انضمت إلى الاتفاقية … في عام
    1997»: acceded, dated by the sentence.  «القانون … المعدل للقانون …»: the first amends the second.
    """
    result: list[FoundRelation] = []
    for t_start, t_end, row in find_triggers(f):
        kind = RelationKind(row["relation"])
        if kind not in _TREATY_ACTIONS and kind != RelationKind.AMENDS:
            continue
        s_start, s_end = sentence_bounds(t, t_start)
        if kind == RelationKind.AMENDS:
            before = [i for i in instruments if 0 <= t_start - i.end <= 8]
            after = [i for i in instruments if 0 <= i.start - t_end <= 3 and i not in before]
            if row["voice"] == "after":
                before = [i for i in instruments if i.end <= t_start and s_start <= i.start]
            if before and after:
                result.append(FoundRelation(kind, before[-1], after[0], (s_start, s_end)))
            continue
        # the treaties right after the trigger (a list joined by «و» or commas); a statement or
        # agreement of type "other" can be signed too («بالتوقيع على البيان الثلاثي»)
        kinds = {"treaty", "other"} if kind == RelationKind.SIGNED else {"treaty"}
        if row["voice"] == "before":
            # «ووقعت مصر على اتفاقية حقوق الطفل في … وصدقت عليها في …»: the treaty named before
            named = [i for i in instruments if i.type in kinds and s_start <= i.start and i.end <= t_start]
            later = [d for d in dates if d.date and t_end <= d.start < s_end]
            if named:
                result.append(FoundRelation(kind, named[-1], None, (s_start, s_end),
                                            date=later[0].date if later else None))
            continue
        treaties = [i for i in instruments if i.type in kinds and t_end <= i.start < s_end]
        chain, last = [], t_end
        for i in sorted(treaties, key=lambda x: x.start):
            gap = f[last : i.start]
            # «انضمت إلى الاتفاقية …», «صدقت المملكة على …», «… والاتفاقية …»
            lead_in = not chain and _pattern("treaty_gap").fullmatch(gap)
            if not lead_in and (i.start - last > 12 or re.search(r"[^\s،,و]", gap)):
                break
            chain.append(i)
            last = i.end
        if not chain:
            continue
        # the ratifying act follows the treaties: «… بموجب قانون … المؤرخ …»
        basis = next(
            (i for i in instruments
             if i.type != "treaty" and 0 <= i.start - last <= 60
             and _marked(f, i)),
            None,
        )
        date = basis.date if basis is not None else None
        lead = _pattern("leading_date").match(f, s_start)
        if date is None and lead:  # «وفي 8 آذار/مارس 2023، وقعت أذربيجان البروتوكول …»
            date = next((d.date for d in dates if d.date and d.start <= lead.end() + 5
                         and d.end > lead.end() and d.end <= t_start), None)
        if date is None:
            later = [d for d in dates if d.date and last <= d.start < s_end
                     and not _deadline(f, d.start) and not _pattern("year_name").match(f, d.start)]
            date = later[0].date if later else None
        for treaty in chain:
            result.append(FoundRelation(kind, treaty, basis, (s_start, s_end), date=date))
    return result


def find_relations(
    t: str,
    f: str,
    institutions: list[Found],
    instruments: list[Found],
    dates: list[DateMatch],
) -> list[FoundRelation]:
    """All relations of one paragraph."""
    bodies = _bodies(institutions, instruments)
    return (
        find_changes(t, f, institutions, instruments, dates)
        + find_subordinations(t, f, bodies, [i for i in institutions if i not in bodies])
        + find_instrument_links(t, f, instruments, dates)
    )


_APPROVERS = frozenset({"decree", "order", "decision", "law"})
_APPROVED = frozenset({"programme", "strategy", "action_plan", "concept", "regulation"})
_UNDATED_TYPES = frozenset(
    {"decree", "order", "decision", "law", "constitutional_law", "other", "programme",
     "strategy", "action_plan", "concept", "regulation"}
)
_BASIS_TYPES = frozenset(
    {"decree", "order", "decision", "law", "constitutional_law", "constitution", "other",
     "regulation"}
)


def issuer_from_subject(
    f: str, instruments: list[Found], dates: list[DateMatch]
) -> list[Found]:
    """Give an act with no issuer the issuer that is the subject of its verb.

    «ووقع رئيس جمهورية أذربيجان أمرا بتاريخ …», «وأقر مجلس الوزراء بتاريخ 2 آذار/مارس 2016
    الخطة الوطنية …»: the President signed the order, the Cabinet adopted the plan.
    """
    if not instruments:
        return instruments
    by_start = {i.start: n for n, i in enumerate(instruments)}
    result = list(instruments)
    for verb in _subject_verbs().finditer(f):
        at = _skip_space(f, verb.end())
        hit = match_issuer(f, at)
        if hit is None:
            continue
        end, row = hit
        gap_end = end
        when = next((d for d in dates if 0 <= d.start - end <= 12
                     and _pattern("subject_gap").match(f[end : d.start])), None)
        if when is not None:
            gap_end = when.end
        for start, n in by_start.items():
            ins = result[n]
            if start >= gap_end and not ins.issuer and _pattern("subject_gap").match(f[gap_end:start]):
                result[n] = replace(ins, issuer=row["code"], issuer_label=row["label_ar"],
                                    issuer_span=(at, end))
    return result


_FULL_STOP = re.compile(r"\.(?:\s|$)")


def issuer_from_list_intro(f: str, instruments: list[Found]) -> list[Found]:
    """Give the acts listed after an intro the intro's issuer.

    «طرف في الاتفاقيات التالية لمنظمة العمل الدولية: رقم 131 (اتفاقية …)؛ …», «والقرارين
    الصادرين عن مجلس الوزراء، وهما القرار المؤرخ … والقرار الصادر …».
    """
    if not instruments:
        return instruments
    result = list(instruments)
    for intro in _pattern("list_issuer_intro").finditer(f):
        hit = match_issuer(f, intro.end())
        if hit is None:
            continue
        end, row = hit
        opened = _pattern("list_issuer_open").match(f[end : end + 20])
        if opened is None:
            continue
        list_start = end + opened.end()
        stop = _FULL_STOP.search(f, list_start)  # items may end with «؛»
        s_end = stop.start() if stop else len(f)
        for n, ins in enumerate(result):
            if list_start <= ins.start < s_end and not ins.issuer:
                result[n] = replace(ins, issuer=row["code"], issuer_label=row["label_ar"],
                                    issuer_span=(intro.end(), end))
    return result


@cache
def _subject_verbs() -> re.Pattern[str]:
    return _verbs(lambda row: row.get("subject") == "1")


def date_from_context(
    t: str, f: str, instruments: list[Found], dates: list[DateMatch]
) -> list[Found]:
    """Date an undated decree, order, decision or law by its sentence's leading date.

    «وفي 29 تشرين الثاني/نوفمبر 2019، أنشئت بموجب أمر صادر عن رئيس الجمهورية …»: the order is
    of 29 November 2019.  Only a date that opens the sentence counts, and only when the sentence
    also has a trigger (creation, adoption) that the instrument is the basis of.
    """
    result = []
    for ins in instruments:
        if ins.date is None and (ins.type in _UNDATED_TYPES or ins.type == "treaty"):
            s_start, s_end = sentence_bounds(t, ins.start)
            lead = _pattern("leading_date").match(f, s_start)
            at = lead.end() if lead else -1
            d = next((d for d in dates if d.date and d.start <= at + 5 and d.end > at), None)
            inside = [d for d in dates if d.date and s_start <= d.start < s_end
                      and not any(i.start <= d.start < i.end for i in instruments)
                      and not _deadline(f, d.start)]
            treaty = ins.type == "treaty"
            verb = _context_verb(f, s_start, s_end, treaty=treaty)
            if treaty:
                # «وقعت معاهدة غولستان» dates the treaty; «وقعت أذربيجان البروتوكول» is the
                # state's signature, not the treaty's own date
                verb = _context_verbs(True).search(f, max(s_start, ins.start - 12), ins.start)
                if not verb or f[verb.end() : ins.start].strip():
                    result.append(ins)
                    continue
            if lead and d and d.end <= ins.start and (verb or find_triggers(f[s_start:s_end])):
                ins = replace(ins, date=d.date)
            elif verb and len(inside) == 1 and inside[0].date is not None:
                ins = replace(ins, date=inside[0].date)
        result.append(ins)
    return result


@cache
def _context_verbs(treaty: bool) -> re.Pattern[str]:
    return _verbs(lambda row: not treaty or row["treaty"] == "1")


def _verbs(keep: Callable[[dict[str, str]], bool]) -> re.Pattern[str]:
    """The verbs of ``lexicons/context_verbs.tsv`` whose row passes ``keep``, as whole words."""
    forms = [f for f, row in table("context_verbs.tsv").items() if keep(row)]
    return re.compile(r"(?<!\w)(?:[وف]?)(?:" + alternation(forms) + r")(?!\w)")


def _context_verb(f: str, start: int, end: int, treaty: bool = False) -> bool:
    return _context_verbs(treaty).search(f, start, end) is not None


@cache
def _deadline_words() -> frozenset[str]:
    return frozenset(table("date_blockers.tsv"))


def _deadline(f: str, start: int) -> bool:
    """True for «حتى عام 2025», «بحلول عام 2026»: a target date, not an adoption date."""
    before = f[max(0, start - 12) : start].split()
    return bool(before) and before[-1] in _deadline_words()


def find_approvals(
    t: str, f: str, instruments: list[Found]
) -> tuple[list[Found], list[FoundRelation]]:
    """«اعتمد، بموجب مرسوم مؤرخ …، البرنامج الحكومي …»: the decree approves the programme.

    The approved instrument takes the approving act's date and issuer when it has none, since
    the text dates its adoption by that act.
    """
    updated = {id(i): i for i in instruments}
    found: list[tuple[Found, list[Found], tuple[int, int]]] = []
    for t_start, _t_end, row in find_triggers(f):
        if row["relation"] != RelationKind.APPROVES:
            continue
        s_start, s_end = sentence_bounds(t, t_start)
        inside = [i for i in instruments if s_start <= i.start < s_end]
        by = _approver(f, inside)
        approved = [i for i in inside if i.type in _APPROVED]
        if row["voice"] == "before":
            # «قانون مكافحة الاتجار بالبشر الصادر بالمرسوم …»: the act right before is issued by it
            just_before = [i for i in inside if i.end <= t_start and not f[i.end : t_start].strip(" ،,")]
            approved = [i for i in just_before if by is not None and i is not by] or approved
        if by is None or not approved:
            continue
        found.append((by, approved, (s_start, s_end)))
        for target in approved:
            if target.date is None and target.type not in _APPROVED:
                updated[id(target)] = replace(target, date=by.date)  # a law promulgated by a decree
            elif target.date is None:
                updated[id(target)] = replace(
                    target, date=by.date, issuer=target.issuer or by.issuer,
                    issuer_label=target.issuer_label or by.issuer_label,
                )
    relations = [
        FoundRelation(RelationKind.APPROVES, by, updated[id(target)], span)
        for by, approved, span in found
        for target in approved
    ]
    return [updated[id(i)] for i in instruments], relations


def _approver(f: str, inside: list[Found]) -> Found | None:
    """The one dated decree, order, decision or law of a sentence that approves the others.

    With several, the one introduced by «بموجب/وفقا ل…» («وفقا للمرسوم … وإلغاء المرسوم …
    واعتمد نظامها الأساسي»); None when it stays ambiguous.
    """
    approvers = [i for i in inside if i.type in _APPROVERS and i.date is not None]
    marked = [i for i in approvers if _marked(f, i)]
    if len(approvers) > 1 and len(marked) == 1:
        approvers = marked
    return approvers[0] if len(approvers) == 1 else None
