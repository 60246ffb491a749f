"""legalkg: Arabic legal and human-rights reports -> a validated knowledge graph of instruments.

The public API mirrors the CLI (which only prints what these return)::

    import kg
    summary = kg.build([Path("reports/")], Path("out"))
    rows = kg.run_query("establishments", store=summary.store_path)

Imports are lazy, so ``import kg`` stays cheap (spaCy and pySHACL load on first use).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "build": "kg.build",
    "extract_document": "kg.build",
    "BuildSummary": "kg.build",
    "make_nlp": "kg.nlp",
    "Store": "kg.store",
    "open_store": "kg.store",
    "run_query": "kg.queries",
    "list_queries": "kg.queries",
    "get_query": "kg.queries",
    "NamedQuery": "kg.queries",
    "Rows": "kg.queries",
    "push": "kg.remote",
    "export": "kg.export",
    "network": "kg.export",
    "validate": "kg.validation",
    "load_graph_file": "kg.validation",
    "Report": "kg.validation",
    "evaluate": "kg.evaluate",
    "KGError": "kg.errors",
    "InputError": "kg.errors",
    "QueryError": "kg.errors",
    "StoreError": "kg.errors",
    "ResourceError": "kg.errors",
}

__all__ = [  # noqa: RUF022 (grouped like _EXPORTS)
    "__version__", "build", "extract_document", "BuildSummary", "make_nlp", "Store", "open_store",
    "run_query", "list_queries", "get_query", "NamedQuery", "Rows", "push", "export", "network",
    "validate", "load_graph_file", "Report", "evaluate", "KGError", "InputError", "QueryError",
    "StoreError", "ResourceError",
]

# These three share their name with their module (kg/build.py defines build()): import them
# now, so that ``kg.build`` is the function and not the module, whatever is imported later.
from .build import build as build
from .evaluate import evaluate as evaluate
from .export import export as export


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
