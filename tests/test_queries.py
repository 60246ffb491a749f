"""Named queries: headers, exact rows on the hand-made fixture, bound parameters, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from servers import load_sample
from typer.testing import CliRunner

from cli import app
from kg.build import BuildSummary
from kg.errors import QueryError
from kg.queries import bind_values, get_query, list_queries, run_query
from kg.store import Store

REQUIRED = {
    "establishments", "instruments", "institution_history", "instruments_by_year", "issued_by",
    "amendments", "treaties", "articles_cited", "subordination", "successions", "provenance",
    "documents", "timeline",
}
INJECTION = 'x" } ; DROP ALL ; SELECT * { "'
runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_sample(tmp_path_factory.mktemp("queries") / "store")


def test_every_required_query_exists_with_a_header() -> None:
    queries = {q.name: q for q in list_queries()}
    assert REQUIRED <= set(queries)
    for q in queries.values():
        assert q.title and q.description, q.name
        assert all(p.example for p in q.params), q.name
    assert [p.name for p in queries["institution_history"].params] == ["institution"]
    assert [p.name for p in queries["provenance"].params] == ["node"]
    assert [p.name for p in queries["issued_by"].params] == ["issuer"]


def test_establishments_rows(store_dir: Path) -> None:
    rows = run_query("establishments", store=store_dir)
    assert rows.columns == ["institution", "instrument_type", "instrument_date", "issuer",
                            "parent", "doc", "para", "statements"]
    assert rows == [
        {"institution": "الدائرة الحكومية للهجرة", "instrument_type": "decree",
         "instrument_date": "2007-03-19", "issuer": "رئيس الجمهورية", "parent": "مجلس الوزراء",
         "doc": "doc_a", "para": "12", "statements": "1"},
        {"institution": "مفوض حقوق الإنسان (أمين المظالم)", "instrument_type": "constitutional_law",
         "instrument_date": "2001-12-28", "issuer": "ملي مجلس", "parent": "", "doc": "doc_b",
         "para": "5", "statements": "1"},
        # no legal basis: the type is empty and the date is the event's own date
        {"institution": "مؤسسة الشباب", "instrument_type": "", "instrument_date": "2012",
         "issuer": "", "parent": "", "doc": "doc_b", "para": "6", "statements": "1"},
    ]


def test_instruments_one_row_per_instrument_at_first_mention(store_dir: Path) -> None:
    rows = run_query("instruments", store=store_dir)
    assert rows.columns == ["instrument", "type", "date", "title", "issuer", "number", "doc", "para",
                            "documents", "mentions"]
    decree = "https://w3id.org/legalkg/id/instrument/decree/2007-03-19/h1"
    # named in doc_a (paragraph 12) and doc_b (paragraph 7): one row, at the first document
    assert [r for r in rows if r["instrument"] == decree] == [rows[0]]
    assert rows[0] == {"instrument": decree, "type": "decree", "date": "2007-03-19",
                       "title": "بشأن إنشاء الدائرة الحكومية للهجرة", "issuer": "رئيس الجمهورية",
                       "number": "560", "doc": "doc_a", "para": "12", "documents": "2",
                       "mentions": "2"}
    assert len(rows) == len({r["instrument"] for r in rows}) == 7  # 9 rows before: two in both


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_every_query_runs_and_returns_rows(store_dir: Path, name: str) -> None:
    query = get_query(name)
    rows = run_query(name, {p.name: p.example for p in query.params}, store=store_dir)
    assert rows, name
    assert all(set(r) == set(rows.columns) for r in rows)
    assert all(isinstance(v, str) for r in rows for v in r.values())


def test_institution_history_by_label_or_iri(store_dir: Path) -> None:
    by_label = run_query("institution_history", {"institution": "وكالة الخدمات العامة"},
                         store=store_dir)
    by_iri = run_query("institution_history",
                       {"institution": "https://w3id.org/legalkg/id/institution/agency"},
                       store=store_dir)
    assert by_label == by_iri
    assert [(r["date"], r["change"], r["other"]) for r in by_label] == [
        ("", "subordinate_to", "الدائرة الحكومية للهجرة"),
        ("2012-07-13", "replaces", "اللجنة المعنية بالخدمات"),
        ("2016-02", "renamed_from", "الوكالة الحكومية للخدمات"),
    ]
    assert "institution" not in by_label.columns


def test_successions_and_treaties(store_dir: Path) -> None:
    chain = run_query("successions", store=store_dir)
    assert [(r["change"], r["original"], r["resulting"]) for r in chain] == [
        ("abolition", "اللجنة المعنية بالخدمات", ""),
        ("replacement", "اللجنة المعنية بالخدمات", "وكالة الخدمات العامة"),
        ("renaming", "الوكالة الحكومية للخدمات", "وكالة الخدمات العامة"),
    ]
    [treaty] = run_query("treaties", store=store_dir)
    assert (treaty["treaty"], treaty["action"], treaty["date"], treaty["legal_basis_date"]) == (
        "اتفاقية حقوق الطفل", "ratification", "1992-07-21", "1992-07-21")


def test_issued_by_accepts_the_english_label(store_dir: Path) -> None:
    rows = run_query("issued_by", {"issuer": "President of the Republic"}, store=store_dir)
    assert [r["date"] for r in rows] == ["2007-03-19", "2012-07-13"]


def test_injection_is_just_a_string(store_dir: Path) -> None:
    for name, key in (("provenance", "node"), ("institution_history", "institution")):
        assert run_query(name, {key: INJECTION}, store=store_dir) == []
    with Store.open(store_dir, create=False) as store:
        assert store.count() == 447


def test_bind_values_substitutes_escaped_terms() -> None:
    text = bind_values(get_query("issued_by").sparql, {"issuer": INJECTION})
    assert '("x\\" } ; DROP ALL ; SELECT * { \\"" AS ?issuer)' in text
    assert 'STR(?name) = "x\\" } ; DROP ALL ; SELECT * { \\""' in text
    assert "# params: ?issuer" in text  # comments are left alone


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("nope", {}, "unknown query 'nope'; run `legalkg query --list`"),
        ("establishments", {"x": "1"},
         "unknown parameter 'x' for query 'establishments'; it takes no parameters"),
        ("provenance", {}, ("query 'provenance' needs a value for ?node; "
                           "pass --param node='الدائرة الحكومية للهجرة'")),
    ],
)
def test_query_errors(store_dir: Path, name: str, params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError) as exc:
        run_query(name, params, store=store_dir)
    assert str(exc.value) == message


def test_cli_json(store_dir: Path) -> None:
    result = runner.invoke(app, ["query", "establishments", "--store", str(store_dir),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["institution"] == "الدائرة الحكومية للهجرة"
    assert "\\u" not in result.stdout


def test_cli_csv_and_params(store_dir: Path) -> None:
    result = runner.invoke(app, ["query", "issued_by", "--store", str(store_dir), "-f", "csv",
                                 "--param", "issuer=رئيس الجمهورية"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "instrument,type,date,title,number"
    assert len(lines) == 3


def test_cli_table_and_list(store_dir: Path) -> None:
    result = runner.invoke(app, ["query", "documents", "--store", str(store_dir)])
    assert result.exit_code == 0 and "doc_a" in result.stdout
    listing = runner.invoke(app, ["query", "--list", "-f", "tsv"])
    names = [line.split("\t")[0] for line in listing.stdout.splitlines()[1:]]
    assert REQUIRED <= set(names) and not any(n.startswith("_") for n in names)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["query", "establishments", "--format", "xml"],
         "Error: unknown --format 'xml'; use one of table, csv, tsv, json"),
        (["query", "nope"], "Error: unknown query 'nope'; run `legalkg query --list`"),
        (["query", "provenance", "--param", "node"], "Error: --param expects KEY=VALUE, got 'node'"),
        (["query"], "Error: give a query NAME; run `legalkg query --list` to see them"),
    ],
)
def test_cli_errors(store_dir: Path, args: list[str], line: str) -> None:
    result = runner.invoke(app, [*args, "--store", str(store_dir)])
    assert result.exit_code == 2
    assert result.stderr.strip() == line


def test_cli_missing_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "establishments", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: no store at {tmp_path / 'none'}; run `legalkg build` first"


def test_headline_row_of_the_built_sample(built_sample: BuildSummary) -> None:
    """The State Migration Service, created by a presidential decree of 19 March 2007."""
    store = built_sample.store_path
    history = run_query("institution_history", {"institution": "الدائرة الحكومية للهجرة"},
                        store=store)
    [created] = [r for r in history
                 if r["change"] == "established" and r["instrument_date"] == "2007-03-19"]
    rows = run_query("establishments", store=store)
    [row] = [r for r in rows if (r["doc"], r["para"]) == (created["doc"], created["para"])
             and r["instrument_date"] == "2007-03-19"]
    assert (row["instrument_type"], row["issuer"]) == ("decree", "رئيس الجمهورية")
    assert "الهجرة" in row["institution"]
