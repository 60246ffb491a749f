"""Exceptions raised by the library; ``cli.py`` turns them into one ``Error: ...`` line.

Every message says what went wrong, where, and what to do about it.  Non-conformance of a
graph is *not* an exception (see :mod:`kg.validation`).
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error legalkg raises on purpose."""

    exit_code = 2


class InputError(KGError):
    """Bad user input: a missing, unreadable, empty, binary or unsupported file or argument."""


class ResourceError(KGError):
    """A bundled resource (lexicon, pattern file, query, shape) is missing or malformed."""


class QueryError(KGError):
    """An unknown named query, a bad parameter, a SPARQL syntax error or a failed query."""


class StoreError(KGError):
    """A store cannot be opened, or a remote endpoint refused or failed."""

    exit_code = 1
