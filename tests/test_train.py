"""Tests for kg.train: locating annotated names, the training corpus, `legalkg train` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from kg.errors import InputError
from kg.evaluate import load_annotations
from kg.model import LABEL, load_model, predict_spans
from kg.resources import corpus_dir, root
from kg.train import locate, train, training_docs

ANNOTATIONS = root() / "tests" / "data" / "annotations"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("أنشئت وكالة التنمية في 2010.", "وكالة التنمية", ["وكالة التنمية"]),
        ("ولجنة الدولة لشؤون الأسرة تعمل", "لجنة الدولة لشؤون الأسرة", ["لجنة الدولة لشؤون الأسرة"]),
        ("والمنشئ للمجلس المعني بالدعم الحكومي", "المجلس المعني بالدعم الحكومي",
         ["مجلس المعني بالدعم الحكومي"]),
        ("تعمل الهيئة الأهلية", "الهيئة الاهلية", ["الهيئة الأهلية"]),
        ("مجلس الأمن ومجلس الأمن", "مجلس الأمن", ["مجلس الأمن", "مجلس الأمن"]),
        ("مجلس الأمنية العليا", "مجلس الأمن", []),
        ("استمجلس الأمن", "مجلس الأمن", []),
    ],
    ids=["plain", "glued-waw", "lil-article", "folded-letters", "every-occurrence",
         "no-partial-word", "no-word-middle"],
)
def test_locate(text: str, name: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in locate(text, name)] == expected


@pytest.fixture(scope="module")
def corpus_docs():
    return training_docs(load_annotations([ANNOTATIONS]), corpus_dir())


def test_training_corpus_leaves_held_out_paragraphs_out(corpus_docs) -> None:
    gold, silver, stats = corpus_docs
    dev_rows = load_annotations([ANNOTATIONS], "dev")
    assert stats.gold_paragraphs == len({(r["doc"], r["para"]) for r in dev_rows}) == len(gold)
    assert stats.silver_paragraphs == len(silver) > 0
    assert stats.heldout_skipped >= len(load_annotations([ANNOTATIONS], "heldout"))
    assert stats.gold_spans == sum(len(d.ents) for d in gold) > 300
    assert len(stats.unlocated) <= 3
    assert all(e.label_ == LABEL for d in gold + silver for e in d.ents)


def test_training_corpus_is_folded_and_labelled(corpus_docs) -> None:
    gold, _, _ = corpus_docs
    names = {e.text for d in gold for e in d.ents}
    assert "مجلس الامن" in names  # folded: «الأمن» -> «الامن»
    assert not any("أ" in d.text or "ة" in d.text for d in gold)


def test_unknown_split_is_rejected() -> None:
    with pytest.raises(InputError, match="unknown training split 'heldout'"):
        training_docs([], corpus_dir(), split="heldout")


def test_zero_epochs_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--epochs must be at least 1, got 0"):
        train(ANNOTATIONS, tmp_path / "ner", corpus_dir(), epochs=0)


def test_train_cli_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "ner"
    result = CliRunner().invoke(
        app, ["train", "--out", str(out), "--epochs", "1", "--limit", "20", "--no-measure"]
    )
    assert result.exit_code == 0, result.output
    assert "gold paragraphs" in result.output
    model = load_model(out)
    assert model is not None and model.pipe_names == ["tok2vec", "ner"]
    record = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert record["seed"] == 0 and record["epochs"] == 1 and record["split"] == "dev"
    assert record["stats"]["gold_paragraphs"] + record["stats"]["silver_paragraphs"] == 20
    assert len(list(predict_spans(model, ["وزارة العدل"]))) == 1


def test_train_is_reproducible(tmp_path: Path) -> None:
    a = train(ANNOTATIONS, tmp_path / "a", corpus_dir(), epochs=1, limit=20, seed=3)
    b = train(ANNOTATIONS, tmp_path / "b", corpus_dir(), epochs=1, limit=20, seed=3)
    assert (a.out_dir / "ner" / "model").read_bytes() == (b.out_dir / "ner" / "model").read_bytes()
    assert (a.out_dir / "tok2vec" / "model").read_bytes() == (
        b.out_dir / "tok2vec" / "model"
    ).read_bytes()


def test_train_cli_bad_split(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", "--out", str(tmp_path), "--split", "heldout"])
    assert result.exit_code == 2
    assert "Error: unknown --split 'heldout'; use dev or all" in result.output
