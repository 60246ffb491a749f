"""The trained institution tagger (``models/ner``) and its arbitration with the rules.

The model is a small spaCy ``tok2vec`` + ``ner`` pipeline trained from scratch by
``legalkg train`` (:mod:`kg.train`).  It reads the letter-folded paragraph text
(:func:`kg.normalize.fold` keeps lengths, so its offsets are the paragraph's offsets) and tags
``INSTITUTION`` spans.  Rules go first: :func:`merge_model_spans` only adds model spans that
overlap no rule institution and have two words at least (optionally only those that start
with an institution head word of ``lexicons/institution_heads.tsv`` / ``posts.tsv``; measured
on a tuning slice of the dev split, requiring the head lost the few true bodies without one,
«حكومة اليابان», «مجموعة مينسك»); then the paragraph's relations are recomputed so a new body
can take part in an establishment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .errors import ResourceError
from .lexicon import fold_form, matched_form
from .nlp import ParagraphFinds
from .normalize import fold
from .records import RelationKind
from .relations import find_relations
from .resources import models_dir
from .rules import Found, institution_heads, not_institutions

LABEL = "INSTITUTION"
# `legalkg train` prints rules vs rules + model on dev and held-out paragraphs; the model is on
# by default only if it helps on held-out.  It did (seed 0: institution F1 0.692 -> 0.714,
# establishments unchanged; seed 1: 0.692 -> 0.715).  ``LEGALKG_MODEL=on|off`` overrides this.
# Off by default (decided on the measurement above): the held-out gain (+0.02 F1 on
# institutions) is within the spread between seeds, precision drops, establishments do not
# move, and the model doubles extraction time (about 1.9 s per 230 KB report).
ENABLED_BY_DEFAULT = False
_ENV = "LEGALKG_MODEL"


def model_path() -> Path:
    """Return where the shipped model lives: ``models/ner``."""
    return models_dir() / "ner"


def model_text(text: str) -> str:
    """Return what the model reads: the folded text (same length, same offsets)."""
    return fold(text)


@cache
def load_model(path: Path | None = None) -> Language | None:
    """Load the trained pipeline from ``path`` (default :func:`model_path`); None if absent."""
    path = Path(path) if path is not None else model_path()
    if not (path / "meta.json").is_file():
        return None
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError) as exc:
        raise ResourceError(
            f"model {path} cannot be loaded ({exc}); retrain it with `legalkg train --out {path}`"
        ) from None
    if "ner" not in nlp.pipe_names or LABEL not in nlp.get_pipe("ner").labels:
        raise ResourceError(
            f"model {path} has no 'ner' component with label {LABEL}; "
            f"retrain it with `legalkg train --out {path}`"
        )
    return nlp


def predict_spans(model: Language, texts: Iterable[str]) -> Iterator[list[tuple[int, int]]]:
    """Yield the model's ``INSTITUTION`` character spans for each paragraph text."""
    for doc in model.pipe(model_text(t) for t in texts):
        yield [(e.start_char, e.end_char) for e in doc.ents if e.label_ == LABEL]


# --- arbitration ------------------------------------------------------------------------------


_LEADING = re.compile(r"^(?:[وف]?[بلك]?(?=ال)|[وف]?ل(?=ل)|[وف](?=\w{4}))")


def model_found(text: str, start: int, end: int, *, require_head: bool = True) -> Found | None:
    """Turn a model span of ``text`` into an institution :class:`Found`, or None to drop it.

    The model tags whole tokens, and Arabic glues «و», «ب», «ل» to the name: «ولجنة الدولة …»
    starts at «لجنة», «للجنة» gives the label «اللجنة».  A span must keep two words after the
    head (a bare «الوزارة» is a short reference), and with ``require_head`` its first word must
    be an institution head.
    """
    folded = fold(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "،,.;:؛()«»\"'-"):
        end -= 1
    regex, rows = institution_heads()
    m = regex.match(folded, start, end)
    label_prefix = ""
    if m:
        head_start = m.start("head")
        begin = head_start - 1 if m.group("ll") else (m.start("art") if m.group("art") else head_start)
        if m.group("ll"):
            label_prefix = "ا"  # «للجنة» -> «اللجنة»
        row = rows[matched_form(m.group("head"))]
        kind, itype, head = ("post" if row.get("kind") == "post" else "institution",
                             row["kind"], m.group("head"))
    elif require_head:
        return None
    else:
        lead = _LEADING.match(folded, start, end)
        begin = lead.end() if lead else start
        kind, itype, head = "institution", "other", ""
    if len(text[begin:end].split()) < 2:
        return None
    label = " ".join((label_prefix + text[begin:end]).split())
    if fold_form(label) in not_institutions():
        return None
    return Found(kind, begin, end, label=label, type=itype, head=head)


def _overlaps(a: Found, spans: Iterable[Found]) -> bool:
    return any(a.start < s.end and s.start < a.end for s in spans)


def merge_model_spans(
    text: str,
    finds: ParagraphFinds,
    model_spans: Sequence[tuple[int, int]],
    *,
    require_head: bool = False,
) -> ParagraphFinds:
    """Add the model's institution spans that the rules missed; rules win every overlap.

    A model span is added only when it overlaps no rule institution and no other added span;
    relations are then recomputed with the new bodies (approvals, which do not involve
    institutions, are kept as the rules found them).  Letting the model move a rule name's end
    was measured too and lost (institution F1 0.758 -> 0.699 on a tuning slice of dev).
    """
    added: list[Found] = []
    for start, end in sorted(model_spans):
        found = model_found(text, start, end, require_head=require_head)
        if found is None or _overlaps(found, finds.institutions) or _overlaps(found, added):
            continue
        added.append(found)
    if not added:
        return finds
    institutions = sorted(finds.institutions + added, key=lambda x: (x.start, x.end))
    approvals = [r for r in finds.relations if r.kind == RelationKind.APPROVES]
    relations = (
        find_relations(text, fold(text), institutions, finds.instruments, finds.dates) + approvals
    )
    return replace(finds, institutions=institutions, relations=relations)


# --- the spaCy component ------------------------------------------------------------------------


class ModelComponent:
    """Run the trained tagger after ``kg_rules`` and merge its spans into ``doc.user_data``."""

    def __init__(self, model: Language, require_head: bool = False, batch_size: int = 32) -> None:
        self.model, self.require_head, self.batch_size = model, require_head, batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            for doc, spans in zip(batch, predict_spans(self.model, [d.text for d in batch]),
                                  strict=True):
                yield self._apply(doc, spans)

    def _apply(self, doc: Doc, spans: list[tuple[int, int]]) -> Doc:
        finds: ParagraphFinds | None = doc.user_data.get("kg")
        if finds is None:
            raise ResourceError("kg_model needs kg_rules before it in the pipeline; add it first")
        merged = merge_model_spans(doc.text, finds, spans, require_head=self.require_head)
        doc.user_data["kg"] = merged
        doc.spans["model"] = [
            s for s in (doc.char_span(a, b, label=LABEL, alignment_mode="expand") for a, b in spans)
            if s is not None
        ]
        doc.spans["institutions"] = [
            s for s in (
                doc.char_span(x.start, x.end, label=x.type or x.kind, alignment_mode="expand")
                for x in merged.institutions
            ) if s is not None
        ]
        return doc


@Language.factory("kg_model", default_config={"path": None, "require_head": False})
def make_model_component(
    nlp: Language, name: str, path: str | None, require_head: bool
) -> ModelComponent:
    """spaCy factory for :class:`ModelComponent` (``path`` defaults to ``models/ner``)."""
    model = load_model(Path(path) if path else None)
    if model is None:
        raise ResourceError(
            f"no trained model in {path or model_path()}; run `legalkg train` or drop kg_model"
        )
    return ModelComponent(model, require_head=require_head)


def model_enabled() -> bool:
    """Whether the default pipeline uses the model: ``LEGALKG_MODEL`` or the measured default."""
    value = os.environ.get(_ENV, "").strip().lower()
    if value in ("1", "on", "true", "yes"):
        return True
    if value in ("0", "off", "false", "no"):
        return False
    if value:
        raise ResourceError(f"{_ENV}={value!r} is not understood; use on or off")
    return ENABLED_BY_DEFAULT


def add_model(nlp: Language, *, enabled: bool | None = None, path: Path | None = None) -> bool:
    """Add ``kg_model`` after ``kg_rules`` when enabled and a model is shipped; say if it was."""
    if not (model_enabled() if enabled is None else enabled):
        return False
    if load_model(path) is None:
        return False
    config = {"path": str(path) if path else None}
    nlp.add_pipe("kg_model", after="kg_rules", config=config)
    return True
