"""Bad input: every case fails loudly and cleanly, and never damages the earlier output.

Each failing case runs against an out dir that already holds a good build, with the same
``--out``: exit code 2 (bad input or usage), exactly one ``Error: …`` line saying what to do,
no traceback, and ``graph.ttl`` byte-identical with the store still answering queries.
Cases that are odd but readable (other encodings, bidi controls, impossible dates, no Arabic)
exit 0 with a complete output.  A few cases run the real ``legalkg`` entry point.
"""

from __future__ import annotations

import io
import os
import resource
import stat
import time
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF
from robust_support import (
    assert_clean_failure,
    assert_intact,
    assert_ok,
    build_args,
    cli,
    fingerprint,
    good_text,
    run_legalkg,
    time_limit,
    write_good,
)

from kg.build import extract_document
from kg.dates import find_dates
from kg.ingest import MAX_BYTES
from kg.queries import run_query
from kg.records import Document

LKG = Namespace("https://w3id.org/legalkg/ontology#")


@pytest.fixture(scope="module")
def good_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A good build in a private folder, and the SHA-256 of its graph.ttl."""
    base = tmp_path_factory.mktemp("good")
    out = base / "out"
    assert_ok(cli(*build_args(out, write_good(base / "in"))))
    return out, fingerprint(out)


def bad_build(good_out: tuple[Path, str], *inputs: Path | str, code: int = 2) -> str:
    """Build ``inputs`` into the good out dir; return the Error line after checking intactness."""
    out, sha = good_out
    with time_limit(120, "a failing build"):
        result = cli(*build_args(out, *inputs))
    line = assert_clean_failure(result, code)
    assert_intact(out, sha)
    return line


# --- unreadable files: exit 2, earlier output intact -------------------------------------------

ARABIC = good_text()


def _docx_garbage() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", b"\x00\x01garbage<w:document")
        z.writestr("[Content_Types].xml", b"not xml at all")
    return buf.getvalue()


def _zip_without_document() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "مرحبا")
    return buf.getvalue()


BAD_FILES = [
    pytest.param("empty.txt", b"", "has no text (empty or only whitespace)", id="empty"),
    pytest.param("blank.txt", b" \n\t\r\n  \n", "has no text", id="whitespace-only"),
    pytest.param("bom.txt", b"\xef\xbb\xbf\n", "has no text", id="bom-only"),
    pytest.param("bin.txt", bytes(range(256)) * 8, "binary data (NUL bytes)", id="binary"),
    pytest.param("img.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is not text but a PNG image",
                 id="png-named-txt"),
    pytest.param("photo.txt", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "a JPEG image",
                 id="jpeg-named-txt"),
    pytest.param("scan.txt", b"%PDF-1.7\n", "a PDF file; convert it to text first",
                 id="pdf-named-txt"),
    pytest.param("cut.txt", ARABIC.encode()[: ARABIC.encode().index(b"\xd8", 3000) + 1],
                 "it is UTF-8 but ends in the middle of a character (truncated?)",
                 id="truncated-utf8"),
    pytest.param("flip.txt", ARABIC.encode()[:3001] + b"\xff" + ARABIC.encode()[3002:],
                 "it is UTF-8 but byte 3,000 (and 1 more) is not", id="corrupt-utf8-byte"),
    pytest.param("nobom16.txt", ARABIC.encode("utf-16-le"), "UTF-16 needs a byte order mark",
                 id="utf16-without-bom"),
    pytest.param("latin.txt", "Señor Müller façade élève ".encode("cp1252") * 20,
                 "not UTF-8, UTF-16 or Windows-1256", id="cp1252-not-arabic"),
    pytest.param("bad.docx", _docx_garbage(), "is not a valid .docx", id="docx-garbage-xml"),
    pytest.param("notzip.docx", ARABIC.encode(), "is not a valid .docx", id="docx-plain-text"),
    pytest.param("nodoc.docx", _zip_without_document(), "is not a valid .docx",
                 id="docx-zip-without-document"),
    pytest.param("report.odt", ARABIC.encode(), "unsupported file type .odt",
                 id="unsupported-extension"),
    pytest.param("report", ARABIC.encode(), "unsupported file type without extension",
                 id="no-extension"),
    pytest.param("report.pdf", b"%PDF-1.4", "cannot read PDF", id="pdf"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_file(good_out: tuple[Path, str], tmp_path: Path, name: str, content: bytes,
                  message: str) -> None:
    assert content or name in ("empty.txt",), "the fixture did not make its bad bytes"
    path = tmp_path / name
    path.write_bytes(content)
    assert message in bad_build(good_out, path)


def test_fifo_named_txt_is_refused_not_read(good_out: tuple[Path, str], tmp_path: Path) -> None:
    """A FIFO would block forever on open (meaningful as root, unlike chmod 000)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "is not a regular file (a pipe, socket or device)" in bad_build(good_out, fifo)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_device_named_txt_is_refused(good_out: tuple[Path, str], tmp_path: Path) -> None:
    zero = tmp_path / "zero.txt"  # a copy of /dev/zero: endless bytes, must not be read
    os.mknod(zero, stat.S_IFCHR | 0o600, os.makedev(1, 5))
    assert "is not a regular file" in bad_build(good_out, zero)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file; see the FIFO test")
def test_unreadable_permissions(good_out: tuple[Path, str], tmp_path: Path) -> None:
    path = write_good(tmp_path, "secret.txt")
    path.chmod(0)
    assert "permission denied" in bad_build(good_out, path)


def test_symlink_loop(good_out: tuple[Path, str], tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    assert "loops back on itself" in bad_build(good_out, a)


def test_symlink_loop_inside_a_directory(good_out: tuple[Path, str], tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_good(folder, "real.txt")
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    assert "loops back on itself" in bad_build(good_out, folder)


def test_broken_symlink(good_out: tuple[Path, str], tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    assert "which does not exist; fix or remove the link" in bad_build(good_out, link)


def test_missing_file(good_out: tuple[Path, str], tmp_path: Path) -> None:
    assert "no such file or directory" in bad_build(good_out, tmp_path / "nope.txt")


def test_file_name_too_long(good_out: tuple[Path, str], tmp_path: Path) -> None:
    assert "File name too long" in bad_build(good_out, tmp_path / ("x" * 300 + ".txt"))


def test_nul_byte_in_path(good_out: tuple[Path, str]) -> None:
    assert "null byte" in bad_build(good_out, "a\x00b.txt")


def test_directory_with_nothing_supported(good_out: tuple[Path, str], tmp_path: Path) -> None:
    folder = tmp_path / "misc"
    folder.mkdir()
    (folder / "notes.odt").write_bytes(b"x")
    (folder / "scan.pdf").write_bytes(b"%PDF")
    (folder / "sub.txt").mkdir()  # a directory named like a text file is not read
    assert "no .txt, .docx, .html or .htm file in directory" in bad_build(good_out, folder)


def test_empty_directory(good_out: tuple[Path, str], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert "put the reports there or name files" in bad_build(good_out, tmp_path / "empty")


def test_same_file_name_twice(good_out: tuple[Path, str], tmp_path: Path) -> None:
    a, b = write_good(tmp_path / "a"), write_good(tmp_path / "b")
    assert "two inputs have the same file name good.txt" in bad_build(good_out, a, b)


def test_one_bad_file_among_good_ones_keeps_old_output(
    good_out: tuple[Path, str], tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    write_good(folder, "a.txt")
    (folder / "b.txt").write_bytes(b"")
    assert "b.txt has no text" in bad_build(good_out, folder)


def test_hundred_megabyte_file_is_refused_by_size(good_out: tuple[Path, str],
                                                  tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    chunk = (ARABIC * 8).encode()
    with big.open("wb") as f:
        while f.tell() < 100_000_000:
            f.write(chunk)
    start = time.monotonic()
    line = bad_build(good_out, big)
    assert f"larger than the limit of {MAX_BYTES:,} bytes; split it" in line
    assert time.monotonic() - start < 60  # refused from its size, not read


def test_paragraph_longer_than_the_limit(good_out: tuple[Path, str], tmp_path: Path) -> None:
    """A text that lost its line breaks and numbers: one paragraph past spaCy's limit."""
    path = tmp_path / "oneline.txt"
    path.write_text("صدر القانون رقم 5 " + "ا" * 1_000_100, encoding="utf-8")
    assert "paragraph 0 (line 1) has 1,000," in bad_build(good_out, path)


# --- output and usage errors -----------------------------------------------------------------


def test_out_dir_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("keep me", encoding="utf-8")
    result = cli(*build_args(target, write_good(tmp_path / "in")))
    assert_clean_failure(result, 2, "is a file, not a directory; pass another --out")
    assert target.read_text(encoding="utf-8") == "keep me"


def test_out_dir_under_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli(*build_args(blocker / "out", write_good(tmp_path / "in")))
    assert_clean_failure(result, 2, "cannot write into", "pass another --out")


def test_unknown_option(good_out: tuple[Path, str]) -> None:
    out, sha = good_out
    assert_clean_failure(cli("build", "--bogus", "-o", str(out)), 2, "No such option: --bogus",
                         "legalkg build --help")
    assert_intact(out, sha)


def test_unknown_command() -> None:
    assert_clean_failure(cli("bild"), 2, "No such command", "legalkg --help")


# --- queries ---------------------------------------------------------------------------------


def bad_query(good_out: tuple[Path, str], *args: str) -> str:
    out, sha = good_out
    line = assert_clean_failure(cli("query", *args, "--store", str(out / "store")), 2)
    assert_intact(out, sha)
    return line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["no_such_query"], "unknown query 'no_such_query'; run `legalkg query --list`",
                     id="unknown-query"),
        pytest.param(["../../etc/passwd"], "unknown query", id="query-name-path-traversal"),
        pytest.param(["documents", "-p", "x=1"], "unknown parameter 'x' for query 'documents'",
                     id="unknown-parameter"),
        pytest.param(["institution_history"], "needs a value for ?institution; pass --param",
                     id="missing-parameter"),
        pytest.param(["institution_history", "-p", "institution"], "--param expects KEY=VALUE",
                     id="parameter-without-equals"),
        pytest.param(["institution_history", "-p", "bad name=x"], "unknown parameter",
                     id="parameter-bad-name"),
        pytest.param(["documents", "--format", "xml"], "unknown --format 'xml'", id="bad-format"),
        pytest.param([], "give a query NAME", id="no-query-name"),
    ],
)
def test_bad_query_usage(good_out: tuple[Path, str], args: list[str], message: str) -> None:
    assert message in bad_query(good_out, *args)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("# title: Broken\nSELECT ?x WHERE { ?x ?y \n", "SPARQL syntax error",
                     id="syntax-error"),
        pytest.param("SELECT ?x WHERE { ?x ?y ?z }\n", "has no '# title:' header", id="no-header"),
        pytest.param("# title: Update\nDROP ALL\n", "SPARQL syntax error", id="update-not-query"),
        pytest.param("# title: Ask\nASK { ?s ?p ?o }\n", "only SELECT queries return rows",
                     id="ask-not-select"),
    ],
)
def test_bad_query_file(good_out: tuple[Path, str], tmp_path: Path, text: str,
                        message: str) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(text, encoding="utf-8")
    assert message in bad_query(good_out, str(path))


def test_query_file_not_utf8(good_out: tuple[Path, str], tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_bytes(b"# title: x\nSELECT ?x WHERE { ?x ?y \xff\xfe }\n")
    assert "cannot read query" in bad_query(good_out, str(path))


@pytest.mark.parametrize("kind", ["missing", "plain-dir", "file", "garbage"])
def test_query_without_a_store(tmp_path: Path, kind: str) -> None:
    store = tmp_path / "store"
    if kind == "plain-dir":
        store.mkdir()
    elif kind == "file":
        store.write_text("x", encoding="utf-8")
    elif kind == "garbage":
        store.mkdir()
        (store / "CURRENT").write_text("MANIFEST-999999\n", encoding="utf-8")
    result = cli("query", "documents", "--store", str(store))
    code = 1 if kind == "garbage" else 2
    assert_clean_failure(result, code, "store", "rebuild" if kind == "garbage" else "build")


# --- odd but readable: exit 0 and a complete output ------------------------------------------


def built(tmp_path: Path, path: Path) -> tuple[Path, Graph, str]:
    """Build ``path`` into a fresh out dir; return it, its graph and stderr."""
    out = tmp_path / "out"
    args = build_args(out, path)
    args.remove("-q")
    result = cli(*args)
    assert_ok(result)
    graph = Graph().parse(out / "graph.ttl")
    assert run_query("documents", store=out / "store")
    return out, graph, result.stderr


def mentions(graph: Graph) -> int:
    return len(set(graph.subjects(RDF.type, LKG.Mention)))


@pytest.fixture(scope="module")
def utf8_mentions(tmp_path_factory: pytest.TempPathFactory) -> int:
    base = tmp_path_factory.mktemp("utf8")
    return mentions(built(base, write_good(base / "in"))[1])


@pytest.mark.parametrize(
    ("encoding", "prefix", "note"),
    [
        pytest.param("cp1256", b"", "decoded as Windows-1256", id="windows-1256"),
        pytest.param("utf-16-le", b"\xff\xfe", "", id="utf16-le-bom"),
        pytest.param("utf-16-be", b"\xfe\xff", "", id="utf16-be-bom"),
        pytest.param("utf-8", b"\xef\xbb\xbf", "", id="utf8-bom"),
    ],
)
def test_other_encodings_give_the_same_facts(tmp_path: Path, utf8_mentions: int, encoding: str,
                                             prefix: bytes, note: str) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(prefix + ARABIC.encode(encoding))
    _, graph, stderr = built(tmp_path, path)
    assert utf8_mentions > 10
    assert mentions(graph) == utf8_mentions
    assert note in stderr


def test_non_arabic_text_warns_and_gives_no_facts(tmp_path: Path) -> None:
    path = tmp_path / "english.txt"
    path.write_text("1- Decree No. 5 of 1 March 2001 established the State Agency.\n",
                    encoding="utf-8")
    _, graph, stderr = built(tmp_path, path)
    assert "warning: no Arabic text found, so nothing can be extracted" in stderr
    assert mentions(graph) == 0


def test_bidi_controls_keep_facts_and_verbatim_snippets(tmp_path: Path, nlp) -> None:
    marks = "\u202b\u200f\u2067\u202e\u200e\u2069\u202c\u061c"
    text = "".join(ch + (marks[i % len(marks)] if ch == " " and i % 7 == 0 else "")
                   for i, ch in enumerate(ARABIC))
    path = tmp_path / "bidi.txt"
    path.write_text(text, encoding="utf-8")
    _, graph, _ = built(tmp_path, path)
    assert mentions(graph) > 10
    result = extract_document(Document("bidi.txt", text), nlp)
    assert result.mentions
    assert all(m.snippet == text[m.start : m.end] for m in result.mentions)


def test_impossible_dates_are_not_facts(tmp_path: Path) -> None:
    text = ("1- صدر المرسوم الرئاسي رقم 12 المؤرخ 31 شباط/فبراير 2020 بشأن إنشاء وكالة الخدمات.\n"
            "2- واعتمد القانون رقم 7 في 5 آذار/مارس 0000 وفي عام 0000.\n")
    problems = [d.problem for d in find_dates(text) if d.date is None]
    assert any("day 31 does not exist in 2020-02" in p for p in problems)
    assert any("year 0000 is outside" in p for p in problems)
    path = tmp_path / "dates.txt"
    path.write_text(text, encoding="utf-8")
    _, graph, _ = built(tmp_path, path)
    literals = {str(o) for o in graph.objects()}
    assert not any(v.startswith(("2020-02-31", "0000")) for v in literals)


def test_absurd_paragraph_numbers(tmp_path: Path) -> None:
    text = ("99999999999999- نص أول.\n0- نص.\n1- صدر القانون رقم 5 لعام 2001.\n"
            "2- نص.\n9999- قفزة كبيرة.\n3- نص ثالث.\n-5- سالب.\n")
    path = tmp_path / "numbers.txt"
    path.write_text(text, encoding="utf-8")
    _, graph, _ = built(tmp_path, path)
    numbers = sorted(int(n) for n in graph.objects(None, LKG.paragraphNumber))
    assert numbers == [0, 1, 2, 3]


def test_directory_named_like_a_text_file_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    write_good(folder, "a.txt")
    (folder / "b.txt").mkdir()
    _, graph, stderr = built(tmp_path, folder)
    assert "skipped" in stderr and "b.txt: directory (not read)" in stderr
    assert mentions(graph) > 10


def test_one_megabyte_single_line_is_extracted_in_reasonable_time(nlp) -> None:
    line = (ARABIC.replace("\n", " ") * 80).encode()[:1_000_000].decode("utf-8", "ignore")
    with time_limit(45, "extracting a 1 MB single line"):
        result = extract_document(Document("line.txt", line), nlp)
    assert len(result.paragraphs) == 1 and result.mentions


# --- the real entry point behaves the same ---------------------------------------------------


def test_real_entry_point_bad_file_and_usage(good_out: tuple[Path, str], tmp_path: Path) -> None:
    out, sha = good_out
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for args, code, needle in (
        (build_args(out, empty), 2, "has no text"),
        (["build", "--bogus"], 2, "No such option: --bogus"),
        (["query", "no_such_query", "--store", str(out / "store")], 2, "unknown query"),
    ):
        proc = run_legalkg(args)
        assert proc.returncode == code, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        errors = [line for line in proc.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1 and needle in errors[0], proc.stderr
    assert_intact(out, sha)


def test_real_entry_point_fifo_and_huge_file_use_little_memory(
    good_out: tuple[Path, str], tmp_path: Path
) -> None:
    out, sha = good_out
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    big = tmp_path / "big.txt"
    with big.open("wb") as f:  # sparse: 100 MB that costs no disk
        f.truncate(100_000_000)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for path, needle in ((fifo, "not a regular file"), (big, "larger than the limit")):
        proc = run_legalkg(build_args(out, path), timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and needle in proc.stderr
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    assert peak_mb < 1024, f"a refused input made legalkg use {peak_mb:.0f} MB"
    assert_intact(out, sha)
