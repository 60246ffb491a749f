"""Tests for kg.model: the shipped tagger, the span arbitration with the rules, the component."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ResourceError
from kg.model import (
    LABEL,
    add_model,
    load_model,
    merge_model_spans,
    model_found,
    model_path,
    predict_spans,
)
from kg.nlp import make_nlp
from kg.records import RelationKind


def span(text: str, words: str) -> tuple[int, int]:
    """Character span of ``words`` in ``text`` (first occurrence)."""
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture(scope="module")
def model():
    loaded = load_model()
    assert loaded is not None, f"the trained model must ship in {model_path()}"
    return loaded


def test_shipped_model_is_small_and_labelled(model) -> None:
    size = sum(p.stat().st_size for p in model_path().rglob("*") if p.is_file())
    assert size < 5_000_000
    assert model.pipe_names == ["tok2vec", "ner"]
    assert model.get_pipe("ner").labels == (LABEL,)
    assert (model_path() / "training.json").is_file()


def test_model_tags_an_unseen_sentence(model) -> None:
    text = "وقد أنشأت الحكومة في العام الماضي وزارة التنمية الريفية والزراعة المستدامة."
    [spans] = list(predict_spans(model, [text]))
    names = [text[a:b] for a, b in spans]
    assert any(n.startswith("وزارة التنمية الريفية") for n in names), names


@pytest.mark.parametrize(
    ("text", "words", "require_head", "expected"),
    [
        ("تعمل ولجنة الدولة للأسرة", "ولجنة الدولة للأسرة", True, "لجنة الدولة للأسرة"),
        ("قدمت للجنة حماية الصحفيين", "للجنة حماية الصحفيين", True, "لجنة حماية الصحفيين"),
        ("قدمت للمحكمة العليا", "للمحكمة العليا", True, "المحكمة العليا"),
        ("وبالمجلس الأعلى للقضاء", "وبالمجلس الأعلى للقضاء", True, "المجلس الأعلى للقضاء"),
        ("تعمل الوزارة كل يوم", "الوزارة", True, None),
        ("مع الأمانة الدائمة", "الأمانة الدائمة", True, None),
        ("مع الأمانة الدائمة", "الأمانة الدائمة", False, "الأمانة الدائمة"),
        ("وبالشرطة السياحية", "وبالشرطة السياحية", False, "الشرطة السياحية"),
        ("تعمل وزارة العدل، و", "وزارة العدل،", True, "وزارة العدل"),
    ],
    ids=["glued-waw", "li-lajna", "lil-article", "wa-bi-article", "bare-head", "no-head-dropped",
         "no-head-kept", "no-head-prefix-trimmed", "trailing-comma"],
)
def test_model_found(text: str, words: str, require_head: bool, expected: str | None) -> None:
    found = model_found(text, *span(text, words), require_head=require_head)
    assert (found.label if found else None) == expected
    if found is not None:
        assert text[found.start : found.end] in (expected, expected[1:])


def test_model_found_keeps_head_kind() -> None:
    text = "أنشئت مفوضية الانتخابات المركزية"
    found = model_found(text, *span(text, "مفوضية الانتخابات المركزية"))
    assert found is not None
    assert (found.kind, found.type, found.head) == ("institution", "commission", "مفوضيه")


def test_merge_rules_win_overlaps(nlp) -> None:
    text = "وتعمل وزارة العدل مع مجموعة مينسك."
    finds = nlp(text).user_data["kg"]
    overlapping = span(text, "وزارة العدل مع")
    merged = merge_model_spans(text, finds, [overlapping], require_head=False)
    assert merged is finds


def test_merge_adds_missed_body(nlp) -> None:
    text = "وتعمل وزارة العدل مع مجموعة مينسك ومع الأمانة الدائمة."
    finds = nlp(text).user_data["kg"]
    model_spans = [span(text, "مجموعة مينسك"), span(text, "الأمانة الدائمة")]
    strict = merge_model_spans(text, finds, model_spans, require_head=True)
    assert strict is finds  # neither starts with a head word of lexicons/institution_heads.tsv
    loose = merge_model_spans(text, finds, model_spans, require_head=False)
    assert [x.label for x in loose.institutions] == [
        "وزارة العدل", "مجموعة مينسك", "الأمانة الدائمة"
    ]
    assert [x.label for x in finds.institutions] == ["وزارة العدل"]  # input left unchanged


def test_merge_added_body_takes_part_in_relations(nlp) -> None:
    text = "أنشئت شرطة السياحة في عام 2010."
    finds = nlp(text).user_data["kg"]
    assert finds.institutions == [] and finds.relations == []
    merged = merge_model_spans(text, finds, [span(text, "شرطة السياحة")], require_head=False)
    [relation] = merged.relations
    assert relation.kind == RelationKind.ESTABLISHED_BY
    assert relation.head.label == "شرطة السياحة"
    assert relation.date is not None and relation.date.iso == "2010"


def test_merge_drops_overlapping_model_spans(nlp) -> None:
    text = "أنشئت شرطة السياحة الوطنية في عام 2010."
    finds = nlp(text).user_data["kg"]
    model_spans = [span(text, "شرطة السياحة"), span(text, "السياحة الوطنية")]
    merged = merge_model_spans(text, finds, model_spans, require_head=False)
    assert [x.label for x in merged.institutions] == ["شرطة السياحة"]


def test_component_runs_after_rules(model) -> None:
    pipeline = make_nlp()
    if "kg_model" in pipeline.pipe_names:
        pipeline.remove_pipe("kg_model")
    assert add_model(pipeline, enabled=False) is False
    assert add_model(pipeline, enabled=True) is True
    assert pipeline.pipe_names[-2:] == ["kg_rules", "kg_model"]
    doc = pipeline("وقد أنشأت الحكومة في العام الماضي وزارة التنمية الريفية والزراعة المستدامة.")
    assert "model" in doc.spans
    assert [s.text for s in doc.spans["institutions"]] == [
        x.label for x in doc.user_data["kg"].institutions
    ]


def test_missing_model_directory(tmp_path: Path) -> None:
    assert load_model(tmp_path) is None
    pipeline = make_nlp()
    assert add_model(pipeline, enabled=True, path=tmp_path) is False


def test_broken_model_directory(tmp_path: Path) -> None:
    (tmp_path / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ResourceError, match="retrain it with `legalkg train --out"):
        load_model(tmp_path)


def test_model_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.model import model_enabled

    monkeypatch.setenv("LEGALKG_MODEL", "on")
    assert model_enabled() is True
    monkeypatch.setenv("LEGALKG_MODEL", "off")
    assert model_enabled() is False
    monkeypatch.setenv("LEGALKG_MODEL", "maybe")
    with pytest.raises(ResourceError, match="LEGALKG_MODEL='maybe' is not understood"):
        model_enabled()
