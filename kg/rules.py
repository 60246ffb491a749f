"""Rule matchers over one paragraph of normalised text; pure, driven by ``lexicons/``.

Every matcher takes the normalised text ``t`` and its letter-folded twin ``f`` (same length,
:func:`kg.normalize.fold`) and returns :class:`Found` spans with offsets into ``t``.  Arabic
attaches conjunctions, prepositions and the article to the word («وللجنة»), so head words are
matched with an optional prefix group and names run on word by word following
``lexicons/name_grammar.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from .dates import DateMatch, find_dates
from .lexicon import alternation, compile_pattern, fold_form, matched_form, patterns, table
from .records import Date

_WORD = re.compile(r"[^\s،,.;:؛!?؟()\[\]\"«»“”'/]+")
_PUNCT_END = re.compile(r"[\s]*[،,.;:؛!?؟()\[\]\"«»“”]")
_PARAGRAPH_NUMBER = re.compile(r"\s*[\d ]{1,6}-\s*")
# «(?<!\d)\.|\.(?!\d)|[;؛!?؟\n]|\s-\s» («رقم 103.13» goes on), written to open with a set of
# characters (which the regex engine looks for quickly) and test the look-arounds after it
_SENTENCE_END = re.compile(r"[.;؛!?؟\s](?:(?<=\.)(?:(?<!\d\.)|(?!\d))|(?<=[;؛!?؟\n])|(?<=\s)-\s)")


@dataclass(frozen=True, slots=True)
class Found:
    """A matched span ``[start, end)`` of the paragraph's normalised text, with attributes."""

    kind: str  # instrument | institution | post | issuer | article | date
    start: int
    end: int
    label: str = ""
    type: str = ""
    date: Date | None = None
    issuer: str = ""
    issuer_label: str = ""
    issuer_span: tuple[int, int] | None = None
    number: str = ""
    title: str = ""
    period: tuple[int, int] | None = None
    head: str = ""  # folded head word (institutions), for short references
    target: tuple[int, int] | None = None  # articles: span of the instrument they belong to
    extras: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=256)  # the finders of a paragraph ask again for the same positions
def sentence_bounds(t: str, pos: int) -> tuple[int, int]:
    """Return the sentence around ``pos``: from after the previous full stop to the next."""
    start = 0
    # look back a bounded window first: a paragraph can be one huge line (linear, not quadratic)
    for window in (max(0, pos - 2000), 0):
        for m in _SENTENCE_END.finditer(t, window, pos):
            start = m.end()
        if start or not window:
            break
    number = _PARAGRAPH_NUMBER.match(t, start)
    if number and number.end() <= pos:
        start = number.end()  # «157-\t» is the paragraph's number, not part of its first sentence
    m = _SENTENCE_END.search(t, pos)
    return start, (m.start() if m else len(t))


def _sentence_end(t: str, pos: int) -> int:
    """``sentence_bounds(t, pos)[1]``, without looking for the start."""
    m = _SENTENCE_END.search(t, pos)
    return m.start() if m else len(t)


_HEADS: dict[re.Pattern[str], re.Pattern[str]] = {}  # word-start regex -> its bare head words
_WORD_CHARS = re.compile(r"\w*")


def _with_heads(regex: str, heads: str) -> re.Pattern[str]:
    """Compile ``regex`` for :func:`_scan`: its matches open a word, «(?<!\\w)», then letters
    (prefixes such as «وال») and one of the ``heads`` alternation."""
    compiled = re.compile(regex)
    _HEADS[compiled] = re.compile(heads)
    return compiled


def _scan(regex: re.Pattern[str], f: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(f)``, tried only at the words that hold a head word.

    A regex that opens with a look-behind is tried at every position of the text; its bare
    head words are looked for by their first letters instead.  A match starts at the start of
    the word that holds its head word (its prefix letters are in the same word), so the regex
    only needs trying there, once per such word, and most paragraphs hold none at all.
    """
    heads = _HEADS.get(regex)
    if heads is None:
        yield from regex.finditer(f)
        return
    search, match = heads.search, regex.match
    pos = last = 0  # look for heads from pos; the previous match ended at last
    while (found := search(f, pos)) is not None:
        start = head = found.start()
        while start and (f[start - 1].isalnum() or f[start - 1] == "_"):  # what «\w» matches
            start -= 1
        pos = max(_WORD_CHARS.match(f, head).end(), head + 1)  # a head later in the word: same start
        if start >= last and (m := match(f, start)) is not None:
            yield m
            last = m.end()


# --- lexicons compiled -----------------------------------------------------------------------


@cache
def _grammar() -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for form, row in table("name_grammar.tsv").items():
        roles.setdefault(row["role"], set()).add(_bare(form) if row["role"] == "link_after" else form)
    return roles


@cache
def institution_heads() -> tuple[re.Pattern[str], dict[str, dict[str, str]]]:
    """The institution and post head regex (prefix groups ll/pre/art, group head) and rows."""
    rows = dict(table("institution_heads.tsv"))
    rows.update(table("posts.tsv"))
    heads = alternation(rows)
    regex = (
        r"(?<!\w)(?:(?P<ll>[وف]?لل)(?=(?:HEADS)(?!\w))|(?P<pre>[وف]?[بلك]?)(?P<art>ال)?)"
        r"(?P<head>HEADS)(?!\w)".replace("HEADS", heads)
    )
    return _with_heads(regex, heads), rows


@cache
def _plural_and_heads() -> frozenset[str]:
    """Folded head words (without article) that start a new name inside a coordination.

    «… ووزارة العدل», «القانون المدني والقانون الخاص ب…»: institution and instrument heads.
    """
    heads = set(table("institution_heads.tsv")) | set(table("posts.tsv"))
    heads |= {f for f, row in table("name_grammar.tsv").items() if row["role"] == "plural_head"}
    for form in table("instrument_types.tsv"):
        first = form.split()[0]
        heads.add(first.removeprefix("ال"))
    return frozenset(heads)


@cache
def _instrument_heads() -> tuple[re.Pattern[str], dict[str, dict[str, str]]]:
    rows = dict(table("instrument_types.tsv"))
    contracted = {"ل" + form[2:]: row for form, row in rows.items() if form.startswith("ال")}
    heads = alternation(list(rows) + list(contracted))
    regex = r"(?<!\w)(?P<pre>[وف]?[بلك]?)(?P<head>HEADS)(?!\w)".replace("HEADS", heads)
    rows.update({k: v for k, v in contracted.items() if k not in rows})
    return _with_heads(regex, heads), rows


def _attributes_before(f: str, start: int, dates: list[DateMatch], info: dict[str, object]) -> bool:
    """«اعتمد مجلس الوزراء في 28 كانون الأول/ديسمبر 1998 قرارا»: issuer and date come first.

    The date must end right before the head, and an issuer right before the date, so the
    instrument is the object of «اعتمد/وقع/أصدر ISSUER في DATE».
    """
    date = next((d for d in dates if d.date and 0 <= start - d.end <= 2), None)
    if date is None:
        return False
    regex, _ordered = _issuers()
    issuer = None
    for m in regex.finditer(f, max(0, date.start - 60), date.start):
        if 0 <= date.start - m.end() <= 5 and _attribute_patterns()["date_before"].fullmatch(
            f, m.end(), date.start
        ):
            issuer = match_issuer(f, m.start())
    if issuer is None:
        return False
    info["date"] = date.date
    info["issuer"] = issuer[1]["code"]
    info["issuer_label"] = issuer[1]["label_ar"]
    return True


@cache
def _contracted() -> frozenset[str]:
    """Head forms with the article contracted after «ل»: «للقانون» is ل + القانون."""
    return frozenset("ل" + form[2:] for form in table("instrument_types.tsv") if form.startswith("ال"))


@cache
def _issuers() -> tuple[re.Pattern[str], list[tuple[str, dict[str, str]]]]:
    rows = table("issuers.tsv")
    plain = [f for f in rows if "{" not in f]
    with_state = [f for f in rows if "{" in f]
    state = r"(?!ال)[^\s،,.;:()\"«»]+"
    parts = [alternation(plain)] + [
        re.escape(f).replace(r"\ ", r"\s+").replace(r"\{state\}", state).replace(r"\{STATE\}", state)
        for f in sorted(with_state, key=len, reverse=True)
    ]
    ordered = [(f, rows[f]) for f in sorted(plain, key=len, reverse=True)] + [
        (f, rows[f]) for f in sorted(with_state, key=len, reverse=True)
    ]
    return re.compile("|".join(f"(?:{p})" for p in parts if p)), ordered


_ATTRIBUTES = (
    "issuer", "issuer_from", "issuer_direct", "date", "number", "number_slash",
    "title_about", "title_quoted", "period", "paren_note", "year_after_comma", "title_extend",
    "state_skip", "qualifier", "name_until_about",
)  # instrument_patterns.tsv also has title_stop, title_extend's guards, date_before, number_year
@cache
def _function_words(role: str) -> frozenset[str]:
    """Folded words of ``lexicons/function_words.tsv`` with this role."""
    return frozenset(form for form, row in table("function_words.tsv").items() if row["role"] == role)


def _after_demonstrative(f: str, start: int) -> bool:
    prev = f[max(0, start - 16) : start].split()
    if prev and " ".join(prev[-3:]) in _function_words("inclusive"):
        return False  # «بما في ذلك ميثاق الأمم المتحدة»: "including", not a reference back
    return bool(prev) and prev[-1] in _function_words("demonstrative")


@cache
def _attribute_patterns() -> dict[str, re.Pattern[str]]:
    issuer_regex = _issuers()[0].pattern
    found = patterns("instrument_patterns.tsv")
    return {
        name: compile_pattern(regex, "instrument_patterns.tsv", ISSUER=issuer_regex, DATE=r"\d|\w")
        for name, regex in found.items()
    }


@cache
def _subordination() -> re.Pattern[str]:
    heads = alternation(table("subordination.tsv"))
    return _with_heads(r"(?<!\w)(?:[وف]?)(?:" + heads + r")", heads)


@cache
def _triggers() -> tuple[re.Pattern[str], dict[str, dict[str, str]]]:
    rows = table("triggers.tsv")
    heads = alternation(rows)
    return _with_heads(r"(?<!\w)(?:[وف]?)(?P<t>" + heads + r")", heads), rows


def trigger_info(folded_trigger: str) -> dict[str, str]:
    """Return the triggers.tsv row of a matched (folded) trigger."""
    return _triggers()[1][matched_form(folded_trigger)]


# --- issuers -------------------------------------------------------------------------------


def match_issuer(f: str, pos: int) -> tuple[int, dict[str, str]] | None:
    """Match an issuer form starting exactly at ``pos`` of folded text; return (end, row)."""
    m = _issuers()[0].match(f, pos)
    if not m:
        return None
    matched = " ".join(m.group().split())
    for pattern, row in _issuer_forms():
        if pattern.fullmatch(matched):
            return m.end(), row
    return None


@cache
def _issuer_forms() -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    """The issuer forms of :func:`_issuers` in order, each compiled to match a whole form."""
    forms = []
    for form, row in _issuers()[1]:
        pattern = re.escape(form).replace(r"\ ", r"\s+")
        pattern = pattern.replace(r"\{STATE\}", r"(?!ال)[^\s،,.;:()\"«»]+")
        forms.append((re.compile(pattern), row))
    return tuple(forms)


# --- institutions --------------------------------------------------------------------------


def _words(f: str, pos: int, end: int) -> list[tuple[int, int, str]]:
    """Words of folded text from ``pos`` up to the first punctuation mark (or ``end``)."""
    stop = _PUNCT_END.search(f, pos, end)
    limit = stop.start() if stop else end
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(f, pos, limit)]


def _bare(w: str) -> str:
    """A folded word without «و» and its article or «لل»/«ل» prefix: «وللقضاء» → «قضاء»."""
    w = w[1:] if w.startswith("و") and len(w) > 3 else w
    for prefix in ("لل", "ال", "بال", "ل"):
        if w.startswith(prefix) and len(w) > len(prefix) + 2:
            return w[len(prefix):]
    return w


@cache
def _present_verb() -> re.Pattern[str]:
    """A present-tense verb form, not a verbal noun (relation_patterns.tsv ``present_verb``)."""
    return compile_pattern(patterns("relation_patterns.tsv")["present_verb"], "relation_patterns.tsv")


def _definite(w: str) -> bool:
    return w.startswith(("ال", "لل")) and len(w) > 3


def run_on(
    f: str, pos: int, end: int, *, after_indefinite: bool, max_words: int = 12, chains: bool = False
) -> int:
    """Return where a name that starts before ``pos`` ends, following the name grammar.

    «الدائرة الحكومية للهجرة في جمهورية …» ends before «في»; «لجنة الدولة لشؤون الأسرة والمرأة
    والطفل» runs through the coordination; «… ووزارة العدل» stops before a new head word.
    """
    g = _grammar()
    words = _words(f, pos, end)
    stop, purpose_object, state = g.get("stop", ()), g.get("purpose_object", ()), g.get("state", ())
    relational_words, continuing = g.get("relational", ()), g.get("continue", ())
    object_link, link_after = g.get("object_link", ()), g.get("link_after", ())
    regions, plurals = g.get("region", ()), g.get("plural_head", ())
    quantifiers, phrases = g.get("link_quantifier", ()), g.get("fixed_phrase", ())
    plural_and_heads = _plural_and_heads()
    last = pos
    relational = False
    closed = not after_indefinite  # a definite word closes a construct chain
    purpose = False  # the name has a purpose phrase «لمكافحة …», «للتكفل …»
    skip_next = 0  # words already taken into the name by a look-ahead
    dangling: tuple[int, int] | None = None  # (start, end) of a run of «مستقلة», «غير» …
    for i, (a, b, w) in enumerate(words[:max_words]):
        core = w[1:] if w.startswith("و") and _definite(w[1:]) else w
        bare = core[2:] if core.startswith("ال") else core[1:] if core.startswith("لل") else core
        if (w in stop or core in stop) and not (i and f"{words[i - 1][2]} {w}" in phrases):
            break  # «العاملة» ends a name, except in «القوى العاملة»
        if w in quantifiers and i > 0 and (words[i - 1][2] in object_link
                                           or _bare(words[i - 1][2]) in link_after):
            closed = False  # «على جميع أشكال التمييز», «ومكافحة كل أشكال التمييز»
            continue
        if w in object_link and i > 0 and _bare(words[i - 1][2]) in link_after:
            closed = False  # «للقضاء على ختان الإناث», «العنف ضد المرأة»: the object follows
            continue
        if w in purpose_object and i > 0 and (words[i - 1][2].startswith("ل")
                                              or _bare(words[i - 1][2]) in link_after) \
                and i + 1 < len(words) and _definite(words[i + 1][2]):
            last = words[i + 1][1]  # «للوقاية من التعذيب»: «من» completes a purpose phrase
            skip_next = 1
            continue
        if skip_next:
            skip_next -= 1
            continue
        if w in state and i + 1 < len(words) and (words[i + 1][2] in continuing
                                                  or words[i + 1][2].startswith("لل")):
            last = b  # «وزارة دولة لشؤون المرأة»: a minister of state, not a state's name
            continue
        if (core[1:] if core[:1] in ("ل", "ب") else core) in state or core in state:
            if w in state and not closed and i + 1 < len(words):
                last = words[i + 1][1]  # «مجلس وزراء جمهورية أذربيجان»: the state closes the chain
            break
        if w == "في" and i + 1 < len(words):
            region = next((n for n in (2, 1) if i + n < len(words) and " ".join(
                x[2] for x in words[i + 1 : i + 1 + n]) in regions), 0)
            if region:  # «منظمة الأمن والتعاون في أوروبا»
                last = words[i + region][1]
                skip_next = region
                continue
        verb = w[1:] if w.startswith("و") else w if i > 0 else ""
        if verb and not _definite(verb) and verb not in continuing and _present_verb().match(verb):
            break  # «… ويتولى رسم», «هيئة مستقلة تتمتع ب…»: a verb starts a new clause
        stem = w[1:] if w.startswith("و") else ""
        stem = stem.removeprefix("ال")
        after_plural = i > 0 and _bare(words[i - 1][2]) in plurals  # «الجمعيات والمؤسسات»
        two = f"{stem} {words[i + 1][2]}" if stem and i + 1 < len(words) else ""
        if stem and not after_plural and (stem in plural_and_heads or bare in plural_and_heads
                                          or stem.removesuffix("ها") in plural_and_heads
                                          or two in plural_and_heads):  # «ووسيط الجمهورية»
            break  # «… ووزارة العدل»: a new body starts
        if closed and i > 0 and w.startswith("ال") and bare in plural_and_heads:
            break  # «مجلس الوزراء السلطة التنفيذية», «مجلس النواب القانون رقم …»: a new phrase
        if not relational and w.startswith("ب") and w[1:].removeprefix("ال") in plural_and_heads:
            break  # «إدارة حقوق الإنسان بوزارة الداخلية»: a unit at another body
        if (purpose or i >= 2) and closed and w.startswith("بال") and len(w) > 5 and not relational:
            last = b  # «لمكافحة الاتجار بالبشر»: the object of the name's verbal noun
            continue
        purpose = purpose or w.startswith("ل")
        if w in relational_words:
            relational = True
            last = b
            continue
        if relational and w.startswith("ب") and len(w) > 3:
            relational = False
            last = b
            continue
        if _definite(core) or w in continuing:
            if not _definite(core):  # «هيئة مستقلة …»: a run the name may not end on
                dangling = (dangling[0] if dangling and dangling[1] == last else last, b)
            last = b
            closed = closed or _definite(core)
            continue
        if closed and not w.startswith(("ل", "و", "بال")):
            break  # «وزارة العدل رصد تنفيذ …»: after a closed chain a bare noun starts a new phrase
        if _construct(words, i, chains) and (
            i > 0 or after_indefinite or (chains and w.startswith("ل"))
        ):
            last = b  # construct state: «مركز باكو الدولي», «لتعزيز مكافحة الفساد»
            closed = False  # «… لنقابات عمال الصناعات»: a new chain opens
            continue
        break
    if dangling and dangling[1] == last:
        return dangling[0]  # a name does not end on «مستقلة», «غير»: cut the run off
    return last


def _construct(words: list[tuple[int, int, str]], i: int, chains: bool = False) -> bool:
    """An indefinite word belongs to a name when a definite word closes its construct chain.

    «حقوق الإنسان», «لتعزيز مكافحة الفساد»: one or two indefinite nouns, then a definite one.
    Words of the «ي» imperfect (verbs) and function words never do.
    """
    w = words[i][2]
    if w in _function_words("function") or w.startswith("ي") or len(w) < 3 or _verb_like(w):
        return False
    ahead = [x[2] for x in words[i + 1 : i + 4]]
    if ahead and (_definite(ahead[0]) or ahead[0] in _grammar().get("relational", ())
                  or ahead[0] in _grammar().get("state", ()) and len(ahead) > 1):
        return True  # «حقوق الإنسان», «وزراء جمهورية لبنان»
    if not (chains or w.startswith(("ل", "و"))):
        # «مصلحة حماية حقوق الإنسان»: two indefinite nouns, then a definite one
        return (
            len(ahead) > 1
            and ahead[0] not in _function_words("function")
            and not ahead[0].startswith(("ل", "ي", "و"))
            and _definite(ahead[1])
        )
    # «لإيواء وإعادة تأهيل الفئات», «وقضايا حقوق الإنسان», and in instrument names
    # «إقرار معاهدة مجلس أوروبا»: a chain of indefinite nouns closed by a definite one
    for j, x in enumerate(ahead):
        if _definite(x):
            return j > 0
        if x in _function_words("function") or x.startswith("ي") or _verb_like(x):
            return False
    return False


def _verb_like(w: str) -> bool:
    """«وأتيحت», «وأنشئت»: a conjunction glued to a past-tense verb, never inside a name."""
    return w.startswith("و") and w.endswith("ت") and len(w) > 4


def find_institutions(t: str, f: str) -> list[Found]:
    """Find institution and post names (two words at least) in a paragraph."""
    regex, rows = institution_heads()
    found: list[Found] = []
    for m in _scan(regex, f):
        head = matched_form(m.group("head"))
        row = rows[head]
        start = m.start("head") if not m.group("art") else m.start("art")
        if m.group("ll"):
            start = m.start("head") - 1  # «للجنة» -> label «اللجنة»
        if head in _grammar().get("state_body", ()):
            if m.group("art") or m.group("ll"):
                continue  # «الحكومة الإلكترونية» is e-government, «الحكومة» a short reference
            end = _state_name_end(f, m.end())  # «حكومة أذربيجان», «حكومة جمهورية أذربيجان»
        else:
            end = run_on(f, m.end(), len(f), after_indefinite=not (m.group("art") or m.group("ll")))
        if end <= m.end() and " " not in head:
            continue  # a bare head word («الوزارة») is a short reference, not a name
        if head in _ambiguous_heads():
            if (m.group("pre") or m.group("ll")) and not m.group("art"):
                continue  # «لإدارة ترتيبات …»: "to manage", not a department
            if len(f[start:end].split()) < int(_ambiguous_heads()[head]["min_words"]):
                continue
        label = t[start:end]
        if m.group("ll"):
            label = "ال" + t[m.start("head") : end]
        if fold_form(label) in not_institutions():
            continue
        kind = "post" if row.get("kind") == "post" else "institution"
        issuer = match_issuer(f, start) if kind == "post" else None
        if issuer is not None and issuer[0] >= end:
            # «رئيس الجمهورية» is the issuer post: one node, whatever the wording
            code, label, end = issuer[1]["code"], issuer[1]["label_ar"], issuer[0]
            found.append(Found(kind, start, end, label=label, type=row["kind"], head=head,
                               issuer=code))
            continue
        found.append(
            Found(kind, start, end, label=" ".join(label.split()), type=row["kind"], head=head)
        )
    return _drop_aliases(f, _drop_nested(found))


def _state_name_end(f: str, pos: int) -> int:
    """End of a one-word state name right after ``pos`` (not a function word, not definite)."""
    words = _words(f, pos, min(len(f), pos + 40))
    if not words or words[0][0] > pos + 1:
        return pos
    w = words[0][2]
    if w in _function_words("function") or _definite(w) or w.startswith("ي") or len(w) < 3:
        return pos
    if w in _grammar().get("state", ()) and len(words) > 1:
        return words[1][1]  # «جمهورية أذربيجان»
    return words[0][1]


def _drop_aliases(f: str, found: list[Found]) -> list[Found]:
    """«مفوض حقوق الإنسان (أمين المظالم)»: a name in brackets right after another is its alias."""
    result: list[Found] = []
    for item in found:
        prev = result[-1] if result else None
        if prev is not None and re.fullmatch(r"\s*\(\s*", f[prev.end : item.start]) and (
            f[item.end : item.end + 2].strip().startswith(")")
        ):
            continue
        result.append(item)
    return result


@cache
def _ambiguous_heads() -> dict[str, dict[str, str]]:
    return table("ambiguous_heads.tsv")


@cache
def not_institutions() -> frozenset[str]:
    """Folded names that are never institutions (states, historic polities, branches of power)."""
    return frozenset(table("not_institutions.tsv"))


def _drop_nested(found: list[Found]) -> list[Found]:
    """Keep the outermost of overlapping spans (a head inside another name is not a new body)."""
    result: list[Found] = []
    for item in sorted(found, key=lambda x: (x.start, -x.end)):
        if result and item.start < result[-1].end:
            continue
        result.append(item)
    return result


# --- instruments ---------------------------------------------------------------------------


_NAME_AND_ACT = ("name+attr", "name+act")  # instrument_types.tsv `needs` of heads that are also nouns


def _approved_here(f: str, start: int, end: int, sentence_end: int, near: bool = False) -> bool:
    """An approval trigger earlier in the sentence or right after the phrase («أقر مجلس الوزراء
    بتاريخ … "قواعد …"», «… المعتمدة بموجب»); only just before it when ``near``."""
    before = f[max(0, start - 20) if near else sentence_bounds(f, start)[0] : start]
    after = f[end : min(sentence_end, end + 30)]
    return any(row["relation"] == "approves" for _s, _e, row in find_triggers(before + " " + after))


def _body_issuer(f: str, pos: int, by_start: dict[int, Found]) -> Found | None:
    """A body or post named right at ``pos`` (after a space and an optional «ل»)."""
    at = pos + 1 if f.startswith(" ", pos) else pos
    if match_issuer(f, at) or match_issuer(f, at + 1):
        return None  # a known issuer («مجلس الوزراء») is read by the issuer attributes
    return by_start.get(at) or (by_start.get(at + 1) if f.startswith("ل", at) else None)


def _date_at(dates: list[DateMatch], pos: int) -> DateMatch | None:
    """The date expression that starts at ``pos`` (or contains it: «لعام 2002» starts earlier)."""
    for d in dates:
        if 0 <= d.start - pos <= 1 or d.start <= pos < d.end:
            return d
    return None


def find_instruments(
    t: str, f: str, dates: list[DateMatch], institutions: list[Found]
) -> list[Found]:
    """Find legal instruments with their type, date, issuer, number, title and period."""
    regex, rows = _instrument_heads()
    attrs = _attribute_patterns()
    by_start = {i.start: i for i in institutions}
    found: list[Found] = []
    for m in _scan(regex, f):
        head = matched_form(m.group("head"))
        row = rows[head]
        if head in _contracted() and head not in table("instrument_types.tsv") and not m.group(
            "pre"
        ).endswith("ل"):
            continue  # contracted «للقانون» form needs the «ل» prefix
        pos = m.end()
        if _after_demonstrative(f, m.start()):
            continue  # «هذا القانون», «هذه الاستراتيجية»: a reference back, not a new instrument
        info: dict[str, object] = {}
        sentence_end = _sentence_end(t, m.start())
        named = False
        skip = attrs["state_skip"].match(f[pos:sentence_end])
        needs = "name" if row["needs"] in _NAME_AND_ACT else row["needs"]
        if skip and needs == "name":
            pos += skip.end()  # «قانون جمهورية أذربيجان بشأن …»
            named = row["type"] == "constitution"  # «دستور جمهورية أذربيجان»
        if row["type"] in ("law", "constitution") and _generic_use(f, m.start("head"), pos):
            continue
        if not named and needs == "name" and not re.match(
            r"[\s،]*(?:بشان|المتعلق|رقم|\"|«)", f[pos:]
        ):
            name_end = run_on(f, pos, sentence_end, after_indefinite=not head.startswith("ال"),
                              max_words=8, chains=True)
            if name_end > pos:
                info["title"] = t[pos:name_end].strip()
                named = True
                pos = name_end
        progressed = True
        while progressed:
            progressed = False
            before = pos
            window = f[pos:sentence_end]
            body = _body_issuer(f, pos, by_start) if row["needs"] == "attr" else None
            if body is not None and "issuer" not in info:
                # «قرار وزير الداخلية رقم (21)», «قرار لوزير العدل»: a body or post as issuer
                info["issuer"], info["issuer_label"] = "institution", body.label
                info["issuer_span"] = (body.start, body.end)
                pos = body.end
                progressed = True
                continue
            for name in _ATTRIBUTES:
                a = attrs[name].match(window)
                if not a:
                    continue
                if name in ("issuer", "issuer_from", "issuer_direct"):
                    if "issuer" in info:
                        continue
                    at = pos + a.end()
                    hit = match_issuer(f, at)
                    if hit:
                        info["issuer"] = hit[1]["code"]
                        info["issuer_label"] = hit[1]["label_ar"]
                        info["issuer_span"] = (at, hit[0])
                        pos = hit[0]
                    elif at in by_start and name == "issuer":
                        inst = by_start[at]
                        info["issuer"] = "institution"
                        info["issuer_label"] = inst.label
                        info["issuer_span"] = (inst.start, inst.end)
                        pos = inst.end
                    else:
                        continue
                elif name == "date":
                    if "date" in info:
                        continue
                    d = _date_at(dates, pos + a.end())
                    if d is None or d.date is None:
                        continue
                    if (
                        row["type"] == "treaty"
                        and not a.group("issued")
                        and a.group("connector") in (None, "في", "عام")
                    ):
                        continue  # «انضمت إلى الاتفاقية … في عام 1997»: the accession, not the treaty
                    info["date"] = d.date
                    pos = d.end
                elif name in ("number", "number_slash"):
                    if "number" in info:
                        continue
                    info["number"] = a.group("number")
                    year = a.groupdict().get("year")
                    if year:
                        info["number"] += f"/{year}"
                        info.setdefault("year", year)
                    by_number = attrs["number_year"].search(info["number"])
                    if by_number:  # «رقم 124/2008», «رقم 25/99», «رقم 2018-128»
                        y = by_number.group("year") or by_number.group("first")
                        info.setdefault("year", y if len(y) == 4 else f"19{y}")
                    pos += a.end()
                elif name in ("title_about", "title_quoted"):
                    if info.get("title") and not named:
                        continue
                    t_start, t_end = pos + a.start("title"), pos + a.end("title")
                    if name == "title_about" and f[t_start] not in '"«':
                        cut = attrs["title_stop"].search(f, t_start, t_end)
                        t_end = cut.start() if cut else t_end
                        t_end = _before_coordinated_head(f, t_start, t_end)
                    info["title"] = t[t_start:t_end].strip().strip('"«»').strip()
                    pos = t_end if name == "title_about" else pos + a.end()
                    named = False
                elif name == "title_extend":
                    if needs != "name" or "date" in info or info.get("title") and not named:
                        continue  # a name cut at «من»/«ب» runs on to «الصادر في DATE»
                    if attrs["title_stop"].search(f, pos, pos + a.end()) or _instrument_heads()[
                        0
                    ].search(f, pos + 1, pos + a.end()):
                        continue  # … but not across «بموجب أمر …» or another instrument
                    info["title"] = t[m.end() : pos + a.end()].strip()
                    pos += a.end()
                elif name == "year_after_comma":
                    if row["type"] != "treaty" or "date" in info:
                        continue  # «اتفاقية تساوي الأجور، 1951» (ILO style)
                    from .dates import parse_date

                    info["date"] = parse_date(f"عام {a.group('year')}")
                    pos += a.end()
                elif name == "name_until_about":
                    if named or needs != "name" or info.get("title"):
                        continue
                    if _instrument_heads()[0].search(f, pos + 1, pos + a.end()):
                        continue  # «… المعدل للقانون الدستوري بشأن …»: another instrument
                    pos += a.end()  # «قانون إقرار معاهدة مجلس أوروبا بشأن …»: the subject follows
                elif name == "qualifier":
                    if named:
                        continue
                    pos += a.end()  # «القانون الجديد …»: an adjective before the attributes
                elif name == "state_skip":
                    pos += a.end()  # «القانون الجديد لجمهورية أذربيجان بشأن …»
                elif name == "paren_note":
                    if not info.get("title"):
                        continue  # only a name or title may carry a parenthesised note
                    end_note = pos + a.end()
                    info["title"] = (str(info["title"]) + " " + t[pos : end_note].strip()).strip()
                    pos = end_note
                elif name == "period":
                    if "period" in info:
                        continue
                    info["period"] = (int(a.group("from")), int(a.group("to")))
                    pos += a.end()
                progressed = pos > before  # an attribute that consumes nothing ends the loop
                break
        has_attr = any(k in info for k in ("issuer", "date", "number", "period")) or (
            "title" in info and not named
        )
        if row["needs"] in _NAME_AND_ACT and not any(k in info for k in ("issuer", "date", "number")) \
                and not attrs["about_subject"].match(f, m.end()) \
                and not attrs["issued_by_act"].match(f[pos:sentence_end]) \
                and not _approved_here(f, m.start("head"), pos, sentence_end,
                                       near=row["needs"] == "name+attr"):
            continue  # «نظام التعليم» is a system; «نظام العمل رقم 8» is an act
        if not has_attr and row["needs"] == "attr":
            has_attr = _attributes_before(f, m.start("head"), dates, info)
        if row["needs"] == "attr" and not has_attr:
            continue
        if needs == "name" and not (has_attr or named):
            continue
        if "issuer" not in info and row.get("issuer"):
            implied = _issuer_by_code()[row["issuer"]]  # «الظهير الشريف»: the king
            info["issuer"], info["issuer_label"] = implied["code"], implied["label_ar"]
        if "issuer" not in info and fold_form(row["form"]).split()[-1] in _adjective_issuers():
            hit = _adjective_issuers()[fold_form(row["form"]).split()[-1]]
            info["issuer"], info["issuer_label"] = hit["code"], hit["label_ar"]
        date = info.get("date")
        if date is None and info.get("year"):
            from .dates import parse_date  # «رقم 5 لسنة 2015»: the year dates the instrument

            date = parse_date(f"عام {info['year']}")
        start = m.start("head")
        end = pos
        while end > start and t[end - 1] in " \t،,":
            end -= 1
        label = t[start:end]
        if head in _contracted() and head not in table("instrument_types.tsv"):
            label = "ا" + label  # «للمرسوم» -> «المرسوم»
        found.append(
            Found(
                "instrument",
                start,
                end,
                label=" ".join(label.split()),
                type=row["type"],
                date=date,  # type: ignore[arg-type]
                issuer=str(info.get("issuer", "")),
                issuer_label=str(info.get("issuer_label", "")),
                issuer_span=info.get("issuer_span"),  # type: ignore[arg-type]
                number=str(info.get("number", "")),
                title=str(info.get("title", "")),
                period=info.get("period"),  # type: ignore[arg-type]
                head=head,
            )
        )
    return _drop_nested(found)


@cache
def _generic_words() -> tuple[frozenset[str], frozenset[str]]:
    g = _grammar()
    return frozenset(g.get("generic_before", ())), frozenset(g.get("generic_after", ()))


def _generic_use(f: str, start: int, end: int) -> bool:
    """True for «إنفاذ القانون», «القانون الدولي»: the head names law in general, not an act."""
    before, after = _generic_words()
    prev = f[max(0, start - 100) : start].split()[-1:] or [""]
    nxt = f[end : end + 100].split()[:1] or [""]
    return prev[0] in before or nxt[0].strip("،,.;:") in after


_COORDINATED = re.compile(r"\s(?:و\S*\s+)(?=\S)")


def _before_coordinated_head(f: str, start: int, end: int) -> int:
    """Cut a title before «وإلغاء المرسوم …»: a coordinated phrase naming another instrument."""
    regex = _instrument_heads()[0]
    for m in _COORDINATED.finditer(f, start, end):
        if regex.match(f, m.end()):
            return m.start()
    return end


@cache
def _issuer_by_code() -> dict[str, dict[str, str]]:
    """The first issuers.tsv row of each issuer code."""
    rows: dict[str, dict[str, str]] = {}
    for row in table("issuers.tsv").values():
        rows.setdefault(row["code"], row)
    return rows


@cache
def _adjective_issuers() -> dict[str, dict[str, str]]:
    """Issuer rows whose form is an adjective carried by the head («مرسوم رئاسي»)."""
    return {f: r for f, r in table("issuers.tsv").items() if " " not in f and f.endswith("ي")}


# --- articles ------------------------------------------------------------------------------

_NUMBER = r"\d+(?:-\d+)*"
_NOTE = r"(?:\s*\((?:\d+|[^\W\d]{3,8})\))?"  # «المادة 12 (2)», «المادة 12 (ثانيا)»
_ARTICLE = re.compile(
    r"(?<!\w)(?:[وف]?(?:لل|بال|ال|[بل]|ل?ال)?)(?:ماده|مادتين|مادتان|مواد)\s+"
    r"(?P<list>\(?" + _NUMBER + r"\)?" + _NOTE
    + r"(?:\s*(?:،|,|و|الي|حتي)\s*(?:و\s*)?\(?" + _NUMBER + r"\)?" + _NOTE + r")*)"
)
_ARTICLE_WORDS = ("ماد", "مواد")  # in every form _ARTICLE matches: without them, no scan
_LIST_PART = re.compile(r"(?P<sep>الي|حتي|،|,|و)?\s*\(?(?P<n>" + _NUMBER + r")\)?" + _NOTE)
_POINTER = re.compile(r"\s*(?:منه|منها|من\s+(?:هذا\s+|نفس\s+)?(?:القانون|الدستور|المدونه)(?:\s+ذاته|\s+نفسه)?)(?!\w)")


def find_articles(t: str, f: str, instruments: list[Found]) -> list[Found]:
    """Find «المادة 35 من الدستور», «المادتين 17 و23», «المواد 109 إلى 117 من قانون السكن».

    Numbers joined by «و» or commas are separate articles; «إلى» makes one range «109-117».
    An article with no instrument right after it is marked ``extras["pointer"]``: it belongs to
    an instrument named earlier («المادة 8 منه», «من القانون ذاته», or none at all).
    """
    found: list[Found] = []
    if not any(w in f for w in _ARTICLE_WORDS):
        return found
    for m in _ARTICLE.finditer(f):
        target = None
        rest = re.match(r"\s*(?:من|في)\s+", f[m.end() :])
        if rest:
            at = m.end() + rest.end()
            for ins in instruments:
                if ins.start <= at + 2 and ins.end > at:
                    target = (ins.start, ins.end)
                    break
        pointer = target is None
        explicit = bool(_POINTER.match(f, m.end()))
        # (number, start, end): the first article spans «المادة 17», later ones their number
        numbers: list[tuple[str, int, int]] = []
        base = m.start("list")
        for part in _LIST_PART.finditer(m.group("list")):
            a, b = base + part.start("n"), base + part.end("n")
            if part.group("sep") in ("الي", "حتي") and numbers:
                number, start, _end = numbers[-1]
                numbers[-1] = (f"{number}-{part.group('n')}", start, b)
            else:
                numbers.append((part.group("n"), m.start() if not numbers else a, b))
        extras = {"pointer": "explicit" if explicit else "1"} if pointer else {}
        for number, start, end in numbers:
            found.append(Found("article", start, end, label=t[start:end], number=number,
                               target=target, extras=dict(extras)))
    return found


# --- subordination and triggers --------------------------------------------------------------


def find_subordination_cues(f: str) -> list[tuple[int, int]]:
    """Return spans of «تحت إشراف», «التابعة ل», «في إطار» … in folded text."""
    return [(m.start(), m.end()) for m in _scan(_subordination(), f)]


def find_triggers(f: str) -> list[tuple[int, int, dict[str, str]]]:
    """Return (start, end, triggers.tsv row) for every change trigger in folded text."""
    return list(_triggers_in(f))


@lru_cache(maxsize=16)  # relations.py asks four times per paragraph for the same text
def _triggers_in(f: str) -> tuple[tuple[int, int, dict[str, str]], ...]:
    regex, _rows = _triggers()
    return tuple((m.start("t"), m.end("t"), trigger_info(m.group("t"))) for m in _scan(regex, f))


def find_all(t: str, f: str) -> tuple[list[DateMatch], list[Found], list[Found], list[Found]]:
    """Run every matcher on one paragraph: dates, institutions, instruments, articles."""
    dates = find_dates(t)
    institutions = find_institutions(t, f)
    instruments = find_instruments(t, f, dates, institutions)
    # a body named inside an instrument phrase is its issuer (an issuer mention of its own,
    # see kg.mentions) or part of its title, not a new mention
    institutions = [i for i in institutions if not any(x.start <= i.start < x.end for x in instruments)]
    articles = find_articles(t, f, instruments)
    return dates, institutions, instruments, articles
