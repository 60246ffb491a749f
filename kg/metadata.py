"""What a report says about itself on its cover page: title, UN symbol, date of receipt; pure.

Only the text before the first numbered paragraph is read, and only when it looks like a
cover page (it states a date of receipt or a document symbol): a report that starts in the
middle (a table, as in the ICESCR sample) has no title to find.
"""

from __future__ import annotations

import re
from functools import cache

from .dates import find_dates
from .lexicon import patterns
from .normalize import fold
from .records import DocumentMeta, Paragraph


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {name: re.compile(regex) for name, regex in patterns("document_metadata.tsv").items()}


def document_metadata(paragraphs: list[Paragraph] | tuple[Paragraph, ...]) -> DocumentMeta:
    """Read title, symbol and date of receipt from the front matter (paragraph "0")."""
    front = next((p for p in paragraphs if p.number == "0"), None)
    if front is None:
        return DocumentMeta()
    text = front.text
    folded = fold(text)
    date = None
    receipt = _patterns()["receipt"].search(folded)
    if receipt:
        found = [d for d in find_dates(text[receipt.end() :]) if d.start <= 2 and d.date]
        date = found[0].date if found else None
    symbol_match = _patterns()["symbol"].search(text)
    symbol = symbol_match.group("symbol") if symbol_match else ""
    if not (date or symbol):
        return DocumentMeta()
    lines = [line.strip() for line in text.splitlines()]
    title = next(
        (line for line in lines
         if line and not line.startswith("[") and re.search("[\u0621-\u064a]", line)
         and not _patterns()["symbol"].fullmatch(line)),
        "",
    )
    return DocumentMeta(title=" ".join(title.split()), symbol=symbol, date=date)
