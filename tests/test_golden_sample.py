"""The bundled sample builds to the very same graph.ttl, byte for byte (tests/golden/sample.sha256).

Speed work and refactoring must not change what is extracted; this records the sha256 of the
sample's graph.ttl.  Regenerate it after an intended change with ``LEGALKG_UPDATE_GOLDEN=1``,
once the graph.ttl diff has been reviewed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from kg.build import BuildSummary

GOLDEN = Path(__file__).parent / "golden" / "sample.sha256"


def test_sample_graph_is_byte_identical(built_sample: BuildSummary) -> None:
    got = hashlib.sha256(built_sample.graph_path.read_bytes()).hexdigest()
    if os.environ.get("LEGALKG_UPDATE_GOLDEN"):
        GOLDEN.write_text(got + "\n", encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8").strip()
    assert got == expected, (
        f"graph.ttl of the bundled sample changed: sha256 {got}, recorded {expected} in "
        f"{GOLDEN.name}.\nIf the change was not meant to alter the output, it is a regression. "
        "If it was, review the difference first: build the sample before and after the change "
        "(`uv run legalkg build --out /tmp/before` on the previous commit, `uv run legalkg build "
        "--out /tmp/after` on this one) and read `diff /tmp/before/graph.ttl "
        "/tmp/after/graph.ttl`; then record the new output with "
        "`LEGALKG_UPDATE_GOLDEN=1 uv run pytest tests/test_golden_sample.py`."
    )
