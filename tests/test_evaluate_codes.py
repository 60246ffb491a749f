"""How `legalkg eval` maps issuers and posts of the graph to the annotation codes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg.evaluate import _issuer_code, _office_holder

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("رئيس الجمهورية", "president"),  # a lexicon issuer
        ("وزير العدل", "ministry"),  # a minister (posts.tsv issuer column)
        ("وزارة الداخلية", "ministry"),  # a ministry (institution_heads.tsv kind)
        ("المجلس القضائي", "institution"),  # any other body
    ],
)
def test_issuer_code(label: str, code: str) -> None:
    assert _issuer_code(label) == code


def test_ministers_are_office_holders_not_bodies() -> None:
    assert _office_holder("وزير الداخلية")
    assert _office_holder("الوزير المختص")
    assert not _office_holder("وزارة الداخلية")
    assert not _office_holder("مفوض حقوق الإنسان")  # an ombudsman post is annotated as a body


def test_eval_output_does_not_depend_on_hash_seed() -> None:
    """The misses and extras come out in the same order whatever Python's set order is."""
    import os
    import subprocess

    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "cli.py", "eval", "--split", "heldout", "--format", "json",
             "--errors", "5000"],
            capture_output=True, env=env, cwd=ROOT, check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and b'"errors"' in outputs[0]
