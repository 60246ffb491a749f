"""Train the institution tagger of :mod:`kg.model` from annotations plus rule output.

The corpus is the chain's own paragraphs (``normalize`` → ``split_paragraphs``), so the model
sees exactly the text it will tag.  An annotated paragraph is complete, so its institution
names (located in the folded paragraph text) are the gold spans and everything else is not an
institution; a paragraph nobody annotated gets the rules' institutions as silver spans.
Paragraphs of the held-out split (numbers divisible by 5, annotated or not) are never used
unless ``split="all"``, so ``legalkg eval --split heldout`` stays a fair test.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import load_config_from_str

from .errors import InputError
from .evaluate import Evaluation, load_annotations
from .ingest import collect_inputs, read_document
from .lexicon import fold_form
from .model import LABEL, model_text
from .nlp import make_nlp
from .normalize import fold, normalize
from .paragraphs import split_paragraphs

_CONFIG = """
[paths]
train = null
dev = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "ar"
pipeline = ["tok2vec","ner"]
batch_size = 64

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [4000,1000,2000,500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0

[training]
seed = ${{system.seed}}
gpu_allocator = null
dropout = 0.2
accumulate_gradient = 1
patience = 0
max_epochs = {epochs}
max_steps = 0
eval_frequency = 1000000
train_corpus = "corpora.train"
dev_corpus = "corpora.dev"

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
size = 1500

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.002

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null
"""


@dataclass
class CorpusStats:
    """How the training corpus was assembled."""

    gold_paragraphs: int = 0
    silver_paragraphs: int = 0
    heldout_skipped: int = 0
    gold_spans: int = 0
    silver_spans: int = 0
    unlocated: list[str] = field(default_factory=list)  # "doc ¶para: name"


@dataclass
class TrainSummary:
    """What ``legalkg train`` did."""

    out_dir: Path
    stats: CorpusStats
    seed: int
    epochs: int
    seconds: float
    size_bytes: int
    train_f1: float


def _name_regex(name: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in fold_form(name).split()]
    return re.compile(r"\s*".join(words[:1]) + "".join(r"\s+" + w for w in words[1:]) + r"(?!\w)")


_PREFIX = re.compile(r"[وف]?(?:لل|[بلك])?")


def locate(text: str, name: str) -> list[tuple[int, int]]:
    """Return every occurrence of an annotated name in a paragraph's text (matched folded).

    The name may follow glued «و», «ب», «ل» («ولجنة الدولة …»), and an annotated «اللجنة» may be
    printed «للجنة» (the article merges with «ل»), so the name without «ال» is tried too.
    """
    folded = fold(text)
    variants = [name]
    if fold_form(name).startswith("ال"):
        variants.append(fold_form(name)[2:])
    for variant in variants:
        hits = []
        for m in _name_regex(variant).finditer(folded):
            word_start = m.start()
            while word_start > 0 and not folded[word_start - 1].isspace() and folded[
                word_start - 1
            ] not in "(«\"'":
                word_start -= 1
            if _PREFIX.fullmatch(folded[word_start : m.start()]):
                hits.append((m.start(), m.end()))
        if hits:
            return hits
    return []


def _is_heldout(number: str) -> bool:
    return number.isdigit() and int(number) % 5 == 0


def _spans(doc: Doc, offsets: Sequence[tuple[int, int]]) -> list[Span]:
    """Token spans for character offsets, longest first, without overlaps."""
    spans: list[Span] = []
    taken: set[int] = set()
    for a, b in sorted(offsets, key=lambda x: (x[0] - x[1], x[0])):
        span = doc.char_span(a, b, label=LABEL, alignment_mode="expand")
        if span is None or any(i in taken for i in range(span.start, span.end)):
            continue
        taken.update(range(span.start, span.end))
        spans.append(span)
    return sorted(spans, key=lambda s: s.start)


def training_docs(
    annotations: list[dict],
    corpus: Path,
    *,
    split: str = "dev",
    limit: int | None = None,
    rules: Language | None = None,
) -> tuple[list[Doc], list[Doc], CorpusStats]:
    """Build (gold docs, silver docs, stats) from the annotated corpus documents.

    ``annotations`` holds every split; rows of the other split and held-out paragraphs are
    left out unless ``split == "all"``.
    """
    if split not in ("dev", "all"):
        raise InputError(f"unknown training split {split!r}; use dev (fair held-out eval) or all")
    by_para = {(a["doc"], str(a["para"])): a for a in annotations}
    docs = sorted({a["doc"] for a in annotations})
    missing = [d for d in docs if not (corpus / d).is_file()]
    if missing:
        raise InputError(f"annotated document {missing[0]} is not in {corpus}; pass --corpus DIR")
    if rules is None:
        rules = make_nlp()
        if "kg_model" in rules.pipe_names:
            rules.remove_pipe("kg_model")  # silver spans are the rules' own output
    model_nlp = spacy.blank("ar")
    files, _ = collect_inputs([corpus / d for d in docs])
    stats = CorpusStats()
    gold: list[Doc] = []
    silver: list[Doc] = []
    for path in files:
        document = read_document(path)
        paragraphs = split_paragraphs(normalize(document.text), document.doc_id)
        for p in paragraphs:
            if limit is not None and len(gold) + len(silver) >= limit:
                break
            row = by_para.get((document.doc_id, p.number))
            heldout = _is_heldout(p.number) or (row is not None and row.get("split") == "heldout")
            if heldout and split != "all":
                stats.heldout_skipped += 1
                continue
            doc = model_nlp.make_doc(model_text(p.text))
            if row is not None:
                offsets = []
                for inst in row.get("institutions", []):
                    hits = locate(p.text, inst["name"])
                    if not hits:
                        stats.unlocated.append(f"{document.doc_id} ¶{p.number}: {inst['name']}")
                    offsets.extend(hits)
                doc.set_ents(_spans(doc, offsets), default="outside")
                stats.gold_paragraphs += 1
                stats.gold_spans += len(doc.ents)
                gold.append(doc)
            else:
                finds = rules(p.text).user_data["kg"]
                doc.set_ents(_spans(doc, [(x.start, x.end) for x in finds.institutions]),
                             default="outside")
                stats.silver_paragraphs += 1
                stats.silver_spans += len(doc.ents)
                silver.append(doc)
    return gold, silver, stats


def training_config(seed: int = 0, epochs: int = 12, width: int = 64, depth: int = 3) -> str:
    """Return the spaCy config of the tagger (tok2vec + ner, CPU, fixed seed)."""
    return _CONFIG.format(seed=seed, epochs=epochs, width=width, depth=depth)


def train(
    annotations: Path | list[dict],
    out_dir: Path,
    corpus: Path,
    *,
    seed: int = 0,
    epochs: int = 12,
    split: str = "dev",
    limit: int | None = None,
    width: int = 64,
    depth: int = 3,
) -> TrainSummary:
    """Train the tagger on ``corpus`` + annotations and save the pipeline into ``out_dir``.

    ``annotations`` is a directory or file of JSON lines, or rows already loaded.
    """
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    if epochs < 1:
        raise InputError(f"--epochs must be at least 1, got {epochs}")
    started = time.monotonic()
    rows = annotations if isinstance(annotations, list) else load_annotations([annotations], "all")
    gold, silver, stats = training_docs(rows, corpus, split=split, limit=limit)
    if not gold and not silver:
        raise InputError(f"no training paragraphs from {annotations} and {corpus}")
    config_text = training_config(seed, epochs, width, depth)
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="legalkg-train-") as tmp_name:
        tmp = Path(tmp_name)
        DocBin(docs=gold + silver, store_user_data=False).to_disk(tmp / "train.spacy")
        DocBin(docs=gold or silver, store_user_data=False).to_disk(tmp / "dev.spacy")
        config = load_config_from_str(config_text, overrides={
            "paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
        })
        nlp = init_nlp(config)
        nlp, _ = train_loop(nlp, None, stdout=io.StringIO(), stderr=io.StringIO())
        scores = nlp.evaluate(_examples(nlp, gold or silver))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        nlp.meta["name"] = "legalkg_institutions"
        nlp.meta["description"] = (
            "Institution tagger for legalkg, trained from scratch by `legalkg train` on "
            f"annotations (split {split}) plus rule output; reads letter-folded text."
        )
        nlp.config["paths"]["train"] = nlp.config["paths"]["dev"] = None  # no temp paths saved
        nlp.to_disk(out_dir)
    seconds = time.monotonic() - started
    summary = TrainSummary(
        out_dir, stats, seed, epochs, round(seconds, 1),
        sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file()),
        round(float(scores.get("ents_f") or 0.0), 4),
    )
    record = {k: v for k, v in asdict(summary).items() if k not in ("out_dir", "seconds")}
    record["split"] = split
    record["config"] = config_text
    (out_dir / "training.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return summary


def _examples(nlp: Language, docs: list[Doc]) -> list:
    from spacy.training import Example

    return [Example(nlp.make_doc(d.text), d) for d in docs]


ROWS = ("institution", "establishment (strict)", "establishment (lenient)")


def measure(
    annotations: Path | list[dict],
    corpus: Path,
    pipelines: dict[str, Language],
    splits: Sequence[str] = ("dev", "heldout"),
) -> dict[str, dict[str, Evaluation]]:
    """Score each named pipeline on each split: ``{pipeline: {split: Evaluation}}``."""
    from .build import document_graphs, extract_document
    from .evaluate import evaluate
    from .store import Store

    if not isinstance(annotations, list):
        annotations = load_annotations([annotations], "all")
    docs = sorted({a["doc"] for a in annotations})
    results: dict[str, dict[str, Evaluation]] = {}
    for name, nlp in pipelines.items():
        extracted = [extract_document(read_document(corpus / d), nlp) for d in docs]
        with (
            tempfile.TemporaryDirectory(prefix="legalkg-measure-") as tmp,
            Store.open(Path(tmp) / "store") as store,
        ):
            for doc_id, graph in document_graphs(extracted):
                store.replace_document(doc_id, graph)
            results[name] = {
                s: evaluate([a for a in annotations if a.get("split", "dev") == s], store)
                for s in splits
            }
    return results
