"""Mentions across paragraphs and documents -> one key (and label) per real-world entity.

Keys are content-derived, so the same instrument or body gets the same IRI in every document:
- institutions: the bag of their folded content words without the article, so «دائرة الهجرة
  الحكومية» and «الدائرة الحكومية للهجرة» are one body;
- posts and issuers: the issuer code («president»);
- instruments: type + date + issuer when dated, else type + number, else type + title words;
  an instrument with nothing of these stays one per mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from functools import lru_cache
from operator import attrgetter
from typing import TypeVar

from .lexicon import fold_form
from .records import Date, DocumentResult, Mention, MentionKind, Relation

_PREFIX = re.compile(r"^(?:[وف]?(?:لل|بال|ال|ل))")


@lru_cache(maxsize=8192)  # names repeat across paragraphs and documents; bounded
def name_key(label: str) -> str:
    """Return the order-free key of a name: «الدائرة الحكومية للهجرة» -> «حكوميه دائره هجره»."""
    words = []
    for w in fold_form(label).split():
        w = w.strip('"«»()')
        core = _PREFIX.sub("", w) if len(w) > 4 else w
        if core:
            words.append(core)
    return " ".join(sorted(words))


# Enum members read once: ``MentionKind.POST`` costs ~5x a global read (Python 3.11)
_INSTITUTION, _POST, _ISSUER, _INSTRUMENT = (
    MentionKind.INSTITUTION, MentionKind.POST, MentionKind.ISSUER, MentionKind.INSTRUMENT,
)


def mention_key(m: Mention) -> str:
    """Return the resolution key of one mention (see the module docstring)."""
    return entity_key(m.kind, m.doc_id, m.start, m.label, m.type, m.date, m.issuer,
                      m.issuer_label, m.number, m.title)


def entity_key(
    kind: str, doc_id: str, start: int, label: str, type: str, date: Date | None, issuer: str,
    issuer_label: str, number: str, title: str,
) -> str:
    """:func:`mention_key` from the mention's fields (for a mention not built yet)."""
    if kind == _INSTITUTION:
        return "institution:" + name_key(label)
    if kind == _POST:
        return "post:" + (issuer or name_key(label))
    if kind == _ISSUER:
        if not issuer:
            return ""
        if issuer == "institution":
            return "institution:" + name_key(issuer_label)
        return "post:" + issuer
    if kind == _INSTRUMENT:
        if date is not None:
            return f"instrument:{type}:{date.iso}:{issuer or '-'}:{number}"
        if number:
            return f"instrument:{type}:-:{number}"
        if title:
            return f"instrument:{type}:-:{name_key(title)}"
        if type == "constitution":
            return "instrument:constitution"
        return f"instrument:{type}:mention:{doc_id}:{start}"
    return f"{kind}:{doc_id}:{start}"


def issuer_key(m: Mention) -> str:
    """Key of the body or post that issued an instrument mention ("" when none is stated)."""
    if not m.issuer:
        return ""
    if m.issuer == "institution":
        return "institution:" + name_key(m.issuer_label)
    return "post:" + m.issuer


T = TypeVar("T")


def _replacer(cls: type[T], *names: str) -> Callable[..., T]:
    """``dataclasses.replace(obj, **dict(zip(names, values)))`` as ``f(obj, *values)``, 2x faster.

    (All fields of ``cls`` are ``__init__`` arguments, in order; resolving a document calls
    it once per mention.)
    """
    assert all(f.init for f in fields(cls)), cls  # type: ignore[arg-type]
    order = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    get = attrgetter(*order)
    at = [order.index(n) for n in names]

    def copy(obj: T, *values: object) -> T:
        args = list(get(obj))
        for i, v in zip(at, values, strict=True):
            args[i] = v
        return cls(*args)

    return copy


_keyed_copy = _replacer(Mention, "key")
_linked_copy = _replacer(Relation, "head", "tail")


def _with_key(m: Mention) -> Mention:
    return m if m.key else _keyed_copy(m, mention_key(m))


def _keyed(keyed: dict[int, Mention], m: Mention | None) -> Mention | None:
    if m is None:
        return None
    return keyed.get(id(m)) or _with_key(m)


def resolve(results: Iterable[DocumentResult]) -> list[DocumentResult]:
    """Give every mention (also inside relations) its entity key.

    Mentions that have their key already (:mod:`kg.mentions` sets it) are kept as they are.
    """
    out = []
    for r in results:
        mentions = r.mentions
        keyed = {id(m): _with_key(m) for m in mentions if not m.key}
        relations = r.relations
        if keyed or any(not rel.head.key or (rel.tail is not None and not rel.tail.key)
                        for rel in relations):
            mentions = tuple(keyed.get(id(m), m) for m in mentions)
            relations = tuple(
                _linked_copy(rel, _keyed(keyed, rel.head), _keyed(keyed, rel.tail))
                for rel in relations
            )
        out.append(replace(r, mentions=mentions, relations=relations))
    return out


def preferred_labels(results: Iterable[DocumentResult], attr: str = "label") -> dict[str, str]:
    """Pick one value of ``attr`` per key: the most frequent, then the longest, then the first.

    Used for display labels and instrument titles, so that an entity named differently in two
    paragraphs or documents still has one ``rdfs:label`` and one ``eli:title``.
    """
    return {key: choose(c) for key, c in value_counts(results, attr).items()}


def value_counts(results: Iterable[DocumentResult], attr: str = "label") -> dict[str, Counter[str]]:
    """Count the values of ``attr`` per key (counts of several batches add up)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        mentions = list(r.mentions) + [
            m for rel in r.relations for m in (rel.head, rel.tail) if m is not None
        ]
        for m in mentions:
            value = getattr(m, attr)
            if value:
                seen[m.key][value] += 1
    return seen


def choose(counts: Counter[str]) -> str:
    """Return the most frequent value, then the longest, then the first in code-point order."""
    return min(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]


def relation_key(rel: Relation) -> str:
    """Return a stable key for a relation fact (used for event IRIs)."""
    tail = rel.tail.key if rel.tail is not None else (rel.date.iso if rel.date else "-")
    return f"{rel.kind}:{rel.head.key}:{tail}"
