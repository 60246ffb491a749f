"""Clean Arabic report text while keeping a map back to the original; pure functions.

Every repair only deletes characters or replaces one character by one other character, so
``Normalized.offsets`` stays a monotone map into the original text.  The repairs run in a
fixed order, repeated until nothing changes, which makes :func:`normalize` idempotent.

Joining words split by PDF extraction (``«ا لصادر»`` -> ``«الصادر»``) uses the words of the
text itself as evidence: a piece is joined to the neighbour that makes a word seen elsewhere in
the same text; the letter lists in ``lexicons/split_words.tsv`` decide the rest.  So the same
broken snippet may normalise differently alone and inside its document: to clean a span of a
document, slice the document's :class:`Normalized` instead of normalising the span again.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import accumulate, compress, product, repeat
from operator import add, not_, sub

from .records import Normalized
from .resources import read_tsv

Edit = tuple[int, int, str]  # replace text[start:end] by a string no longer than end - start

_LETTER = "\u0621-\u064a"
_DIACRITICS = re.compile("[\u064b-\u065f\u0670]+")
_TATWEEL = re.compile("\u0640+")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u061c\u00ad]+")
_SPACES = str.maketrans(
    dict.fromkeys(
        "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
        "\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\v\f",
        " ",
    )
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_FOLD = str.maketrans("أإآٱىةیک", "اااايهيك")
# str.translate with a dict table costs ~150 ns a character; nine str.replace calls are 20x faster
_FOLD_PAIRS = tuple((chr(a), chr(b)) for a, b in _FOLD.items())
_RUNS = re.compile("  +")  # « {2,}»; opening with two spaces, it is looked for 4x faster
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:\d+\]\**")
_FOOTNOTE_BODY = re.compile(r"\[(\d+):[ \t*]*([^\[\]]*)\]")
_TOKEN = re.compile(f"[{_LETTER}]+")
_TOKEN_SPLIT = re.compile(f"([{_LETTER}]+)")
_FOLD_OUTSIDE = "".join(a for a, _b in _FOLD_PAIRS if not _TOKEN.fullmatch(a))  # ٱ ی ک
# a year split in two after a month name (see _year_pattern, the reference form of this test)
# («\d\d{0,2}» is «\d{1,3}» opening with a digit, which the regex engine looks for quickly)
_YEAR_DIGITS = re.compile(r"(?P<a>\d\d{0,2}) (?P<b>\d{1,3})(?![\d.,]| \d)")
_LETTER_MIN, _LETTER_MAX = "\u0621", "\u064a"  # the range of _LETTER
_GROUPED = re.compile(r"\d{3}(?:\.\d+)?(?: \d{3})*(?: \d{1,3})?|\d{1,3}(?:\.\d+)?")


def normalize(text: str) -> Normalized:
    """Return ``text`` cleaned for matching, with offsets back into ``text``.

    >>> normalize("الصادر في 1 0 كانون الثاني").text
    'الصادر في 10 كانون الثاني'
    """
    state = _State(text, list(range(len(text) + 1)))
    clean: dict[int, str] = {}  # step -> the text it last found nothing to repair in
    steps = _steps()
    settled: set[int] = set()  # character steps run since the last edit that could feed them
    while True:
        before = state.text
        for i, step in enumerate(steps):
            if clean.get(i) is state.text or i in settled:
                continue  # repairs are pure: same text, no edits again (saves whole passes)
            edits = step(state.text)
            if edits:
                old = state.text
                state = state.apply(edits)
                _carry(old, state.text, edits)
                new = {c for _start, _end, r in edits for c in r}
                settled = {j for j in settled if not new & steps[j].chars}  # type: ignore[attr-defined]
            else:
                clean[i] = state.text
            if isinstance(step, _CharacterStep):
                settled.add(i)  # none of its characters is left, and deletions make none
        if state.text == before:
            return Normalized(state.text, text, tuple(state.offsets))


def fold(text: str) -> str:
    """Fold letter variants for matching only; the result has the same length as ``text``.

    أ إ آ ٱ -> ا, ى -> ي, ة -> ه, Persian ی -> ي and ک -> ك: «المؤسسة الأهلية» -> «المؤسسه الاهليه».
    Never show folded text to users; use it for lookups and ``token.norm_``.
    """
    for a, b in _FOLD_PAIRS:  # same as text.translate(_FOLD): no target is also a source
        if a in text:
            text = text.replace(a, b)
    return text


def grouped_number(s: str) -> int | float:
    """Read a number whose thousands groups are printed in reverse order.

    Right-to-left typesetting flips digit groups: «000 350» is 350000, «600 86» is 86600,
    «900 196 2» is 2196900.  The first group printed is the lowest; only it may carry a decimal
    part: «184.7 2» is 2184.7 (a float).  Raise ValueError for anything else.
    """
    s = s.strip().replace("\u00a0", " ")
    if not _GROUPED.fullmatch(s):
        raise ValueError(f"not a reversed digit-group number: {s!r}")
    groups = s.split(" ")
    digits = "".join(reversed(groups))
    return float(digits) if "." in digits else int(digits)


# --- the repairs, in the order they run -----------------------------------------------------


def remove_footnote_markup(text: str) -> list[Edit]:
    """Drop ``[footnoteRef:1]*`` and put footnote bodies ``[1: *\\tنص]`` on their own line.

    The footnote's words stay (they can cite laws); its brackets become line breaks so they do
    not glue onto the sentence: «أذربيجان[footnoteRef:1]* [1: *\\tتصدر ...]» -> «أذربيجان \\nتصدر ...\\n».
    """
    edits: list[Edit] = [(m.start(), m.end(), "") for m in _FOOTNOTE_REF.finditer(text)]
    for m in _FOOTNOTE_BODY.finditer(text):
        edits.append((m.start(), m.start(2), "\n"))
        edits.append((m.end() - 1, m.end(), "\n"))
    return sorted(edits)


def drop_invisible(text: str) -> list[Edit]:
    """Drop zero-width, soft-hyphen and bidi control characters (U+200B–U+200F, U+202A–U+202E …)."""
    return _deletions(_INVISIBLE, text)


def remove_tatweel(text: str) -> list[Edit]:
    """Drop the tatweel (kashida) used for justification: «تقريبـاً» -> «تقريباً»."""
    return _deletions(_TATWEEL, text)


def strip_diacritics(text: str) -> list[Edit]:
    """Drop harakat, tanween, shadda, sukun and dagger alif (U+064B–U+065F, U+0670)."""
    return _deletions(_DIACRITICS, text)


def plain_spaces(text: str) -> list[Edit]:
    """Replace NBSP, narrow NBSP, tabs and other Unicode spaces by a plain space."""
    return _char_edits(_SPACES, text)


def ascii_digits(text: str) -> list[Edit]:
    """Replace Arabic-Indic (٣) and Eastern Arabic-Indic (۳) digits by ASCII digits."""
    return _char_edits(_DIGITS, text)


def collapse_spaces(text: str) -> list[Edit]:
    """Collapse runs of spaces into one; line breaks are kept."""
    return [(m.start() + 1, m.end(), "") for m in _RUNS.finditer(text)]


def join_split_words(text: str) -> list[Edit]:
    """Remove spaces that PDF extraction put inside words: «ا لتشجيع» -> «التشجيع».

    Only a lone letter or a known fragment («ال») is joined, to whichever neighbour gives a
    word seen elsewhere in the text («العم ل الجماعية» -> «العمل الجماعية»); without evidence
    ``lexicons/split_words.tsv`` and the word beginnings/endings of the text decide: final
    letters join backwards («وجب ة» -> «وجبة»), initial ones forwards («ت برم» -> «تبرم»).
    Letters in «(أ)» or glued to a number («و37») are left alone; a letter after a number
    («2001 م») or before a non-word («ل "معايير"») is joined only into a known word.
    """
    rules = _split_rules()
    tk = _tokens(text)
    starts, ends, seps, n = tk.starts, tk.ends, tk.seps, len(tk.folded)
    # only a token listed in split_words.tsv can be weak: find those, then look at their runs
    pieces = [
        k
        for k in compress(range(n), map(rules.folded_pieces.__contains__, tk.folded))
        if text[starts[k] : ends[k]] in rules.pieces
    ]
    if not pieces:
        return []
    evidence: _Evidence | None = None
    edits: list[Edit] = []
    hi = 0
    for k in pieces:
        if k < hi:
            continue  # in the run just done
        lo, hi = k, k + 1  # the run of k: tokens separated by single spaces
        while lo > 0 and seps[lo] == " ":
            lo -= 1
        while hi < n and seps[hi] == " ":
            hi += 1
        tokens = list(zip(starts[lo:hi], ends[lo:hi], strict=True))
        weak = [0] * (hi - lo)
        for j in range(k - lo, hi - lo):
            if text[tokens[j][0] : tokens[j][1]] in rules.pieces:
                weak[j] = _weakness(text, j, tokens, rules)
        if not any(weak):
            continue
        if evidence is None:
            evidence = _evidence(text)
        for a, b in _clusters(weak):
            words = [text[x:y] for x, y in tokens[a:b]]
            joins = _best_joins(words, tk.folded[lo + a : lo + b], weak[a:b], evidence, rules)
            edits.extend((tokens[a + i][1], tokens[a + i + 1][0], "") for i in joins)
    # clusters capped at 9 tokens may share a token, and both may delete the same space
    return sorted(set(edits))


def join_split_pairs(text: str) -> list[Edit]:
    """Join two pieces of a word split in the middle: «مطاب قة» -> «مطابقة», «بع دها» -> «بعدها».

    Only when the joined word occurs elsewhere in the text and at least one piece never occurs
    on its own elsewhere; two words that each stand alone elsewhere are never glued («ما لا»).
    A joined word known only without its prefix («بالمؤسسات» from «المؤسسات») needs both
    pieces to be unknown: «في ظل» stays although «يظل» occurs.
    """
    rules = _split_rules()
    tk = _tokens(text)
    n = len(tk.folded)
    if n < 2:
        return []
    evidence = _evidence(text)
    folded, seps, words = tk.folded, tk.seps, evidence.words
    # _pair_joins holds only if a piece is seen nowhere else (at most once in the word counts,
    # or twice when the pair is one piece twice) and the pair makes a word of the text or both
    # pieces are seen nowhere else: look only around such pieces
    repeated = evidence.repeated
    few = list(compress(range(n), map(not_, map(evidence.frequent.__contains__, folded))))
    seen = list(map(repeated.__contains__, map(folded.__getitem__, few)))
    rare = list(compress(few, map(not_, seen)))  # at most once: a rare piece
    rare_set = set(rare)
    if rare and rare[-1] == n - 1:
        rare.pop()  # pairs with a right neighbour below
    after_rare = [k + 1 for k in rare]
    pairs = {k for k in rare if k + 1 in rare_set}
    pairs.update(compress(rare, map(words.__contains__, map(
        add, map(folded.__getitem__, rare), map(folded.__getitem__, after_rare)))))
    # a rare piece with its left neighbour (the neighbour's own pairs are above when it is rare)
    before = [k - 1 for k in rare_set if k]
    pairs.update(compress(before, map(words.__contains__, map(
        add, map(folded.__getitem__, before), map(folded.__getitem__, map((1).__add__, before))))))
    pairs.update(k for k in compress(few, seen) if k < n - 1 and folded[k + 1] == folded[k])
    edits: list[Edit] = []
    after = 0  # a token joined to its left neighbour is not joined again to its right one
    for i in sorted(pairs):
        if i < after or seps[i + 1] != " ":
            continue
        if _pair_joins(folded[i], folded[i + 1], evidence, rules):
            edits.append((tk.ends[i], tk.starts[i + 1], ""))
            after = i + 2
    return edits


def _pair_joins(left: str, right: str, evidence: _Evidence, rules: _SplitRules) -> bool:
    """Tell whether two adjacent tokens (folded) are halves of one word."""
    if len(left) < 2 or len(right) < 2:
        return False  # (two pieces of two letters or more make four letters or more)
    count = evidence.words.get  # (no Counter.__missing__ call for unseen words)
    here = 2 if left == right else 1  # the occurrences of this pair
    left_alone, right_alone = count(left, 0) - here > 0, count(right, 0) - here > 0
    if left_alone and right_alone:
        return False
    joined = left + right
    if count(joined, 0) > 0:
        return True  # a word seen as such may absorb a real word: «قرا رات»
    # one seen only with another prefix may not: «في ظل» is not «فيظل» although «يظل» occurs
    # _familiarity(joined, …, here=Counter()) <= 0.5: seen, or seen without a prefix (the
    # scores of word beginnings and endings never go below 1.1)
    return not (left_alone or right_alone) and _known_with_prefix(joined, evidence, _NOWHERE, rules)


def join_split_dates(text: str) -> list[Edit]:
    """Join digits split inside a date: «1 0 كانون الثاني» -> «10 …», «حزيران/يونيه 20 01» -> «2001».

    Reversed thousands groups («000 350», «600 86») are never touched: only two single digits
    before a month name (a day 10–31) and two groups after a month name that make a year
    1800–2099 are joined.
    """
    folded = fold(text)
    edits: list[Edit] = []
    for m in _day_pattern().finditer(folded):
        if 10 <= int(m["a"] + m["b"]) <= 31:
            edits.append((m.end("a"), m.start("b"), ""))
    # «MONTH(/WORD)? a b»: find the digit pairs first (rare), then look back for the month
    months = _month_forms_by_length()
    for m in _YEAR_DIGITS.finditer(folded):
        if len(m["a"]) + len(m["b"]) != 4 or not 1800 <= int(m["a"] + m["b"]) <= 2099:
            continue
        end = m.start() - 1  # the month (or «/WORD» after it) ends before the space
        if end < 0 or folded[end] != " ":
            continue
        w = end
        while w > 0 and _LETTER_MIN <= folded[w - 1] <= _LETTER_MAX:
            w -= 1
        ends = (end, w - 1) if w < end and folded[w - 1 : w] == "/" else (end,)
        # a month ends at e: folded.endswith(month, 0, e) for some month, by the months' lengths
        if any(folded[e - size : e] in forms for e in ends for size, forms in months if size <= e):
            edits.append((m.end("a"), m.start("b"), ""))
    return sorted(edits)


REPAIRS: tuple[Callable[[str], list[Edit]], ...] = (
    remove_footnote_markup,
    drop_invisible,
    remove_tatweel,
    strip_diacritics,
    plain_spaces,
    ascii_digits,
    collapse_spaces,
    join_split_words,
    join_split_pairs,
    join_split_dates,
)


# --- machinery ------------------------------------------------------------------------------


# the repairs that replace or delete single characters, whatever surrounds them
_CHARACTER_REPAIRS: dict[Callable[[str], list[Edit]], re.Pattern[str] | dict[int, int | str]] = {
    drop_invisible: _INVISIBLE,
    remove_tatweel: _TATWEEL,
    strip_diacritics: _DIACRITICS,
    plain_spaces: _SPACES,
    ascii_digits: _DIGITS,
}


class _CharacterStep:
    """Consecutive character repairs done in one scan: what they do, one after another.

    Each character is deleted or replaced by at most one of them (checked), and no replacement
    is a character any of them changes, so one scan gives the text and offsets of the sequence.
    """

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.chars = frozenset(table)
        self.pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(table)) + "]+")

    def __call__(self, text: str) -> list[Edit]:
        table = self.table
        edits: list[Edit] = []
        for m in self.pattern.finditer(text):
            run, start = m[0], m.start()
            if len(run) == 1:
                edits.append((start, start + 1, table[run]))
            else:
                edits.extend((start + k, start + k + 1, table[c]) for k, c in enumerate(run))
        return edits


def _character_table(repair: Callable[[str], list[Edit]]) -> dict[str, str]:
    spec = _CHARACTER_REPAIRS[repair]
    if isinstance(spec, re.Pattern):
        every = "".join(map(chr, range(0x110000)))
        return dict.fromkeys("".join(spec.findall(every)), "")
    table = {chr(a): b if isinstance(b, str) else chr(b) for a, b in spec.items()}
    return {a: b for a, b in table.items() if a != b}


def _merged(group: list[Callable[[str], list[Edit]]]) -> list[Callable[[str], list[Edit]]]:
    tables = [_character_table(r) for r in group]
    merged: dict[str, str] = {}
    for table in tables:
        if merged.keys() & table.keys():
            return group  # two repairs change one character: keep them apart
        merged.update(table)
    if any(c in merged for r in merged.values() for c in r):
        return group  # a replacement that a repair would change again
    return [_CharacterStep(merged)]


@cache
def _steps() -> tuple[Callable[[str], list[Edit]], ...]:
    """REPAIRS, with each run of character repairs merged into one :class:`_CharacterStep`."""
    steps: list[Callable[[str], list[Edit]]] = []
    group: list[Callable[[str], list[Edit]]] = []
    for repair in (*REPAIRS, None):
        if repair is not None and repair in _CHARACTER_REPAIRS:
            group.append(repair)
            continue
        if group:
            steps.extend(_merged(group) if len(group) > 1 else group)
            group = []
        if repair is not None:
            steps.append(repair)
    return tuple(steps)


@dataclass(frozen=True, slots=True)
class _State:
    text: str
    offsets: list[int]

    def apply(self, edits: list[Edit]) -> _State:
        """Apply sorted, non-overlapping edits, carrying the offsets along."""
        if not edits:
            return self
        parts: list[str] = []
        offsets: list[int] = []
        pos = 0
        for start, end, repl in edits:
            if start < pos or len(repl) > end - start:
                raise AssertionError(f"bad edit {(start, end, repl)!r} after position {pos}")
            parts.append(self.text[pos:start])
            offsets.extend(self.offsets[pos:start])
            parts.append(repl)
            offsets.extend(self.offsets[start : start + len(repl)])
            pos = end
        parts.append(self.text[pos:])
        offsets.extend(self.offsets[pos:])
        return _State("".join(parts), offsets)


def _deletions(pattern: re.Pattern[str], text: str) -> list[Edit]:
    return [(m.start(), m.end(), "") for m in pattern.finditer(text)]


_SOURCES: dict[int, re.Pattern[str]] = {}


def _char_edits(table: dict[int, int | str], text: str) -> list[Edit]:
    """The edits of ``_replacements(text, text.translate(table))``, found by one regex scan.

    ``str.translate`` with a dict table costs ~150 ns a character on the whole text, each pass.
    """
    pattern = _SOURCES.get(id(table))
    if pattern is None:
        chars = "".join(chr(c) for c in table)
        pattern = _SOURCES[id(table)] = re.compile("[" + re.escape(chars) + "]")
    edits = []
    for m in pattern.finditer(text):
        new = table[ord(m[0])]
        new = new if isinstance(new, str) else chr(new)
        if new != m[0]:
            edits.append((m.start(), m.end(), new))
    return edits


def _replacements(text: str, new: str) -> list[Edit]:
    if new == text:
        return []
    return [(i, i + 1, b) for i, (a, b) in enumerate(zip(text, new, strict=True)) if a != b]


@dataclass(frozen=True)
class _SplitRules:
    kinds: dict[str, str]
    prefixes: tuple[str, ...]

    @cached_property
    def pieces(self) -> frozenset[str]:
        """The forms that may be a piece of a split word (any other token is a whole word)."""
        return frozenset(f for f, k in self.kinds.items() if k in _PIECE_KINDS)

    @cached_property
    def folded_pieces(self) -> frozenset[str]:
        return frozenset(fold(f) for f in self.pieces)

    @cached_property
    def prefix_set(self) -> frozenset[str]:
        return frozenset(self.prefixes)

    @cached_property
    def prefix_sizes(self) -> tuple[int, ...]:
        return tuple(sorted({len(p) for p in self.prefixes}, reverse=True))


@cache
def _split_rules() -> _SplitRules:
    kinds: dict[str, str] = {}
    prefixes: list[str] = []
    for row in read_tsv("split_words.tsv"):
        if row["kind"] == "prefix":
            prefixes.append(row["form"])
        else:
            kinds[row["form"]] = row["kind"]
    return _SplitRules(kinds, tuple(sorted(prefixes, key=len, reverse=True)))


@cache
def _month_forms() -> frozenset[str]:
    return frozenset(fold(row["form"]) for row in read_tsv("months.tsv"))


@cache
def _month_forms_by_length() -> tuple[tuple[int, frozenset[str]], ...]:
    """The folded month forms grouped by length: (length, forms)."""
    sizes = sorted({len(f) for f in _month_forms()})
    return tuple((n, frozenset(f for f in _month_forms() if len(f) == n)) for n in sizes)


@cache
def _month_alternation() -> str:
    names = sorted((re.escape(f).replace(r"\ ", " ") for f in _month_forms()), key=len, reverse=True)
    return "(?:" + "|".join(names) + ")"


@cache
def _day_pattern() -> re.Pattern[str]:
    # the digit first, its look-behinds after it: a pattern that starts with «\d» is scanned
    # for digits in C (one that starts with a look-behind is tried at every position)
    return re.compile(rf"(?P<a>\d)(?<![\d.,/]\d)(?<![\d.,/] \d) (?P<b>\d) {_month_alternation()}")


@cache
def _year_pattern() -> re.Pattern[str]:
    month = _month_alternation()
    return re.compile(rf"{month}(?:/[{_LETTER}]+)? (?P<a>\d{{1,3}}) (?P<b>\d{{1,3}})(?![\d.,]| \d)")


STRONG, WEAK, CAUTIOUS = 0, 1, 2
_PIECE_KINDS = ("proclitic", "initial", "final", "inner", "fragment")
_WORD_END = frozenset(" \n،؛:؟!.,;?\"'»«)(/")


def _weakness(text: str, i: int, tokens: list[tuple[int, int]], rules: _SplitRules) -> int:
    """Tell whether token ``i`` is a whole word, a piece of a split word, or possibly one."""
    start, end = tokens[i]
    kind = rules.kinds.get(text[start:end], "")
    if kind not in _PIECE_KINDS:
        return STRONG
    before, after = text[start - 1 : start], text[end : end + 1]
    if (before and before not in _WORD_END) or (after and after not in _WORD_END):
        return STRONG  # glued to a number or a symbol: «و37»
    if after in (")", ".", "-", "/"):
        return STRONG  # a list letter «(أ)» or an abbreviation «ص.»
    if start >= 2 and text[start - 2].isdigit():
        return CAUTIOUS  # «2001 م», but also «735 م ستشفى»
    if kind in ("proclitic", "initial", "fragment") and i == len(tokens) - 1:
        return CAUTIOUS  # «وفقاً ل "معايير»: the next word is not Arabic letters
    if kind == "final" and i == 0:
        return CAUTIOUS
    return WEAK


@dataclass(frozen=True, slots=True)
class _Tokens:
    """The letter tokens of a text: spans, the text between them, and their folded forms."""

    starts: list[int]
    ends: list[int]
    seps: list[str]  # seps[k]: the text before token k (seps[-1]: after the last token)
    folded: list[str]  # the tokens, letter-folded
    plain: bool = True  # no «ی»: the folded text has the same tokens


def _tokens(text: str) -> _Tokens:
    """The tokens of ``text`` (remembered: join_split_words and join_split_pairs share them)."""
    found = _MEMO.get(text)
    if found is None:
        found = _remember(text, _tokenize(text), None)
    return found[0]


def _evidence(text: str) -> _Evidence:
    """The word counts of ``text`` (remembered with its tokens)."""
    found = _MEMO.get(text)
    if found is not None and found[1] is not None:
        return found[1]
    tokens = found[0] if found is not None else _tokenize(text)
    evidence = _Evidence.of(text, tokens)
    _remember(text, tokens, evidence)
    return evidence


_MEMO: dict[str, tuple[_Tokens, _Evidence | None]] = {}  # the last two texts tokenised


def _remember(
    text: str, tokens: _Tokens, evidence: _Evidence | None
) -> tuple[_Tokens, _Evidence | None]:
    if len(_MEMO) >= 2:
        _MEMO.clear()  # a document's passes use the last text or two, one after another
    _MEMO[text] = (tokens, evidence)
    return tokens, evidence


def _carry(old: str, new: str, edits: list[Edit]) -> None:
    """Remember the tokens and word counts of ``new`` (``old`` after ``edits``) if ``old``'s are.

    The joins only delete a space between two tokens (or digits between numbers): the new
    tokens are the old ones with some merged, which costs a fraction of tokenising again.
    Runs of tokens between changed separators are copied as slices, their offsets shifted.
    """
    found = _MEMO.get(old)
    if found is None or new in _MEMO or not found[0].plain:
        return
    tokens, evidence = found
    starts, ends, seps, folded = tokens.starts, tokens.ends, tokens.seps, tokens.folded
    n = len(folded)
    changed: dict[int, list[Edit]] = {}  # separator index -> its edits (separator offsets)
    for start, end, repl in edits:
        if any(not (c < _LETTER_MIN or c > _LETTER_MAX) or c in _FOLD_OUTSIDE for c in repl):
            return  # an edit that writes letters makes or changes tokens
        j = bisect_right(ends, start)  # separator j lies between tokens j - 1 and j
        lo = ends[j - 1] if j else 0
        hi = starts[j] if j < n else len(old)
        if end > hi:
            return  # the edit reaches into a token
        changed.setdefault(j, []).append((start - lo, end - lo, repl))
    new_starts: list[int] = []
    new_ends: list[int] = []
    new_seps: list[str] = []
    new_folded: list[str] = []
    groups: list[list[int]] = []  # old tokens merged into one
    shift = 0  # characters deleted before the token being copied
    k = 0  # the next old token (with the separator before it) to copy
    for j in sorted(changed):
        if j > k:
            new_seps.extend(seps[k:j])
            new_folded.extend(folded[k:j])
            if shift:
                new_starts.extend(map(sub, starts[k:j], repeat(shift, j - k)))
                new_ends.extend(map(sub, ends[k:j], repeat(shift, j - k)))
            else:
                new_starts.extend(starts[k:j])
                new_ends.extend(ends[k:j])
        sep, at = [], 0
        for a, b, repl in changed[j]:
            sep.append(seps[j][at:a])
            sep.append(repl)
            at = b
        sep.append(seps[j][at:])
        new_sep = "".join(sep)
        shift += len(seps[j]) - len(new_sep)
        k = j + 1
        if j == n:
            new_seps.append(new_sep)
            break
        if new_sep or j == 0:
            new_seps.append(new_sep)
            new_folded.append(folded[j])
            new_starts.append(starts[j] - shift)
            new_ends.append(ends[j] - shift)
            continue
        new_folded[-1] += folded[j]  # the separator is gone: tokens j - 1 and j are one
        new_ends[-1] = ends[j] - shift
        if groups and groups[-1][-1] == j - 1:
            groups[-1].append(j)
        else:
            groups.append([j - 1, j])
    if k <= n:
        new_seps.extend(seps[k:])
        new_folded.extend(folded[k:])
        new_starts.extend(map(sub, starts[k:], repeat(shift, n - k)))
        new_ends.extend(map(sub, ends[k:], repeat(shift, n - k)))
    derived = _Tokens(new_starts, new_ends, new_seps, new_folded)
    del _MEMO[old]  # its word counts move on to ``new``
    if evidence is not None:
        evidence.merge([[folded[i] for i in g] for g in groups])
    _remember(new, derived, evidence)


def _tokenize(text: str) -> _Tokens:
    f = fold(text)
    if any(c in text for c in _FOLD_OUTSIDE):  # «ی» folds into a letter: cut at the text's tokens
        parts = _TOKEN_SPLIT.split(text)  # separator, token, separator, …, separator
        bounds = list(accumulate(map(len, parts), initial=0))
        starts, ends = bounds[1:-1:2], bounds[2::2]
        folded = [f[a:b] for a, b in zip(starts, ends, strict=True)]
    else:  # folding keeps letters letters and the rest as it is: same tokens, same separators
        parts = _TOKEN_SPLIT.split(f)
        bounds = list(accumulate(map(len, parts), initial=0))
        starts, ends, folded = bounds[1:-1:2], bounds[2::2], parts[1::2]
        return _Tokens(starts, ends, parts[0::2], folded)
    return _Tokens(starts, ends, parts[0::2], folded, plain=False)


class _Evidence:
    """Word counts of the text: whole words, and 3-letter word beginnings and endings."""

    def __init__(self, words: Counter[str]) -> None:
        self.words = words

    @classmethod
    def of(cls, text: str, tokens: _Tokens) -> _Evidence:
        if not tokens.plain:
            return cls(Counter(_TOKEN.findall(fold(text))))
        return cls(Counter(tokens.folded))  # same tokens: folding keeps letters letters

    def merge(self, groups: list[list[str]]) -> None:
        """Change the counts in place as if each group of words were written as one word."""
        if not groups:
            return
        words = self.words
        for group in groups:
            for w in group:
                words[w] -= 1
                if words[w] <= 0:
                    del words[w]
            words["".join(group)] += 1
        if "ends" in self.__dict__:  # move the beginnings and endings along
            heads, tails = self.ends
            for group in groups:
                for w, step in [(w, -1) for w in group] + [("".join(group), 1)]:
                    if len(w) >= 3:
                        heads[w[:3]] += step
                        tails[w[-3:]] += step
        self.__dict__.pop("repeated", None)  # derived from the old counts
        self.__dict__.pop("frequent", None)

    @cached_property
    def repeated(self) -> frozenset[str]:
        """Words seen twice or more."""
        return frozenset(w for w, n in self.words.items() if n >= 2)

    @cached_property
    def frequent(self) -> frozenset[str]:
        """Words seen three times or more."""
        return frozenset(w for w, n in self.words.items() if n >= 3)

    @cached_property
    def ends(self) -> tuple[Counter[str], Counter[str]]:
        """Counts of the 3-letter beginnings and endings of words (one pass for both)."""
        heads: dict[str, int] = {}
        tails: dict[str, int] = {}
        for word, n in self.words.items():
            if len(word) >= 3:
                head, tail = word[:3], word[-3:]
                heads[head] = heads.get(head, 0) + n
                tails[tail] = tails.get(tail, 0) + n
        return Counter(heads), Counter(tails)


def _clusters(weak: list[bool]) -> Iterator[tuple[int, int]]:
    """Yield token ranges around weak tokens whose joins interact."""
    lo = hi = -1
    for i, w in enumerate(weak):
        if not w:
            continue
        a, b = max(0, i - 1), min(len(weak), i + 2)
        if lo >= 0 and a < hi and b - lo <= 9:
            hi = b
        else:
            if lo >= 0:
                yield lo, hi
            lo, hi = a, b
    if lo >= 0:
        yield lo, hi


def _best_joins(
    words: list[str], folded: list[str], weak: list[int], evidence: _Evidence, rules: _SplitRules
) -> list[int]:
    """Return the indexes ``i`` of the spaces (between words i and i+1) to delete.

    ``folded`` holds the words letter-folded.
    """
    joinable = [i for i in range(len(words) - 1) if weak[i] or weak[i + 1]]
    here = Counter(folded)
    best: tuple[float, int, list[int]] | None = None
    costs: dict[tuple[int, int], float] = {}  # the same piece recurs in many choices
    joined = [False] * len(words)  # joined[i]: the space after word i is deleted
    for choice in product((False, True), repeat=len(joinable)):
        for i, c in zip(joinable, choice, strict=True):
            joined[i] = c
        cost = 0.0
        start = 0
        for end in range(1, len(words) + 1):
            if end < len(words) and joined[end - 1]:
                continue
            c = costs.get((start, end))
            if c is None:
                c = _word_cost(words, folded, weak, start, end, evidence, here, rules)
                costs[start, end] = c
            cost += c
            start = end
            if best is not None and cost > best[0]:
                break  # costs are never negative: this choice cannot win any more
        else:
            n = sum(choice)
            if best is None or (cost, n) < best[:2]:
                best = (cost, n, [i for i, c in zip(joinable, choice, strict=True) if c])
    return best[2] if best and best[0] < math.inf else []


def _word_cost(
    words: list[str],
    folded: list[str],
    weak: list[int],
    first: int,
    end: int,
    evidence: _Evidence,
    here: Counter[str],
    rules: _SplitRules,
) -> float:
    """Cost of the word made of ``words[first:end]``: 0 known … 1.5 unknown, 4 a lone piece."""
    if end - first == 1:
        if weak[first] == WEAK:
            return 4.0
        if weak[first] == CAUTIOUS:
            return 0.0
        return _familiarity(folded[first], evidence, here, rules)
    last = end - 1
    head_kind = rules.kinds.get(words[first]) if weak[first] else None
    if head_kind == "final" or not _well_formed(words[first], words[first + 1], weak[first]):
        return math.inf
    cost = _familiarity("".join(folded[first:end]), evidence, here, rules)
    if cost > 0 and CAUTIOUS in weak[first:end]:
        return math.inf
    if cost >= 1 and weak[first:end].count(STRONG) >= 2:
        return 5.0  # never glue two words together without evidence
    if cost >= 1:
        # no evidence: a lone initial letter leans forwards, any other letter backwards,
        # and a one-letter preposition or conjunction strongly forwards
        tail_kind = rules.kinds.get(words[last]) if weak[last] else None
        cost += _LEAN.get(tail_kind, 0.0)
        if head_kind not in (None, "proclitic", "initial", "fragment"):
            cost += 0.1
    return cost


# extra cost of ending a joined word with a lone piece of this kind (when no evidence)
_LEAN = {"proclitic": 1.0, "initial": 0.1, "fragment": 0.1}


def _well_formed(head: str, rest: str, head_weak: int) -> bool:
    """Reject joins that make impossible Arabic: «ل»+«الجماعية», «ت»+«السمية»."""
    if not head_weak or not rest.startswith("ال"):
        return True
    return head in ("و", "ف", "ب", "ك")


_NOWHERE: Counter[str] = Counter()


def _known_with_prefix(key: str, evidence: _Evidence, here: Counter[str], rules: _SplitRules) -> bool:
    """Tell whether the folded word ``key`` minus a prefix (``rules.prefixes``) is seen elsewhere."""
    for size in rules.prefix_sizes:
        prefix, rest = key[:size], key[size:]
        if prefix not in rules.prefix_set or len(rest) < 2:
            continue
        if prefix.endswith("ل") and rest.startswith("ال"):
            continue
        if evidence.words.get(rest, 0) - here.get(rest, 0) > 0:
            return True
    return False


def _familiarity(key: str, evidence: _Evidence, here: Counter[str], rules: _SplitRules) -> float:
    """Score how word-like the folded word ``key`` is here: 0 seen elsewhere, 0.5 with a prefix, ≤1.5."""
    if evidence.words.get(key, 0) - here.get(key, 0) > 0:
        return 0.0
    if _known_with_prefix(key, evidence, here, rules):
        return 0.5
    cost = 1.5
    if len(key) >= 3:
        # seen elsewhere: counted in the text, less the words here (never a negative count)
        head, tail = key[:3], key[-3:]
        heads, tails = evidence.ends
        seen = heads.get(head, 0)
        if seen > 0 and seen - sum(n for w, n in here.items() if len(w) >= 3 and w[:3] == head) > 0:
            cost -= 0.2
        seen = tails.get(tail, 0)
        if seen > 0 and seen - sum(n for w, n in here.items() if len(w) >= 3 and w[-3:] == tail) > 0:
            cost -= 0.2
    return cost
