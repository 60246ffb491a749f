"""Tests for kg.ingest: encodings, .docx, .html, directory expansion and every input error."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import SUPPORTED, collect_inputs, html_text, read_document
from kg.records import Diagnostic
from kg.resources import corpus_dir

ARABIC = "أنشئت وكالة الدعم الحكومي بموجب المرسوم الرئاسي المؤرخ 19 آذار/مارس 2007.\n"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (ARABIC.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + ARABIC.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + ARABIC.encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_unicode_encodings(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    doc = read_document(write(tmp_path / "report.txt", encoded))
    assert doc.text == ARABIC
    assert doc.encoding == encoding
    assert doc.doc_id == "report.txt"
    assert doc.sha256 == hashlib.sha256(encoded).hexdigest()
    assert doc.notices == ()


def test_windows_1256_arabic_with_notice(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "old.txt", ARABIC.encode("cp1256")))
    assert doc.text == ARABIC
    assert doc.encoding == "windows-1256"
    assert doc.notices == (Diagnostic("info", "decoded as Windows-1256", "old.txt"),)


@pytest.mark.parametrize(
    "latin",
    ["Résumé élémentaire à côté", "El año del señor, la canción", "Größe und Übermaß"],
    ids=["french", "spanish", "german"],
)
def test_latin1_bytes_are_not_taken_for_arabic(tmp_path: Path, latin: str) -> None:
    path = write(tmp_path / "latin.txt", latin.encode("latin-1"))
    with pytest.raises(InputError) as exc:
        read_document(path)
    assert str(exc.value).startswith(f"cannot decode {path}: not UTF-8, UTF-16 or Windows-1256")
    assert str(exc.value).endswith("save it as UTF-8")


def test_crlf_becomes_lf_and_offsets_index_the_returned_text(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "crlf.txt", "1-\tأولا\r\n2-\tثانيا\r".encode()))
    assert doc.text == "1-\tأولا\n2-\tثانيا\n"


def test_corpus_document(tmp_path: Path) -> None:
    path = corpus_dir() / "000_6cf377918dd049db.txt"
    doc = read_document(path)
    assert doc.doc_id == path.name and doc.path == path
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


# --- .docx and .html -----------------------------------------------------------------------


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    from docx import Document as new_docx

    document = new_docx()
    document.add_paragraph("1-\tأنشئت وكالة الدعم.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "السنة"
    table.cell(0, 1).text = "مانات"
    table.cell(1, 0).text = "1993"
    table.cell(1, 1).text = "184.7 2"
    document.add_paragraph("2-\tالمادة 5 من القانون.")
    path = tmp_path / "report.docx"
    document.save(str(path))
    doc = read_document(path)
    assert (
        doc.text == "1-\tأنشئت وكالة الدعم.\nالسنة\nمانات\n1993\n184.7 2\n2-\tالمادة 5 من القانون."
    )
    assert doc.encoding == "docx"
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with_footnote(path: Path) -> Path:
    """Save a .docx whose first paragraph references footnote 1 (python-docx cannot add one)."""
    from docx import Document as new_docx

    document = new_docx()
    paragraph = document.add_paragraph("أذربيجان")
    paragraph.add_run().add_break()
    paragraph.add_run("1-\tأنشئت الوكالة")
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"].decode()
    first_run_end = xml.index("</w:r>") + len("</w:r>")
    reference = '<w:r><w:footnoteReference w:id="1"/></w:r>'
    parts["word/document.xml"] = (xml[:first_run_end] + reference + xml[first_run_end:]).encode()
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> '
        "المرسوم [رقم 5] المؤرخ 2007</w:t></w:r></w:p></w:footnote></w:footnotes>"
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_docx_footnotes_tabs_and_breaks(tmp_path: Path) -> None:
    doc = read_document(docx_with_footnote(tmp_path / "notes.docx"))
    assert doc.text == "أذربيجان[footnoteRef:1] [1: المرسوم (رقم 5) المؤرخ 2007]\n1-\tأنشئت الوكالة"


def test_docx_without_text(tmp_path: Path) -> None:
    from docx import Document as new_docx

    path = tmp_path / "blank.docx"
    new_docx().save(str(path))
    assert error_of(read_document, path).startswith(f"{path} has no text")


def test_html_visible_text_only(tmp_path: Path) -> None:
    markup = (
        "<!DOCTYPE html><html><head><title>عنوان</title><style>p {color: red}</style>"
        "<script>var x = '<p>لا</p>';</script></head><body>"
        "<h1>أولاً - معلومات</h1><p>1-&nbsp;أنشئت   الوكالة &amp; المجلس</p>"
        "<p>2- المادة<br>5</p><table><tr><td>السنة</td><td>1993</td></tr></table>"
        '<img src="http://example.org/x.png"></body></html>'
    )
    doc = read_document(write(tmp_path / "page.html", markup.encode()))
    assert (
        doc.text
        == "أولاً - معلومات\n\n1-\xa0أنشئت الوكالة & المجلس\n\n2- المادة\n5\n\nالسنة\n\n1993"
    )
    assert doc.encoding == "utf-8"


def test_htm_in_windows_1256(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path / "p.htm", f"<p>{ARABIC}</p>".encode("cp1256")))
    assert doc.text == ARABIC.strip()
    assert doc.notices[0].message == "decoded as Windows-1256"


def test_html_in_windows_1256_with_much_markup(tmp_path: Path) -> None:
    markup = (
        '<html><head><meta charset="windows-1256"><style>body {font-family: Arial}</style>'
        '</head><body><div class="content main-text" style="direction: rtl; margin: 0 auto">'
        f"<p>{ARABIC}</p></div></body></html>"
    )
    doc = read_document(write(tmp_path / "p.html", markup.encode("cp1256")))
    assert doc.text == ARABIC.strip()
    assert doc.encoding == "windows-1256"


def test_html_text_pre_keeps_spacing() -> None:
    assert html_text("<pre>أ  ب\nج</pre>") == "أ  ب\nج"


# --- directories ---------------------------------------------------------------------------


def test_collect_inputs_expands_directory_with_skip_notes(tmp_path: Path) -> None:
    for name in ["b.txt", "a.docx", "c.HTML", "d.htm"]:
        write(tmp_path / name, ARABIC.encode())
    write(tmp_path / "scan.pdf", b"%PDF-1.4")
    write(tmp_path / "notes.md", b"x")
    (tmp_path / "sub").mkdir()
    files, notes = collect_inputs([tmp_path])
    assert [f.name for f in files] == ["a.docx", "b.txt", "c.HTML", "d.htm"]
    assert notes == [
        Diagnostic("info", f"skipped {tmp_path / 'notes.md'}: unsupported type .md"),
        Diagnostic("info", f"skipped {tmp_path / 'scan.pdf'}: unsupported type .pdf"),
        Diagnostic("info", f"skipped {tmp_path / 'sub'}: directory (not read)"),
    ]


def test_collect_inputs_mixes_files_and_dirs_sorted_by_name(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    write(tmp_path / "d" / "b.txt", b"x")
    write(tmp_path / "a.txt", b"x")
    files, notes = collect_inputs([tmp_path / "d", tmp_path / "a.txt", tmp_path / "a.txt"])
    assert [f.name for f in files] == ["a.txt", "b.txt"]
    assert notes == []


def test_collect_inputs_corpus() -> None:
    files, notes = collect_inputs([corpus_dir()])
    assert notes == []
    assert [f.name for f in files] == ["000_6cf377918dd049db.txt", "001_31d65159885b43bc.txt"]
    assert SUPPORTED == (".txt", ".docx", ".html", ".htm")


# --- errors --------------------------------------------------------------------------------


def error_of(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as exc:
        call(*args, **kwargs)
    return str(exc.value)


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert error_of(collect_inputs, [missing]) == (
        f"no such file or directory: {missing}; check the path"
    )
    assert error_of(read_document, missing).startswith(f"no such file or directory: {missing}")


def test_directory_without_supported_files(tmp_path: Path) -> None:
    write(tmp_path / "scan.pdf", b"%PDF")
    assert error_of(collect_inputs, [tmp_path]).startswith(
        f"no .txt, .docx, .html or .htm file in directory {tmp_path}"
    )


def test_explicit_pdf_says_how_to_convert(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4")
    message = error_of(collect_inputs, [pdf])
    assert message.startswith(f"cannot read PDF {pdf}: convert it to text first")
    assert "pdftotext -layout" in message
    assert error_of(read_document, pdf) == message


def test_explicit_unsupported_type(tmp_path: Path) -> None:
    odt = write(tmp_path / "report.odt", b"x")
    assert error_of(collect_inputs, [odt]) == (
        f"unsupported file type .odt: {odt}; give a .txt, .docx, .html or .htm file"
    )


def test_duplicate_file_names(tmp_path: Path) -> None:
    for sub in ["x", "y"]:
        (tmp_path / sub).mkdir()
        write(tmp_path / sub / "report.txt", b"x")
    message = error_of(collect_inputs, [tmp_path / "x", tmp_path / "y" / "report.txt"])
    assert message.startswith("two inputs have the same file name report.txt")
    assert "rename one" in message


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_or_whitespace_file(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "empty.txt", content)
    assert error_of(read_document, path) == (
        f"{path} has no text (empty or only whitespace); give a non-empty file"
    )


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (b"abc\x00def", "contains binary data (NUL bytes)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is not text but a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "is not text but a JPEG image"),
        (b"GIF89a\x01\x00", "is not text but a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3", "is not text but a PDF file; convert it to text first"),
    ],
    ids=["nul", "png", "jpeg", "gif", "pdf-named-txt"],
)
def test_binary_content(tmp_path: Path, content: bytes, start: str) -> None:
    path = write(tmp_path / "x.txt", content)
    assert error_of(read_document, path).startswith(f"{path} {start}")


def test_file_larger_than_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", ARABIC.encode() * 10)
    size = path.stat().st_size
    assert error_of(read_document, path, max_bytes=100) == (
        f"{path} is {size:,} bytes, larger than the limit of 100 bytes; split it into smaller "
        "files (e.g. one per report chapter) or raise the limit"
    )


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", ARABIC.encode())
    path.chmod(0)
    try:
        assert error_of(read_document, path) == (
            f"cannot read {path}: permission denied; check its permissions"
        )
    finally:
        path.chmod(0o644)


def test_directory_given_to_read_document(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert error_of(read_document, folder).startswith(f"{folder} is a directory, not a file")


@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", b"PK\x03\x04broken", b""],
    ids=["text", "truncated-zip", "empty"],
)
def test_corrupt_docx(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "bad.docx", content)
    assert error_of(read_document, path).startswith(f"{path} is not a valid .docx (zip) file")


def test_zip_without_document_xml_is_not_docx(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "x")
    assert error_of(read_document, path).startswith(f"{path} is not a valid .docx (zip) file")
