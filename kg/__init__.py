"""legalkg: Arabic legal and human-rights reports -> a validated knowledge graph of instruments."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
