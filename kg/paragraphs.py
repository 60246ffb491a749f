"""Normalised text -> numbered UN paragraphs; pure functions.

UN reports number their paragraphs «157-» at the start of a line.  PDF extraction breaks some
numbers («9 3-», «1 77-») and tables put figures at line starts, so a number is accepted only
as part of the longest rising sequence of candidates (each step at most :data:`MAX_STEP`).
Headings, table rows and lettered items «(أ)» belong to the preceding numbered paragraph; the
text before the first number is paragraph ``"0"``.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, insort

from .errors import InputError
from .records import Diagnostic, Normalized, Paragraph

MAX_STEP = 50  # largest accepted jump between consecutive paragraph numbers
MAX_FIRST = 999  # a report's first paragraph number is below this
# spaCy refuses longer texts (E088); real UN paragraphs stay under 5,000 characters, so a
# longer one means the text lost its line breaks or numbering.
MAX_PARAGRAPH = 1_000_000

_CANDIDATE = re.compile(r"^[ \t]*(?P<label>\d(?:[ ]?\d){0,3}[ ]?[-–])(?=[ \t]|$)", re.MULTILINE)
# A number with no dash, followed by a tab in the original: «273\tومنذ عام 2020» (doc 000).
_DASHLESS = re.compile(r"^[ ]*(?P<label>\d{1,3}) (?=\S)", re.MULTILINE)
_LABEL = re.compile(r"\s*(\d(?: ?\d){0,3}) ?[-–]\s*")


def paragraph_number(s: str) -> int | None:
    """Read a paragraph label: «157-» -> 157, «9 3-» -> 93, «1 77-» -> 177; else None.

    The dash is required (it is what tells a paragraph number from a table figure); spaces
    inside the number come from PDF extraction and are ignored.
    """
    m = _LABEL.fullmatch(s)
    return int(m[1].replace(" ", "")) if m else None


def split_paragraphs(norm: Normalized, doc_id: str) -> list[Paragraph]:
    """Split normalised text into numbered paragraphs (see the module docstring)."""
    return split_paragraphs_with_diagnostics(norm, doc_id)[0]


def split_paragraphs_with_diagnostics(
    norm: Normalized, doc_id: str
) -> tuple[list[Paragraph], list[Diagnostic]]:
    """Split into paragraphs and report rejected number candidates and gaps in the numbering."""
    text = norm.text
    candidates = [
        (m.start(), n)
        for m in _CANDIDATE.finditer(text)
        if (n := paragraph_number(m["label"])) is not None and n > 0
    ]
    chosen = _rising_chain([n for _, n in candidates])
    starts = [candidates[i] for i in chosen]
    taken = set(chosen)
    rejected = [c for i, c in enumerate(candidates) if i not in taken]
    dashless = _dashless(norm, starts)
    starts = sorted(starts + dashless)
    diagnostics = _diagnostics(norm, starts, rejected, dashless, doc_id)
    bounds: list[tuple[int, str]] = []
    if not starts or text[: starts[0][0]].strip():
        bounds.append((0, "0"))
    bounds.extend((pos, str(n)) for pos, n in starts)
    paragraphs: list[Paragraph] = []
    for index, (start, number) in enumerate(bounds):
        stop = bounds[index + 1][0] if index + 1 < len(bounds) else len(text)
        while start < stop and text[start] in " \t\n":
            start += 1
        end = stop
        while end > start and text[end - 1] in " \t\n":
            end -= 1
        if end - start > MAX_PARAGRAPH:
            line = norm.original.count("\n", 0, norm.offsets[start]) + 1
            raise InputError(
                f"{doc_id}: paragraph {number} (line {line}) has {end - start:,} characters, more "
                f"than the limit of {MAX_PARAGRAPH:,}; the text seems to have lost its line "
                "breaks or paragraph numbers: extract it again, or split the file"
            )
        paragraphs.append(Paragraph(doc_id, number, index, start, end, text[start:end]))
    return paragraphs, diagnostics


def _dashless(norm: Normalized, starts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Find dashless numbers that fill a gap of exactly one: «272-» «273\t» «274-»."""
    found: list[tuple[int, int]] = []
    for (a, m), (b, n) in itertools.pairwise(starts):
        if n != m + 2:
            continue
        for hit in _DASHLESS.finditer(norm.text, a, b):
            tab = norm.offsets[hit.end("label")]
            if int(hit["label"]) == m + 1 and norm.original[tab : tab + 1] == "\t":
                found.append((hit.start(), m + 1))
                break
    return found


def _rising_chain(numbers: list[int]) -> list[int]:
    """Return indexes of the longest rising run with steps ≤ MAX_STEP (fewest skipped numbers)."""
    best: list[tuple[int, int, int]] = []  # (length, -skipped, previous index)
    ends: dict[int, list[int]] = {}  # number -> indexes of the chains that end on it
    numbers_ended: list[int] = []  # the keys of ends, sorted
    for i, n in enumerate(numbers):
        score = (1, -(n - 1), -1) if n <= MAX_FIRST else (0, 0, -1)
        top: tuple[int, int, int] | None = None  # the best extension; on a tie the earliest j
        low, high = bisect_left(numbers_ended, n - MAX_STEP), bisect_left(numbers_ended, n)
        for m in numbers_ended[low:high]:  # only chains ending within MAX_STEP below n
            for j in ends[m]:
                cand = (best[j][0] + 1, best[j][1] - (n - m - 1), -j)
                if top is None or cand > top:
                    top = cand
        if top is not None and top[:2] > score[:2]:
            score = (top[0], top[1], -top[2])
        best.append(score)
        if score[0]:
            if n not in ends:
                insort(numbers_ended, n)
            ends.setdefault(n, []).append(i)
    if not best or not max(best)[0]:
        return []
    i = max(range(len(best)), key=lambda k: (best[k][:2], -k))
    chain: list[int] = []
    while i >= 0:
        chain.append(i)
        i = best[i][2]
    return chain[::-1]


def _diagnostics(
    norm: Normalized,
    starts: list[tuple[int, int]],
    rejected: list[tuple[int, int]],
    dashless: list[tuple[int, int]],
    doc_id: str,
) -> list[Diagnostic]:
    """Describe gaps in the numbering, dashless numbers and rejected candidates.

    Line numbers count lines of the original text, where a user would look.
    """
    out: list[tuple[int, Diagnostic]] = []

    def line(pos: int) -> int:
        return norm.original.count("\n", 0, norm.offsets[pos]) + 1

    for (_, m), (pos, n) in itertools.pairwise(starts):
        if n != m + 1:
            message = f"line {line(pos)}: paragraph numbers jump from {m} to {n}"
            out.append((pos, Diagnostic("warning", message, doc_id, str(n))))
    for pos, n in dashless:
        message = f"line {line(pos)}: paragraph {n} has no dash after its number; taken as one"
        out.append((pos, Diagnostic("info", message, doc_id, str(n))))
    for pos, n in rejected:
        previous = max((m for p, m in starts if p < pos), default=0)
        message = (
            f"line {line(pos)}: {n} at the start of a line is not taken as a paragraph number "
            f"(the previous one is {previous}); kept as text"
        )
        out.append((pos, Diagnostic("info", message, doc_id, str(previous))))
    return [d for _, d in sorted(out, key=lambda item: item[0])]
