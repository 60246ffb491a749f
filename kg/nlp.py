"""The spaCy pipeline: ``spacy.blank("ar")`` plus the ``kg_rules`` component.

The component runs the lexicon-driven matchers of :mod:`kg.rules` and :mod:`kg.relations` on
each paragraph, stores their spans in ``doc.spans`` (``instruments``, ``institutions``,
``articles``) for inspection and training, and the full results in ``doc.user_data["kg"]``.
Token norms are the folded forms, so token patterns may match on ``NORM``.
"""

from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .amendments import find_amendments
from .dates import DateMatch
from .normalize import fold
from .relations import FoundRelation, date_from_context, find_approvals, find_relations
from .rules import Found, find_all


@dataclass(frozen=True, slots=True)
class ParagraphFinds:
    """What the rules found in one paragraph (offsets into the paragraph's normalised text)."""

    dates: list[DateMatch]
    institutions: list[Found]
    instruments: list[Found]
    articles: list[Found]
    relations: list[FoundRelation]


class RuleComponent:
    """Run the rule matchers on a Doc and keep what they found."""

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        folded = fold(text)
        dates, institutions, instruments, articles = find_all(text, folded)
        instruments, approvals = find_approvals(text, folded, instruments)
        instruments = date_from_context(text, folded, instruments, dates)
        instruments, amended = find_amendments(text, folded, instruments, dates)
        relations = find_relations(text, folded, institutions, instruments, dates) + approvals + amended
        doc.user_data["kg"] = ParagraphFinds(dates, institutions, instruments, articles, relations)
        for key, items in (
            ("institutions", institutions),
            ("instruments", instruments),
            ("articles", articles),
        ):
            spans = [doc.char_span(x.start, x.end, label=x.type or x.kind, alignment_mode="expand")
                     for x in items]
            doc.spans[key] = [s for s in spans if s is not None]
        return doc


@Language.factory("kg_rules")
def make_rule_component(nlp: Language, name: str) -> RuleComponent:
    """spaCy factory for :class:`RuleComponent`."""
    return RuleComponent()


def make_nlp() -> Language:
    """Return the extraction pipeline: Arabic tokenizer + rule component (+ trained model)."""
    nlp = spacy.blank("ar")
    nlp.add_pipe("kg_rules")
    from .model import add_model  # kg.model imports this module

    add_model(nlp)  # the trained institution model, when enabled (LEGALKG_MODEL=on)
    return nlp
