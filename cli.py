"""legalkg command line: a thin layer over the ``kg`` library.

Every library error (:class:`kg.errors.KGError`) becomes one ``Error: ...`` line on stderr in
:func:`main`; exit codes: 0 ok, 1 graph does not conform (or a store/endpoint failed),
2 bad input or usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from kg.errors import KGError

try:  # typer >= 0.20 carries its own copy of click
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover
    from click import UsageError


class KGGroup(TyperGroup):
    """Turn library errors raised by any command into ``Error: ...`` and its exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            err.print(f"Error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except UsageError as exc:
            # one plain line instead of rich's boxed panel: «Error: No such option: --fromat»
            if type(exc).__name__ == "NoArgsIsHelpError":
                raise
            where = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            message = exc.format_message().rstrip(".")
            err.print(f"Error: {message}; see `{where} --help`", markup=False)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=KGGroup,
    name="legalkg",
    help="Turn Arabic legal and human-rights reports into a validated knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out = Console()
err = Console(stderr=True, highlight=False, soft_wrap=True)

OutDir = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]
StoreDir = Annotated[
    Path, typer.Option("--store", help="Embedded store directory (written by `legalkg build`).")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``Error: message`` on stderr and return the Exit to raise."""
    err.print(f"Error: {message}", markup=False)
    return typer.Exit(code)


@app.callback()
def _root() -> None:
    """Turn Arabic legal and human-rights reports into a validated knowledge graph.

    Start with `legalkg build` (reads the bundled sample reports), then `legalkg query establishments`.
    """


# --- commands are added below, one function each -------------------------------------------


@app.command()
def build(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files (.txt, .docx, .html) or directories. Default: the bundled sample."),
    ] = None,
    out_dir: OutDir = Path("out"),
    timestamp: Annotated[
        str | None,
        typer.Option(help="Record this ISO time as the extraction run's start (omitted by default "
                     "so that builds are byte-identical)."),
    ] = None,
    no_validate: Annotated[bool, typer.Option("--no-validate", help="Skip SHACL validation.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list paragraph-level notes.")
    ] = False,
    jobs: Annotated[
        int, typer.Option(min=1, help="Worker processes for extraction and validation.")
    ] = 1,
) -> None:
    """Extract instruments, institutions and relations into OUT/graph.ttl and OUT/store.

    Validates the graph with the SHACL shapes; exits 1 when it does not conform.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from kg.build import build as run_build
    from kg.resources import corpus_dir

    inputs = paths or [corpus_dir()]
    with Progress(
        TextColumn("[bold]extracting"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err, disable=quiet, transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def progress(name: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=name)

        summary = run_build(inputs, out_dir, progress=progress, timestamp=timestamp,
                            validate=not no_validate, jobs=jobs)
    notes = 0
    for d in summary.diagnostics:
        where = f" ({d.doc_id}" + (f" ¶{d.para}" if d.para else "") + ")" if d.doc_id else ""
        # warnings and document-level notes (skipped files, encodings) are always shown;
        # paragraph-level notes (an article with no instrument …) only with --verbose
        if d.level == "info" and d.para and not verbose:
            notes += 1
            continue
        if d.level != "info" or not quiet:
            err.print(f"{d.level}: {d.message}{where}", markup=False, highlight=False)
    if notes and not quiet:
        err.print(f"info: {notes} paragraph notes not shown (see --verbose)", markup=False)
    if not quiet:
        table = Table(title="legalkg build", show_header=False)
        table.add_row("documents", str(summary.documents))
        table.add_row("paragraphs", str(summary.paragraphs))
        for kind, n in sorted(summary.facts.items()):
            table.add_row(kind, str(n))
        table.add_row("triples", str(summary.triples))
        if summary.conforms is not None:
            verdict = "conforms" if summary.conforms else "does NOT conform"
            table.add_row("SHACL", f"{verdict} ({summary.violations} violations, "
                                   f"{summary.warnings} warnings; see {summary.out_dir}/validation.txt)")
        table.add_row("graph", str(summary.graph_path))
        table.add_row("store", str(summary.store_path))
        table.add_row("time", f"{summary.seconds:.1f} s")
        out.print(table)
    if summary.conforms is False:
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the legalkg version."""
    from kg import __version__

    out.print(__version__)



QUERY_FORMATS = ("table", "csv", "tsv", "json")


def _parse_params(pairs: list[str]) -> dict[str, str]:
    """Turn ``KEY=VALUE`` strings into a dict (the value may contain ``=``)."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"--param expects KEY=VALUE, got {pair!r}")
        params[key.strip()] = value
    return params


def _print_rows(rows: list[dict[str, str]], columns: list[str], fmt: str) -> None:
    """Print query rows as a rich table, CSV, TSV or a JSON array of objects."""
    import csv
    import json

    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(sys.stdout, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)
    else:
        from rich.table import Table

        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*(row.get(c, "") for c in columns))
        out.print(table)
        out.print(f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim")


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="Query name (see --list) or a .rq file.")] = None,
    store: StoreDir = Path("out/store"),
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="Bind a parameter: KEY=VALUE (repeatable)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Output: table, csv, tsv or json.")
    ] = "table",
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Run on this SPARQL query URL instead.")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    allow_service: Annotated[
        bool, typer.Option("--allow-service",
                           help="Let a query file call other endpoints with SERVICE (refused "
                           "by default: a query should not make legalkg fetch URLs).")
    ] = False,
) -> None:
    """Run a named SPARQL query on the store (or a remote endpoint) and print the rows."""
    from kg.queries import list_queries, run_query

    if fmt not in QUERY_FORMATS:
        raise fail(f"unknown --format {fmt!r}; use one of {', '.join(QUERY_FORMATS)}")
    if list_:
        rows = [
            {
                "name": q.name,
                "title": q.title,
                "params": ", ".join(
                    f"{p.name}={p.example}" if p.example else p.name for p in q.params
                ),
                "description": q.description,
            }
            for q in list_queries()
        ]
        _print_rows(rows, ["name", "title", "params", "description"], fmt)
        return
    if name is None:
        raise fail("give a query NAME; run `legalkg query --list` to see them")
    params = _parse_params(param or [])
    if endpoint is not None:
        rows = run_query(name, params, endpoint=endpoint, allow_service=allow_service)
    else:
        rows = run_query(name, params, store=store, allow_service=allow_service)
    _print_rows(rows, rows.columns, fmt)


@app.command("eval")
def eval_(
    annotations: Annotated[
        list[Path] | None,
        typer.Argument(help="Annotation .jsonl files or directories. Default: tests/data/annotations."),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Evaluate this built store instead of building the annotated "
                     "documents afresh."),
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="Where the annotated documents are. Default: bundled sample.")
    ] = None,
    split: Annotated[str, typer.Option(help="dev, heldout or all.")] = "all",
    errors: Annotated[int, typer.Option(help="List at most this many misses and extras.")] = 40,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Score extraction against hand annotations: precision, recall and F1 per type."""
    import json

    from rich.table import Table

    from kg.evaluate import evaluate_corpus, load_annotations
    from kg.resources import corpus_dir, root

    if split not in ("dev", "heldout", "all"):
        raise fail(f"unknown --split {split!r}; use dev, heldout or all")
    if fmt not in ("text", "json"):
        raise fail(f"unknown --format {fmt!r}; use text or json")
    paths = annotations or [root() / "tests" / "data" / "annotations"]
    rows = load_annotations(paths, split)
    result = evaluate_corpus(rows, corpus or corpus_dir(), store)
    if fmt == "json":
        out.print_json(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    table = Table(title=f"legalkg eval — {result.paragraphs} paragraphs ({split})")
    for col in ("row", "gold", "found", "tp", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "row" else "right")
    for name, s in sorted(result.scores.items(), key=lambda kv: (kv[0].startswith("type:"), kv[0])):
        table.add_row(name, str(s.tp + s.fn), str(s.tp + s.fp), str(s.tp),
                      f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}")
    out.print(table)
    for e in result.errors[:errors]:
        out.print(f"{e.kind:5}  {e.row:24}  {e.doc} ¶{e.para}  {e.what}", markup=False)
    if len(result.errors) > errors:
        out.print(f"… {len(result.errors) - errors} more (use --errors N)")


def _write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to a temporary file next to *path*, then rename it over *path*."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise fail(f"cannot write {path} ({exc}); choose another path") from None


VIZ_SCOPES = ("core", "linked", "all")


@app.command()
def viz(
    out_file: Annotated[
        Path, typer.Option("--out", "-o", help="The interactive page to write (.html).")
    ] = Path("out/network.html"),
    store: StoreDir = Path("out/store"),
    year_from: Annotated[
        int | None, typer.Option("--year-from", help="Leave out nodes dated before this year.")
    ] = None,
    year_to: Annotated[
        int | None, typer.Option("--year-to", help="Leave out nodes dated after this year.")
    ] = None,
    png: Annotated[Path | None, typer.Option(help="Also draw the network as a PNG.")] = None,
    svg: Annotated[Path | None, typer.Option(help="Also draw the network as an SVG.")] = None,
    chart: Annotated[
        Path | None,
        typer.Option(help="Also draw instruments per year by type (.png or .svg)."),
    ] = None,
    scope: Annotated[
        str,
        typer.Option(help="core: institutions and instruments linked by establishment, "
                     "subordination and other structural lines, plus their issuers; "
                     "linked: every node with a line; all: every node."),
    ] = "core",
) -> None:
    """Draw the institution network as one offline HTML page (and optionally PNG, SVG, chart).

    Undated nodes stay when something they are linked to stays; the chart counts every
    instrument in the year range, drawn or not.
    """
    from kg.figures import render_network_image, render_year_chart
    from kg.network import filter_years, layout, load_network, select_view
    from kg.store import Store
    from kg.viz import render_html

    if scope not in VIZ_SCOPES:
        raise fail(f"unknown --scope {scope!r}; use one of {', '.join(VIZ_SCOPES)}")
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise fail(f"--chart {chart} must end in .png or .svg")
    with Store.open(store, create=False) as opened:
        full = load_network(opened)
    dated = filter_years(full, year_from, year_to)
    view = select_view(dated, scope)
    positions = layout(view)
    title = "Institution network"
    if year_from is not None or year_to is not None:
        title += f" · {year_from if year_from is not None else '…'}–"
        title += f"{year_to if year_to is not None else '…'}"
    written = [out_file]
    _write_atomic(out_file, render_html(view, positions, title=title,
                                        year_from=year_from, year_to=year_to).encode("utf-8"))
    if png is not None:
        _write_atomic(png, render_network_image(view, "png", positions, title=title))
        written.append(png)
    if svg is not None:
        _write_atomic(svg, render_network_image(view, "svg", positions, title=title))
        written.append(svg)
    if chart is not None:
        _write_atomic(chart, render_year_chart(dated, chart.suffix.lower().lstrip(".")))
        written.append(chart)
    err.print(f"{view.number_of_nodes()} nodes, {view.number_of_edges()} lines "
              f"(scope {scope}, of {full.number_of_nodes()} nodes in the store)", markup=False)
    for path in written:
        out.print(f"wrote {path}", markup=False, highlight=False)


@app.command()
def stats(
    store: StoreDir = Path("out/store"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    top: Annotated[int, typer.Option(help="How many entries per ranking.", min=1)] = 10,
) -> None:
    """Print network facts: biggest parents, most active issuers, components, instruments per year."""
    from kg.network import load_network
    from kg.stats import format_text, network_stats, to_json
    from kg.store import Store

    if fmt not in ("text", "json"):
        raise fail(f"unknown --format {fmt!r}; use text or json")
    with Store.open(store, create=False) as opened:
        graph = load_network(opened)
    result = network_stats(graph, top=top)
    sys.stdout.write(to_json(result) if fmt == "json" else format_text(result))


@app.command()
def bench(
    docs: Annotated[
        int | None,
        typer.Option("--docs", min=1, help="Build a corpus of N documents by replicating the sample "
                     "reports under distinct ids (in a temporary directory)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_validate: Annotated[
        bool, typer.Option("--no-validate", help="Skip SHACL validation in the corpus build.")
    ] = False,
    repeats: Annotated[int, typer.Option(min=1, help="Timed passes per rate and query.")] = 5,
    jobs: Annotated[
        int, typer.Option(min=1, help="Worker processes for the corpus build (extraction, SHACL).")
    ] = 1,
    query_timeout: Annotated[
        float, typer.Option(min=1, help="Seconds after which a query counts as timed out (null).")
    ] = 60.0,
) -> None:
    """Measure tokenizer and extraction words/s, SHACL, store load, query latency and peak memory."""
    import json

    from rich.table import Table

    from kg.bench import run_bench

    def progress(name: str, done: int, total: int) -> None:
        if not as_json and name and (done % 50 == 0):
            err.print(f"building {done}/{total}", markup=False)

    report = run_bench(docs, validate=not no_validate, repeats=repeats, jobs=jobs,
                       query_timeout=query_timeout, progress=progress)
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    table = Table(title="legalkg bench", show_header=False)
    for key, value in report.items():
        if key == "query_ms":
            for name, ms in value.items():
                table.add_row(f"query {name} (ms)", str(ms))
        else:
            table.add_row(key, str(value))
    out.print(table)


@app.command()
def validate(
    graph: Annotated[
        Path, typer.Argument(help="Graph file: .ttl, .nt, .nq, .trig, .jsonld or .rdf/.owl (RDF/XML).")
    ],
    fmt: Annotated[
        str, typer.Option("--format", help="Output: text (one line per result) or json.")
    ] = "text",
    engine: Annotated[
        str, typer.Option(help="fast (SPARQL on pyoxigraph) or pyshacl (the reference engine).")
    ] = "fast",
) -> None:
    """Check a graph against the legalkg SHACL shapes; exit 1 when it has violations."""
    import json

    from kg.validation import ENGINES, load_graph_file
    from kg.validation import validate as run_validate

    if fmt not in ("text", "json"):
        raise fail(f"unknown --format {fmt!r}; use text or json")
    if engine not in ENGINES:
        raise fail(f"unknown --engine {engine!r}; use {' or '.join(ENGINES)}")
    report = run_validate(load_graph_file(graph), engine=engine)
    if fmt == "json":
        payload = {"conforms": report.conforms, "counts": report.counts, "results": report.to_json()}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(report.text_lines()) + "\n")
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def train(
    annotations: Annotated[
        Path | None,
        typer.Option(help="Annotation .jsonl file or directory. Default: tests/data/annotations."),
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", "-o", help="Model directory. Default: models/ner.")
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="Where the annotated documents are. Default: bundled sample.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same model).")] = 0,
    epochs: Annotated[int, typer.Option(help="Passes over the training paragraphs.")] = 12,
    split: Annotated[
        str, typer.Option(help="dev (held-out paragraphs stay unseen) or all.")
    ] = "dev",
    limit: Annotated[
        int | None, typer.Option(help="Use at most this many paragraphs (quick runs).")
    ] = None,
    measure: Annotated[
        bool, typer.Option("--measure/--no-measure",
                           help="Score rules vs rules + model on dev and held-out afterwards.")
    ] = True,
) -> None:
    """Train the institution tagger (tok2vec + ner, CPU, from scratch) into models/ner.

    Gold spans come from the annotations, silver spans from the rules on unannotated paragraphs.
    """
    from rich.table import Table

    from kg.model import add_model, model_path
    from kg.nlp import make_nlp
    from kg.resources import corpus_dir, root
    from kg.train import ROWS
    from kg.train import measure as run_measure
    from kg.train import train as run_train

    if split not in ("dev", "all"):
        raise fail(f"unknown --split {split!r}; use dev or all")
    ann = annotations or root() / "tests" / "data" / "annotations"
    out_path = out_dir or model_path()
    err.print(f"training on {ann} (split {split}, seed {seed}, {epochs} epochs) …", markup=False)
    summary = run_train(ann, out_path, corpus or corpus_dir(), seed=seed, epochs=epochs,
                        split=split, limit=limit)
    s = summary.stats
    for where in s.unlocated:
        err.print(f"warning: annotated name not found in its paragraph, skipped: {where}",
                  markup=False)
    table = Table(title="legalkg train", show_header=False)
    for name, value in (
        ("gold paragraphs", s.gold_paragraphs), ("gold spans", s.gold_spans),
        ("silver paragraphs", s.silver_paragraphs), ("silver spans", s.silver_spans),
        ("held-out paragraphs left out", s.heldout_skipped),
        ("names not located", len(s.unlocated)), ("training F1 (seen data)", summary.train_f1),
        ("seconds", summary.seconds), ("size", f"{summary.size_bytes / 1e6:.1f} MB"),
        ("model", summary.out_dir),
    ):
        table.add_row(name, str(value))
    out.print(table)
    if not measure:
        return
    with_model = make_nlp()
    if "kg_model" not in with_model.pipe_names:
        add_model(with_model, enabled=True, path=out_path)
    without = make_nlp()
    if "kg_model" in without.pipe_names:
        without.remove_pipe("kg_model")
    results = run_measure(ann, corpus or corpus_dir(), {"rules": without, "rules + model": with_model})
    scores = Table(title="rules vs rules + model")
    for col in ("split", "pipeline", "inst. F1", "estab. strict F1", "estab. lenient F1",
                "inst. P", "inst. R"):
        scores.add_column(col, justify="left" if col in ("split", "pipeline") else "right")
    for sp in ("dev", "heldout"):
        for name, by in results.items():
            ev = by[sp]
            inst = ev.scores["institution"]
            scores.add_row(sp, name, *(f"{ev.scores[r].f1:.3f}" for r in ROWS),
                           f"{inst.precision:.3f}", f"{inst.recall:.3f}")
    out.print(scores)


@app.command()
def push(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="SPARQL 1.1 Update URL (Virtuoso: …/sparql-auth).")
    ],
    store: StoreDir = Path("out/store"),
    user: Annotated[
        str | None,
        typer.Option("--user", help="Account name; the password is read from LEGALKG_PASSWORD."),
    ] = None,
) -> None:
    """Replace each document's named graph on a remote SPARQL Update endpoint."""
    import os

    from kg.remote import push as push_store

    password = os.environ.get("LEGALKG_PASSWORD")
    if user is not None and password is None:
        raise fail("--user needs the password in the LEGALKG_PASSWORD environment variable")
    report = push_store(store, endpoint, user=user, password=password)
    out.print(
        f"pushed {report.triples} triples in {len(report.graphs)} graphs "
        f"({report.requests} requests)"
    )


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="ttl, nt, nq, trig, jsonld, graphml, gexf or csv."),
    ],
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="Output file (a folder for csv).")
    ],
    store: StoreDir = Path("out/store"),
) -> None:
    """Export the store as RDF, a GraphML/GEXF network or CSV files for neo4j-admin."""
    from kg.export import FORMATS
    from kg.export import export as export_store

    if fmt not in FORMATS:
        raise fail(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
    written = export_store(store, fmt, out_path)
    out.print(f"wrote {written}")


def main() -> None:
    """Entry point: run the app, turning library errors into one line and an exit code."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("Error: interrupted; earlier output is left as it was", markup=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
