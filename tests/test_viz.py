"""The interactive network page (kg.viz), checked in a real headless Chromium, and `legalkg viz`."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.image as mpimg
import networkx as nx
import pytest
from typer.testing import CliRunner

from cli import app
from kg.build import BuildSummary
from kg.network import filter_years, layout, load_network, select_view
from kg.store import Store
from kg.viz import page_data, render_html, script_json

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
MIGRATION = "الهجرة"  # the State Migration Service: «دائرة الهجرة الحكومية» in the sample


@pytest.fixture(scope="module")
def network(built_sample: BuildSummary) -> nx.MultiDiGraph:
    with Store.open(built_sample.store_path, create=False) as store:
        return load_network(store)


@pytest.fixture(scope="module")
def view(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return select_view(network, "core")


@pytest.fixture(scope="module")
def page(view: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "network.html"
    path.write_text(render_html(view), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def migration(view: nx.MultiDiGraph, built_sample: BuildSummary) -> str:
    """The label the store gives the State Migration Service (looked up, not assumed)."""
    from kg.queries import run_query

    names = sorted({r["institution"] for r in run_query("establishments",
                                                          store=built_sample.store_path)
                    if MIGRATION in r["institution"] and r["instrument_type"]})
    drawn = [n for n in names if any(d["label"] == n for _, d in view.nodes(data=True))]
    assert drawn, f"no established, drawn institution about migration among {names}"
    return drawn[0]


# --- the page as text -------------------------------------------------------------------------


def test_script_json_cannot_close_the_script() -> None:
    text = script_json({"a": "</script><script>alert(1)</script>", "b": "x\u2028y & z"})
    assert "</" not in text and "\u2028" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><script>alert(1)</script>", "b": "x\u2028y & z"}


def test_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    for pattern in (r"<script[^>]+src=", r"<link\b", r"@import", r"url\((?!#)", r"<img\b", r"<iframe"):
        assert not re.search(pattern, html, re.IGNORECASE), pattern
    for placeholder in ("{{TITLE}}", "{{CSS}}", "{{JS}}", "{{DATA}}"):
        assert placeholder not in html


def test_page_data_matches_the_graph(view: nx.MultiDiGraph) -> None:
    data = page_data(view)
    assert len(data["nodes"]) == view.number_of_nodes()
    assert len(data["edges"]) == view.number_of_edges()
    assert {r["code"] for r in data["relations"]} == {k for _, _, k in view.edges(keys=True)}
    established = next(r for r in data["relations"] if r["code"] == "established_by")
    assert established["en"] == "established by" and established["ar"]  # from the ontology


def test_page_is_byte_identical(view: nx.MultiDiGraph) -> None:
    assert render_html(view, layout(view)) == render_html(view, layout(view))


# --- in Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if not os.environ.get("CI"):
            pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); CI is unset")
        pytest.fail(f"CI is set but {CHROMIUM} is missing; install the Debian chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def tab(browser: Any, page: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    """The page opened with every non-file request aborted; yields (page, requests, errors)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    attempted: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            attempted.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto(page.as_uri())
    tab.wait_for_selector("html[data-ready=true]")
    yield tab, attempted, errors
    context.close()


@pytest.mark.server
def test_page_loads_offline_and_draws_every_node(
    tab: tuple[Any, list[str], list[str]], view: nx.MultiDiGraph
) -> None:
    t, attempted, errors = tab
    assert attempted == []
    assert errors == []
    assert t.locator("#net .node").count() == view.number_of_nodes()
    assert t.locator("#net .edge").count() == view.number_of_edges()
    assert t.locator("#net .node.hidden").count() == 0
    labels = t.locator("#net text.label:not(.hidden)")
    assert labels.count() >= 10
    assert labels.first.get_attribute("direction") == "rtl"
    assert labels.first.get_attribute("lang") == "ar"
    assert t.locator("#legend .item").count() >= 5


@pytest.mark.server
def test_search_and_click_show_the_provenance(
    tab: tuple[Any, list[str], list[str]], view: nx.MultiDiGraph, migration: str
) -> None:
    t, attempted, errors = tab
    t.fill("#search", migration)
    first = t.locator("#results li").first
    first.wait_for()
    assert first.locator("span[lang=ar]").inner_text() == migration
    first.dispatch_event("mousedown")
    assert t.locator("#panel-label").inner_text() == migration
    node = next(n for n, d in view.nodes(data=True) if d["label"] == migration)
    snippets = [e["text"] for e in view.nodes[node]["evidence"]] or [
        m["text"] for m in view.nodes[node]["mentions"]
    ]
    panel = t.locator("#panel-body").inner_text()
    assert any(" ".join(s.split())[:60] in " ".join(panel.split()) for s in snippets)
    assert re.search(r"¶ \d+", panel)
    assert t.locator("#net .node.selected").count() == 1
    # clicking the drawn node (not the search result) opens the same panel
    t.click("#zoom-fit")
    t.locator("#net").click(position={"x": 5, "y": 5})
    assert t.locator("#panel-body").is_hidden()
    t.locator(f'#net .node[data-id="{node}"]').click()
    assert t.locator("#panel-label").inner_text() == migration
    assert attempted == [] and errors == []


@pytest.mark.server
def test_year_filter_agrees_with_python(
    tab: tuple[Any, list[str], list[str]], view: nx.MultiDiGraph
) -> None:
    t, _, errors = tab
    t.fill("#year-from", "2010")
    t.fill("#year-to", "2019")
    t.wait_for_timeout(100)
    expected = filter_years(view, 2010, 2019)
    shown = t.locator("#net .node:not(.hidden)").count()
    assert shown == expected.number_of_nodes() < view.number_of_nodes()
    assert t.locator("#net .edge:not(.hidden)").count() == expected.number_of_edges()
    t.click("#year-reset")
    assert t.locator("#net .node:not(.hidden)").count() == view.number_of_nodes()
    assert errors == []


@pytest.mark.server
def test_screenshot_is_not_blank(tab: tuple[Any, list[str], list[str]]) -> None:
    t, _, _ = tab
    pixels = mpimg.imread(io.BytesIO(t.screenshot()), format="png")
    canvas = pixels[120:, :1000, :3]
    assert canvas.std() > 0.05
    assert (canvas.min(axis=2) < 0.5).mean() > 0.005  # some dark ink: text, nodes


# --- the command ------------------------------------------------------------------------------


def test_cli_writes_page_and_images(built_sample: BuildSummary, tmp_path: Path) -> None:
    out = tmp_path / "net.html"
    result = CliRunner().invoke(app, [
        "viz", "--store", str(built_sample.store_path), "--out", str(out),
        "--png", str(tmp_path / "net.png"), "--svg", str(tmp_path / "net.svg"),
        "--chart", str(tmp_path / "chart.png"), "--year-from", "2000",
    ])
    assert result.exit_code == 0, result.output
    for name in ("net.html", "net.png", "net.svg", "chart.png"):
        assert f"wrote {tmp_path / name}" in result.stdout
        assert (tmp_path / name).stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chart.png", "net.html", "net.png",
                                                          "net.svg"]
    html = out.read_text(encoding="utf-8")
    assert "Institution network · 2000–…" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--store", "{tmp}/none"], "Error: no store at {tmp}/none; run `legalkg build` first"),
        (["--scope", "every"], "Error: unknown --scope 'every'; use one of core, linked, all"),
        (["--year-from", "2020", "--year-to", "2000"],
         "Error: --year-from 2020 is after --year-to 2000; swap them"),
        (["--chart", "{tmp}/c.pdf"], "Error: --chart {tmp}/c.pdf must end in .png or .svg"),
    ],
    ids=["no-store", "bad-scope", "reversed-years", "chart-format"],
)
def test_cli_errors(
    built_sample: BuildSummary, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if "--store" not in args:
        args += ["--store", str(built_sample.store_path)]
    result = CliRunner().invoke(app, ["viz", "--out", str(tmp_path / "x.html"), *args])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == message.replace("{tmp}", str(tmp_path))
    assert not (tmp_path / "x.html").exists()


def test_cli_output_is_identical_across_processes(
    built_sample: BuildSummary, tmp_path: Path
) -> None:
    """Two runs with different string hashing give byte-identical HTML and SVG."""
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        subprocess.run(
            [sys.executable, "-c", "from cli import main; main()", "viz",
             "--store", str(built_sample.store_path), "--out", str(folder / "n.html"),
             "--svg", str(folder / "n.svg")],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parents[1],
        )
        outputs.append(((folder / "n.html").read_bytes(), (folder / "n.svg").read_bytes()))
    assert outputs[0] == outputs[1]


def test_cli_help() -> None:
    result = CliRunner().invoke(app, ["viz", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--store", "--year-from", "--year-to", "--png", "--svg", "--chart"):
        assert option in result.stdout
