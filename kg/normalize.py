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
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import product

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
_RUNS = re.compile(" {2,}")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:\d+\]\**")
_FOOTNOTE_BODY = re.compile(r"\[(\d+):[ \t*]*([^\[\]]*)\]")
_WORD_RUN = re.compile(f"[{_LETTER}]+(?: [{_LETTER}]+)*")
_TOKEN = re.compile(f"[{_LETTER}]+")
_GROUPED = re.compile(r"\d{3}(?:\.\d+)?(?: \d{3})*(?: \d{1,3})?|\d{1,3}(?:\.\d+)?")


def normalize(text: str) -> Normalized:
    """Return ``text`` cleaned for matching, with offsets back into ``text``.

    >>> normalize("الصادر في 1 0 كانون الثاني").text
    'الصادر في 10 كانون الثاني'
    """
    state = _State(text, list(range(len(text) + 1)))
    clean: dict[int, str] = {}  # repair -> the text it last found nothing to repair in
    while True:
        before = state.text
        for i, repair in enumerate(REPAIRS):
            if clean.get(i) is state.text:
                continue  # repairs are pure: same text, no edits again (saves whole passes)
            edits = repair(state.text)
            if edits:
                state = state.apply(edits)
            else:
                clean[i] = state.text
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
    evidence: _Evidence | None = None
    edits: list[Edit] = []
    for run in _WORD_RUN.finditer(text):
        tokens = [(m.start() + run.start(), m.end() + run.start()) for m in _TOKEN.finditer(run[0])]
        weak = [_weakness(text, i, tokens, rules) for i in range(len(tokens))]
        if not any(weak):
            continue
        if evidence is None:
            evidence = _Evidence.of(text)
        for lo, hi in _clusters(weak):
            words = [text[a:b] for a, b in tokens[lo:hi]]
            joins = _best_joins(words, weak[lo:hi], evidence, rules)
            edits.extend((tokens[lo + i][1], tokens[lo + i + 1][0], "") for i in joins)
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
    evidence: _Evidence | None = None
    folded = ""
    edits: list[Edit] = []
    for run in _WORD_RUN.finditer(text):
        if " " not in run[0]:
            continue
        if evidence is None:
            evidence, folded = _Evidence.of(text), fold(text)
        tokens = [(m.start() + run.start(), m.end() + run.start()) for m in _TOKEN.finditer(run[0])]
        i = 0
        while i < len(tokens) - 1:
            if _pair_joins(folded, tokens[i], tokens[i + 1], evidence, rules):
                edits.append((tokens[i][1], tokens[i + 1][0], ""))
                i += 2
            else:
                i += 1
    return edits


def _pair_joins(
    folded: str,
    first: tuple[int, int],
    second: tuple[int, int],
    evidence: _Evidence,
    rules: _SplitRules,
) -> bool:
    """Tell whether two adjacent tokens (spans of the folded text) are halves of one word."""
    left, right = folded[first[0] : first[1]], folded[second[0] : second[1]]
    if min(len(left), len(right)) < 2 or len(left) + len(right) < 4:
        return False
    words = evidence.words
    alone = [words[w] - (1 + (left == right)) > 0 for w in (left, right)]
    if all(alone):
        return False
    joined = left + right
    if words[joined] > 0:
        return True  # a word seen as such may absorb a real word: «قرا رات»
    # one seen only with another prefix may not: «في ظل» is not «فيظل» although «يظل» occurs
    return not any(alone) and _familiarity(joined, evidence, Counter(), rules) <= 0.5


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
    for m in _year_pattern().finditer(folded):
        if len(m["a"]) + len(m["b"]) == 4 and 1800 <= int(m["a"] + m["b"]) <= 2099:
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
def _month_alternation() -> str:
    forms = {fold(row["form"]) for row in read_tsv("months.tsv")}
    names = sorted((re.escape(f).replace(r"\ ", " ") for f in forms), key=len, reverse=True)
    return "(?:" + "|".join(names) + ")"


@cache
def _day_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![\d.,/])(?<![\d.,/] )(?P<a>\d) (?P<b>\d) {_month_alternation()}")


@cache
def _year_pattern() -> re.Pattern[str]:
    month = _month_alternation()
    return re.compile(rf"{month}(?:/[{_LETTER}]+)? (?P<a>\d{{1,3}}) (?P<b>\d{{1,3}})(?![\d.,]| \d)")


STRONG, WEAK, CAUTIOUS = 0, 1, 2
_WORD_END = frozenset(" \n،؛:؟!.,;?\"'»«)(/")


def _weakness(text: str, i: int, tokens: list[tuple[int, int]], rules: _SplitRules) -> int:
    """Tell whether token ``i`` is a whole word, a piece of a split word, or possibly one."""
    start, end = tokens[i]
    kind = rules.kinds.get(text[start:end], "")
    if kind not in ("proclitic", "initial", "final", "inner", "fragment"):
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


@dataclass(frozen=True)
class _Evidence:
    """Word counts of the text: whole words, and 3-letter word beginnings and endings."""

    words: Counter[str]
    heads: Counter[str]
    tails: Counter[str]

    @classmethod
    def of(cls, text: str) -> _Evidence:
        words = Counter(_TOKEN.findall(fold(text)))
        heads: Counter[str] = Counter()
        tails: Counter[str] = Counter()
        for word, n in words.items():
            if len(word) >= 3:
                heads[word[:3]] += n
                tails[word[-3:]] += n
        return cls(words, heads, tails)


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
    words: list[str], weak: list[int], evidence: _Evidence, rules: _SplitRules
) -> list[int]:
    """Return the indexes ``i`` of the spaces (between words i and i+1) to delete."""
    joinable = [i for i in range(len(words) - 1) if weak[i] or weak[i + 1]]
    here = Counter(fold(w) for w in words)
    best: tuple[float, int, list[int]] | None = None
    for choice in product((False, True), repeat=len(joinable)):
        joins = [i for i, c in zip(joinable, choice, strict=True) if c]
        cost = 0.0
        piece = [0]
        for i in range(1, len(words) + 1):
            if i == len(words) or (i - 1) not in joins:
                cost += _word_cost(words, weak, piece, evidence, here, rules)
                piece = [i]
            else:
                piece.append(i)
        if best is None or (cost, len(joins)) < best[:2]:
            best = (cost, len(joins), joins)
    return best[2] if best and best[0] < math.inf else []


def _word_cost(
    words: list[str],
    weak: list[int],
    piece: list[int],
    evidence: _Evidence,
    here: Counter[str],
    rules: _SplitRules,
) -> float:
    """Cost of the word made of ``words[piece]``: 0 known … 1.5 unknown, 4 a lone piece."""
    word = "".join(words[i] for i in piece)
    if len(piece) == 1:
        if weak[piece[0]] == WEAK:
            return 4.0
        if weak[piece[0]] == CAUTIOUS:
            return 0.0
        return _familiarity(word, evidence, here, rules)
    first, last = piece[0], piece[-1]
    head_kind = rules.kinds.get(words[first]) if weak[first] else None
    if head_kind == "final" or not _well_formed(words[first], words[first + 1], weak[first]):
        return math.inf
    cost = _familiarity(word, evidence, here, rules)
    if cost > 0 and any(weak[i] == CAUTIOUS for i in piece):
        return math.inf
    if cost >= 1 and sum(1 for i in piece if not weak[i]) >= 2:
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


def _familiarity(word: str, evidence: _Evidence, here: Counter[str], rules: _SplitRules) -> float:
    """Score how word-like ``word`` is in this text: 0 seen elsewhere, 0.5 with a prefix, ≤1.5."""
    key = fold(word)
    if evidence.words[key] - here[key] > 0:
        return 0.0
    for prefix in rules.prefixes:
        rest = key[len(prefix) :]
        if not key.startswith(prefix) or len(rest) < 2:
            continue
        if prefix.endswith("ل") and rest.startswith("ال"):
            continue
        if evidence.words[rest] - here[rest] > 0:
            return 0.5
    cost = 1.5
    if len(key) >= 3:
        mine_heads = sum(n for w, n in here.items() if len(w) >= 3 and w[:3] == key[:3])
        mine_tails = sum(n for w, n in here.items() if len(w) >= 3 and w[-3:] == key[-3:])
        if evidence.heads[key[:3]] - mine_heads > 0:
            cost -= 0.2
        if evidence.tails[key[-3:]] - mine_tails > 0:
            cost -= 0.2
    return cost
