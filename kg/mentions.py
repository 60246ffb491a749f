"""Paragraph finds -> :class:`~kg.records.Mention` and :class:`~kg.records.Relation` records.

Offsets move from the paragraph's normalised text to the **original** document text here, and
every snippet is cut from the original, verbatim.  Each mention gets its entity key
(:func:`kg.resolve.entity_key`) as it is made, so resolving need not copy it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .records import (
    Diagnostic,
    Mention,
    MentionKind,
    Normalized,
    Paragraph,
    Relation,
    RelationKind,
)
from .resolve import entity_key
from .rules import Found

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .nlp import ParagraphFinds

_KINDS = {
    "instrument": MentionKind.INSTRUMENT,
    "institution": MentionKind.INSTITUTION,
    "post": MentionKind.POST,
    "article": MentionKind.ARTICLE,
    "issuer": MentionKind.ISSUER,
}


_POST = MentionKind.POST  # read once: an Enum member costs ~5x a global read (Python 3.11)
_CODES = frozenset({"law", "constitution", "constitutional_law", "regulation", "treaty"})
# a bare «المادة 101» belongs to the code named this many paragraphs back at most (a report
# discusses one code over several paragraphs); further back it is reported and not recorded
_ARTICLE_REACH = 2


class _Mapper:
    """Turn paragraph-local spans into original-text spans of one document."""

    def __init__(self, norm: Normalized, paragraph: Paragraph, doc_id: str) -> None:
        self.norm, self.p, self.doc_id = norm, paragraph, doc_id
        self.offsets, self.original, self.base = norm.offsets, norm.original, paragraph.start
        self.para = paragraph.number
        self.made: dict[int, Mention] = {}

    def get(self, x: Found) -> Mention:
        """The one Mention of a paragraph span (a span in two relations is one mention)."""
        m = self.made.get(id(x))
        if m is None:
            m = self.made[id(x)] = self.mention(x)
        return m

    def span(self, start: int, end: int) -> tuple[int, int, str]:
        a, b = self.norm.to_original(self.p.start + start, self.p.start + end)
        return a, b, self.norm.original[a:b]

    def issuer(self, x: Found) -> Mention:
        """The issuer named inside an instrument phrase, as a mention of its own."""
        assert x.issuer_span is not None
        start, end = x.issuer_span
        return self.mention(
            Found("issuer", start, end, label=x.issuer_label, issuer=x.issuer,
                  issuer_label=x.issuer_label)
        )

    def mention(self, x: Found) -> Mention:
        start, end = self.base + x.start, self.base + x.end
        if end <= start:  # Normalized.to_original, inline (once per mention)
            a = b = self.offsets[start]
        else:
            a, b = self.offsets[start], self.offsets[end - 1] + 1
        kind = _KINDS[x.kind]
        label, type_, date, issuer, issuer_label = x.label, x.type, x.date, x.issuer, x.issuer_label
        number, title = x.number, x.title
        doc_id = self.doc_id
        return Mention(
            kind, doc_id, self.para, a, b, self.original[a:b], label, type_, date, issuer,
            issuer_label, number, title, x.period,
            entity_key(kind, doc_id, a, label, type_, date, issuer, issuer_label, number, title),
        )


def extract_mentions(
    docs: Iterable[Doc], paragraphs: Iterable[Paragraph], norm: Normalized, doc_id: str
) -> tuple[list[Mention], list[Relation], list[Diagnostic]]:
    """Collect the mentions and relations the pipeline found in each paragraph."""
    mentions: list[Mention] = []
    relations: list[Relation] = []
    diagnostics: list[Diagnostic] = []
    last_code: Mention | None = None  # the last law, code or treaty named, for «المادة 8 منه»
    last_code_at = -1  # the index of the paragraph that named it
    posts: dict[tuple[int, int], list[Mention]] = {}  # the post mentions, by span

    def listed(x: Mention) -> bool:  # ``x in mentions`` for a post (equal mentions share a span)
        return x in posts.get((x.start, x.end), ())

    def add_post(x: Mention) -> None:
        mentions.append(x)
        posts.setdefault((x.start, x.end), []).append(x)

    for index, (doc, paragraph) in enumerate(zip(docs, paragraphs, strict=True)):
        finds: ParagraphFinds = doc.user_data["kg"]
        if not (finds.instruments or finds.institutions or finds.articles or finds.relations
                or finds.dates):
            continue
        m = _Mapper(norm, paragraph, doc_id)
        get, mention, made_by = m.get, m.mention, m.made
        for x in finds.instruments + finds.institutions + finds.articles:
            made = made_by.get(id(x))  # get(x), inline
            if made is None:
                made = made_by[id(x)] = mention(x)
            if made.kind == _POST:
                add_post(made)
            else:
                mentions.append(made)
            if x.kind == "instrument" and x.issuer and x.issuer_span:
                mentions.append(m.issuer(x))
        for article in finds.articles:
            target_mention = None
            if article.target:
                target = next(
                    (i for i in finds.instruments if (i.start, i.end) == article.target), None
                )
                target_mention = get(target) if target is not None else None
            elif article.extras.get("pointer"):
                earlier = [i for i in finds.instruments if i.end <= article.start and i.type in _CODES]
                if earlier:
                    target_mention = get(earlier[-1])
                elif last_code is not None and (
                    article.extras["pointer"] == "explicit" or index - last_code_at <= _ARTICLE_REACH
                ):
                    target_mention = last_code  # «المادة 101» right after paragraphs on the code
            if target_mention is None:
                a, b, snippet = m.span(article.start, article.end)
                diagnostics.append(Diagnostic(
                    "info", f"«{snippet}» names no instrument that legalkg could find; not recorded",
                    doc_id, paragraph.number))
                continue
            a, b, snippet = m.span(article.start, article.end)
            relations.append(
                Relation(RelationKind.PART_OF, get(article), target_mention, doc_id,
                         paragraph.number, a, b, snippet)
            )
        if finds.instruments:
            codes = [i for i in finds.instruments if i.type in _CODES]
            if codes:
                last_code, last_code_at = get(codes[-1]), index
        for r in finds.relations:
            head = get(r.head)
            tail = get(r.tail) if r.tail is not None else None
            if tail is not None and tail.kind == _POST and not listed(tail):
                add_post(tail)  # a parent post named only after «تحت إشراف»
            if head.kind == _POST and not listed(head):
                add_post(head)
            a, b, snippet = m.span(*r.evidence)
            relations.append(
                Relation(r.kind, head, tail, doc_id, paragraph.number, a, b, snippet,
                         date=r.date, planned=r.planned)
            )
        for d in finds.dates:
            if d.date is None:
                a, b, snippet = m.span(d.start, d.end)
                diagnostics.append(
                    Diagnostic("warning", f"impossible date «{snippet}» ignored: {d.problem}",
                               doc_id, paragraph.number)
                )
    return mentions, relations, diagnostics
