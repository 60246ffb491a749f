"""Compile lexicon TSV files into matchers: alternations of folded forms, lookup tables.

Every Arabic form is folded (:func:`kg.normalize.fold`) and stripped of diacritics before it is
compiled, because matching runs on folded text.  Longer forms come first in alternations so
«كانون الأول» wins over «كانون».
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from .errors import ResourceError
from .normalize import fold
from .resources import lexicons_dir, read_tsv

_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")


def fold_form(form: str) -> str:
    """Fold a lexicon form the way matching text is folded (letters, diacritics, spaces)."""
    return " ".join(fold(_DIACRITICS.sub("", form)).split())


def matched_form(text: str) -> str:
    """The lexicon key of a matched form: «البرنامج\n الحكومي» -> «البرنامج الحكومي».

    Alternations let any run of spaces (line breaks included) stand between a form's words;
    lookups of what they matched go through here.
    """
    return " ".join(text.split())


def alternation(forms: Iterable[str], guard: str = "") -> str:
    """Return a regex alternation of folded forms, longest first; spaces match any run of spaces.

    It is written as a trie, «مجلس(?:\\s+الوزراء|)» for «مجلس الوزراء» and «مجلس»: of the forms
    that match at a position (each a prefix of the next), the regex engine still tries the
    longest first, but it compares each character once instead of once per form.

    ``guard`` (a character class) is what must not come right before a match: «(?<![^\\W_])».
    Its look-behind is checked after the first character, «ك(?<![^\\W_]ك)انون», so a regex
    that opens with the alternation still opens with a set of characters, which the engine
    looks for quickly; a regex that opens with a look-behind is tried at every position.
    """
    trie: dict[str, dict] = {}
    for form in {fold_form(f) for f in forms if f.strip()}:
        node = trie
        for c in form:
            node = node.setdefault(c, {})
        node[""] = {}  # a form ends here
    return _trie_regex(trie, guard)


def _trie_regex(node: dict[str, dict], guard: str = "") -> str:
    # at most one branch can match the next character (forms have no other whitespace than
    # single spaces), and ending here comes last: longer forms are tried first
    branches = [
        (r"\s+" if c == " " else re.escape(c))
        + (f"(?<!{guard}{re.escape(c)})" if guard else "")
        + _trie_regex(child)
        for c, child in sorted(node.items())
        if c
    ]
    if "" in node and branches:
        branches.append("")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" if branches else ""


@cache
def table(name: str, key: str = "form") -> dict[str, dict[str, str]]:
    """Map each folded ``key`` column value of ``lexicons/NAME`` to its row."""
    rows = read_tsv(name)
    if rows and key not in rows[0]:
        raise ResourceError(f"{lexicons_dir() / name}: missing column {key!r} in the header")
    return {fold_form(r[key]): r for r in rows}


@cache
def patterns(name: str) -> dict[str, str]:
    """Read a ``name<TAB>regex`` pattern file (compiled by :func:`compile_pattern`)."""
    return {row["name"]: row["regex"] for row in read_tsv(name)}


def compile_pattern(regex: str, where: str, **slots: str) -> re.Pattern[str]:
    """Fill ``{SLOT}`` placeholders and compile, reporting the lexicon entry on error."""
    for slot, value in slots.items():
        regex = regex.replace("{" + slot + "}", f"(?:{value})")
    try:
        return re.compile(regex)
    except re.error as exc:
        raise ResourceError(f"{lexicons_dir() / where}: invalid regex ({exc}); fix the pattern") from None
