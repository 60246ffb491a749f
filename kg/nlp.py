"""The spaCy pipeline: ``spacy.blank("ar")`` plus the ``kg_rules`` component.

The component runs the lexicon-driven matchers of :mod:`kg.rules` and :mod:`kg.relations` on
each paragraph, stores their spans in ``doc.spans`` (``instruments``, ``institutions``,
``articles``) for inspection and training, and the full results in ``doc.user_data["kg"]``.
Token norms are the folded forms, so token patterns may match on ``NORM``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .amendments import find_amendments
from .dates import DateMatch
from .normalize import fold
from .relations import (
    FoundRelation,
    date_from_context,
    find_approvals,
    find_relations,
    issuer_from_list_intro,
    issuer_from_subject,
)
from .rules import Found, find_all


@dataclass(frozen=True, slots=True)
class ParagraphFinds:
    """What the rules found in one paragraph (offsets into the paragraph's normalised text)."""

    dates: list[DateMatch]
    institutions: list[Found]
    instruments: list[Found]
    articles: list[Found]
    relations: list[FoundRelation]


_TEXT = "kg_text"  # doc.user_data key of the text the tokenizer was given


class TextKeepingTokenizer:
    """A tokenizer that also keeps its input text on the Doc, in ``doc.user_data``.

    ``doc.text`` joins the text back from the tokens on every call (about a third of the
    rule component's time); the tokenizer never changes the text, so the input is the same.
    """

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[_TEXT] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        if name == "tokenizer":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def paragraph_text(doc: Doc) -> str:
    """Return the text of ``doc``: the one its tokenizer kept, else rebuilt from the tokens."""
    text = doc.user_data.get(_TEXT)
    return text if isinstance(text, str) else doc.text


class RuleComponent:
    """Run the rule matchers on a Doc and keep what they found."""

    def __call__(self, doc: Doc) -> Doc:
        text = paragraph_text(doc)
        folded = fold(text)
        dates, institutions, instruments, articles = find_all(text, folded)
        instruments, approvals = find_approvals(text, folded, instruments)
        instruments = date_from_context(text, folded, instruments, dates)
        instruments = issuer_from_subject(folded, instruments, dates)
        instruments = issuer_from_list_intro(folded, instruments)
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
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("kg_rules")
    from .model import add_model  # kg.model imports this module

    add_model(nlp)  # the trained institution model, when enabled (LEGALKG_MODEL=on)
    return nlp
