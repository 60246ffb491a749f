"""Shared fixtures: one extraction pipeline and one build of the bundled sample per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import BuildSummary, build
from kg.nlp import make_nlp
from kg.resources import corpus_dir


@pytest.fixture(scope="session")
def nlp():
    """The extraction pipeline (built once: compiling the lexicons takes a moment)."""
    return make_nlp()


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> BuildSummary:
    """The bundled sample reports built once into a temporary out dir (validated)."""
    out: Path = tmp_path_factory.mktemp("sample") / "out"
    return build([corpus_dir()], out)
