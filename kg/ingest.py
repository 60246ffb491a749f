"""Input files -> :class:`~kg.records.Document` (decoding, .docx and .html text).

``Document.text`` is "the original text" every offset in the pipeline points into: the decoded
file with line breaks unified (``\\r\\n`` and ``\\r`` become ``\\n``) and, for .docx/.html, the
extracted visible text.  ``Document.sha256`` is the hash of the raw bytes on disk.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
import re
import stat
import zipfile
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import InputError
from .records import Diagnostic, Document

SUPPORTED = (".txt", ".docx", ".html", ".htm")
# Normalising costs ~70 bytes of memory per character, so 20 MB (about 40 times the longest
# UN report) stays near 1.5 GB; larger files are refused before they are read.
MAX_BYTES = 20_000_000

_KINDS = ", ".join(SUPPORTED[:-1]) + " or " + SUPPORTED[-1]

# Magic numbers of files that are certainly not text: what they are and what to do.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file; convert it to text first, e.g. with `pdftotext -layout FILE out.txt`"),
    (b"\x89PNG", "a PNG image; give a text file"),
    (b"\xff\xd8\xff", "a JPEG image; give a text file"),
    (b"GIF8", "a GIF image; give a text file"),
    (b"II*\x00", "a TIFF image; give a text file"),
    (b"MM\x00*", "a TIFF image; give a text file"),
    (b"PK\x03\x04", "a zip archive (a .docx?); give it the .docx extension or unzip it"),
    (b"\xd0\xcf\x11\xe0", "an old binary Office file (.doc); save it as .docx or UTF-8 text"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Control characters that never occur in text (tab, LF, FF, CR, ESC-free range).
_MIXED = re.compile(r"[A-Za-z][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def collect_inputs(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Expand directories into the supported files they hold, sorted by file name.

    Directories are read one level deep; every file left out gets an ``info`` diagnostic.
    """
    found: dict[Path, None] = {}
    notes: list[Diagnostic] = []
    for path in paths:
        _check_exists(path)
        if path.is_dir():
            kept = 0
            try:
                children = sorted(path.iterdir(), key=lambda p: p.name)
            except OSError as exc:
                raise InputError(f"cannot list directory {path}: {exc.strerror}; check it") from None
            for child in children:
                if child.is_dir():
                    notes.append(Diagnostic("info", f"skipped {child}: directory (not read)"))
                elif child.suffix.lower() in SUPPORTED:
                    _check_exists(child)
                    found.setdefault(_resolve(child), None)
                    kept += 1
                else:
                    kind = child.suffix.lower() or "without extension"
                    notes.append(Diagnostic("info", f"skipped {child}: unsupported type {kind}"))
            if not kept:
                raise InputError(
                    f"no {_KINDS} file in directory {path}; put the reports there or name files"
                )
        else:
            _check_supported(path)
            found.setdefault(_resolve(path), None)
    files = sorted(found, key=lambda p: (p.name, str(p)))
    for a, b in itertools.pairwise(files):
        if a.name == b.name:
            raise InputError(
                f"two inputs have the same file name {a.name} ({a} and {b}); document ids are "
                "file names and must be unique, so rename one"
            )
    return files, notes


def _check_exists(path: Path) -> None:
    """Raise :class:`InputError` for a missing path, a broken or looping link, a bad name."""
    try:
        os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; "
                "fix or remove the link"
            ) from None
        raise InputError(f"no such file or directory: {path}; check the path") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(
                f"{path} is a symbolic link that loops back on itself; fix or remove the link"
            ) from None
        raise InputError(f"cannot open {path}: {exc.strerror}; check the path") from None
    except ValueError:
        raise InputError(f"bad file name {str(path)!r} (it holds a NUL byte); check the path") from None


def _resolve(path: Path) -> Path:
    """Return the absolute path of an input, with links resolved."""
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(f"cannot resolve {path} (a looping link?); fix or remove the link") from None


def _check_supported(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` has a supported extension."""
    suffix = path.suffix.lower()
    if suffix in SUPPORTED:
        return
    if suffix == ".pdf":
        raise InputError(
            f"cannot read PDF {path}: convert it to text first, e.g. with "
            f"`pdftotext -layout {path} {path.with_suffix('.txt')}`, and give the .txt file"
        )
    kind = suffix or "without extension"
    raise InputError(f"unsupported file type {kind}: {path}; give a {_KINDS} file")


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> Document:
    """Read and decode one input file; ``doc_id`` is the file name."""
    _check_supported(path)
    raw = _read_bytes(path, max_bytes)
    doc_id = path.name
    notices: list[Diagnostic] = []
    suffix = path.suffix.lower()
    if suffix == ".docx":
        text, encoding = _docx_text(path, raw, max_bytes), "docx"
    else:
        _check_binary(path, raw)
        text, encoding = _decode(path, raw)
        if encoding == "windows-1256":
            notices.append(Diagnostic("info", "decoded as Windows-1256", doc_id))
        if suffix in (".html", ".htm"):
            text = html_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{path} has no text (empty or only whitespace); give a non-empty file")
    if not _ARABIC_LETTER.search(text):
        notices.append(Diagnostic(
            "warning", "no Arabic text found, so nothing can be extracted; legalkg reads Arabic "
            "reports (check the file, or its encoding)", doc_id,
        ))
    return Document(
        doc_id=doc_id,
        text=text,
        path=path,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        notices=tuple(notices),
    )


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read the raw bytes, refusing missing, unreadable, non-regular and too large files.

    A FIFO, socket or device named «x.txt» would block or never end, so only regular files
    are opened; the size is checked before reading, so a huge file costs no memory.
    """
    _check_exists(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}; check the file") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path} is a directory, not a file; name a {_KINDS} file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{path} is not a regular file (a pipe, socket or device); copy the text into a "
            f"{_KINDS} file"
        )
    if info.st_size > max_bytes:
        raise InputError(
            f"{path} is {info.st_size:,} bytes, larger than the limit of {max_bytes:,} bytes; "
            "split it into smaller files (e.g. one per report chapter) or raise the limit"
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied; check its permissions") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}; check the file") from None
    if len(raw) > max_bytes:  # it grew while we looked
        raise InputError(f"{path} is larger than the limit of {max_bytes:,} bytes; split it")
    return raw


def _check_binary(path: Path, raw: bytes) -> None:
    """Raise :class:`InputError` for images, PDFs, archives and other non-text bytes."""
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise InputError(f"{path} is not text but {what}")
    if any(raw.startswith(bom) for bom, enc in _BOMS if enc.startswith("utf-16")):
        return
    if b"\x00" in raw:
        raise InputError(
            f"{path} contains binary data (NUL bytes); give a text file (UTF-16 needs a byte "
            "order mark, or save it as UTF-8)"
        )


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Decode UTF-8/UTF-16 with BOM, UTF-8, else plausibly Arabic Windows-1256."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                break
            return text.removeprefix("\ufeff"), encoding
    else:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            _check_damaged_utf8(path, raw, exc)
            text = raw.decode("cp1256", errors="replace")
            if _plausibly_arabic(text):
                return text, "windows-1256"
    raise InputError(
        f"cannot decode {path}: not UTF-8, UTF-16 or Windows-1256 text; save it as UTF-8"
    )


def _check_damaged_utf8(path: Path, raw: bytes, exc: UnicodeDecodeError) -> None:
    """Raise :class:`InputError` for UTF-8 with a few bad bytes (a cut or corrupted file).

    Such bytes also decode as Windows-1256 into Arabic-looking mojibake («ط£ظ‚ط±» for «أقر»),
    so they must be caught before that guess: most multi-byte sequences are valid UTF-8.
    """
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if good < 10 * bad:
        return
    if exc.end == len(raw) and exc.reason == "unexpected end of data":
        raise InputError(
            f"cannot decode {path}: it is UTF-8 but ends in the middle of a character "
            "(truncated?); give the complete file"
        )
    raise InputError(
        f"cannot decode {path}: it is UTF-8 but byte {exc.start:,} (and {bad - 1} more) is not; "
        "repair the file or save it again as UTF-8"
    )


def _plausibly_arabic(text: str) -> bool:
    """Tell whether a Windows-1256 decoding looks like Arabic, not mojibake of another code page.

    Markup and Latin words may surround the Arabic (HTML pages), so only non-ASCII letters
    count: most must be Arabic, and Arabic letters must not sit inside Latin words («seًor»).
    """
    if "\ufffd" in text or _CONTROL.search(text):
        return False
    foreign = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    arabic = sum(1 for ch in foreign if "\u0621" <= ch <= "\u064a")
    mixed = len(_MIXED.findall(text))
    return arabic > 0 and arabic >= 0.9 * len(foreign) and mixed <= 0.02 * arabic


def _docx_text(path: Path, raw: bytes, max_bytes: int) -> str:
    """Return the paragraphs and table cells of a .docx, in document order, one per line.

    Footnotes are written where they are referenced, in the markup of the sample corpus that
    :func:`kg.normalize.remove_footnote_markup` understands: ``كلمة[footnoteRef:1] [1: نص]``.
    """
    import io

    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml import parse_xml

    bad = f"{path} is not a valid .docx (zip) file; open it in a word processor and save as .docx"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise InputError(bad)
            if unpacked > 10 * max_bytes:
                raise InputError(
                    f"{path} unpacks to {unpacked:,} bytes, more than 10 x the limit of "
                    f"{max_bytes:,} bytes; split the document"
                )
            notes_xml = archive.read("word/footnotes.xml") if "word/footnotes.xml" in names else b""
        document = open_docx(io.BytesIO(raw))
        footnotes = _docx_footnotes(parse_xml(notes_xml)) if notes_xml else {}
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        raise InputError(bad) from None
    return "\n".join(_docx_blocks(document.element.body, footnotes))


def _docx_footnotes(root: Any) -> dict[str, str]:
    """Map footnote ids to their text (separator footnotes have a type and are skipped)."""
    notes: dict[str, str] = {}
    for note in root.iterchildren(qn("w:footnote")):
        if note.get(qn("w:type")) in (None, "normal"):
            body = " ".join(_paragraph_text(p, {}) for p in note.iter(qn("w:p"))).strip()
            notes[note.get(qn("w:id"))] = body.replace("[", "(").replace("]", ")")
    return notes


def _docx_blocks(body: Any, footnotes: dict[str, str]) -> list[str]:
    """Return the text of body paragraphs and of each table cell, in order."""
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_paragraph_text(child, footnotes))
        elif child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                for tc in tr.iterchildren(qn("w:tc")):
                    lines.extend(_paragraph_text(p, footnotes) for p in tc.iterchildren(qn("w:p")))
    return lines


def _paragraph_text(p: Any, footnotes: dict[str, str]) -> str:
    """Return the text of one ``w:p`` element: runs, tabs, breaks and footnote references."""
    parts: list[str] = []
    for el in p.iter():
        tag = el.tag
        if tag == _W_T:
            parts.append(el.text or "")
        elif tag == _W_TAB:
            parts.append("\t")
        elif tag in (_W_BR, _W_CR):
            parts.append("\n")
        elif tag == _W_HYPHEN:
            parts.append("-")
        elif tag == _W_FOOTNOTE:
            n = el.get(qn("w:id"))
            parts.append(f"[footnoteRef:{n}]")
            if footnotes.get(n):
                parts.append(f" [{n}: {footnotes[n]}]")
    return "".join(parts)


def qn(name: str) -> str:
    """Return the Clark name of a WordprocessingML tag: ``w:t`` -> ``{…/main}t``."""
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name.removeprefix(
        "w:"
    )


_W_T, _W_TAB, _W_BR, _W_CR, _W_HYPHEN, _W_FOOTNOTE = (
    qn(f"w:{name}") for name in ("t", "tab", "br", "cr", "noBreakHyphen", "footnoteReference")
)


_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title", "svg"})


class _TextParser(HTMLParser):
    """Collect visible text; block elements become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.parts.append(data if self.pre else re.sub(r"[ \t\r\n\f]+", " ", data))


def html_text(markup: str) -> str:
    """Return the visible text of an HTML page; nothing is ever fetched.

    ``script``/``style``/``head`` are dropped, block elements (``p``, ``div``, ``td``, ``br`` …)
    end a line and entities are unescaped: ``<p>المادة&nbsp;5</p>`` -> ``المادة\\xa05``.
    """
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
