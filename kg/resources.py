"""The only module that knows where ontology/, shapes/, queries/, lexicons/ and the corpus live.

In a source checkout they sit at the repository root next to ``kg/``; in an installed wheel
they are copied into ``kg/_data/`` (see ``pyproject.toml``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from .errors import ResourceError

_PACKAGE = Path(__file__).resolve().parent


@cache
def root() -> Path:
    """Return the folder that holds ontology/, shapes/, queries/ and lexicons/."""
    bundled = _PACKAGE / "_data"
    if (bundled / "lexicons").is_dir():
        return bundled
    return _PACKAGE.parent


def ontology_dir() -> Path:
    return root() / "ontology"


def shapes_dir() -> Path:
    return root() / "shapes"


def queries_dir() -> Path:
    return root() / "queries"


def lexicons_dir() -> Path:
    return root() / "lexicons"


def models_dir() -> Path:
    return root() / "models"


def corpus_dir() -> Path:
    """Return the bundled sample corpus (the default input of ``legalkg build``)."""
    bundled = root() / "corpus"
    return bundled if bundled.is_dir() else root() / "data" / "corpus"


@cache
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Read ``lexicons/NAME`` (TSV with a header row) into rows keyed by the header.

    Lines starting with ``#`` and blank lines are skipped; every row must have as many fields
    as the header (empty trailing fields may be omitted).
    """
    path = lexicons_dir() / name
    if not path.is_file():
        raise ResourceError(f"lexicon {path} is missing; reinstall legalkg or restore the file")
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [(n, line.rstrip("\n").rstrip("\r")) for n, line in enumerate(fh, 1)]
    data = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    if not data:
        raise ResourceError(f"{path}: empty lexicon; it needs a header row")
    header = data[0][1].split("\t")
    for n, line in data[1:]:
        fields = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(fields) > len(header):
            raise ResourceError(
                f"{path}:{n}: expected {len(header)} tab-separated fields, got {len(fields)}; "
                "fix the line"
            )
        fields += [""] * (len(header) - len(fields))
        rows.append({h: f.strip() for h, f in zip(header, fields, strict=True)})
    return tuple(rows)


def read_jsonl(path: Path) -> Iterator[dict]:
    """Yield the JSON objects of a JSON-lines file, with file:line in any error."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ResourceError(f"{path}:{n}: invalid JSON ({exc.msg}); fix the line") from None
