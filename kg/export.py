"""Export the store: RDF serialisations, GraphML/GEXF networks, CSV for ``neo4j-admin import``.

Every export is written to a temporary path next to the target and renamed into place, and
its content is sorted so that the same store always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib

from .errors import InputError
from .queries import run_query
from .store import Store
from .vocab import PREFIXES

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "graphml", "gexf", "csv")



def export(store: Store | Path, fmt: str, out: Path) -> Path:
    """Write the store to *out* in *fmt* (one of :data:`FORMATS`); ``csv`` writes a folder."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if isinstance(store, Store):
        return _export(store, fmt, Path(out))
    with Store.open(Path(store), create=False) as opened:
        return _export(opened, fmt, Path(out))


def _export(store: Store, fmt: str, out: Path) -> Path:
    if fmt == "csv":
        nodes, edges = network_tables(store)
        with _atomic_dir(out) as tmp:
            _write_csv(tmp, nodes, edges)
        return out
    writers: dict[str, Callable[[Store], bytes]] = {
        "nq": _nquads, "nt": _ntriples, "ttl": _turtle, "trig": _trig, "jsonld": _jsonld,
        "graphml": _graphml, "gexf": _gexf,
    }
    data = writers[fmt](store)
    with _atomic_file(out) as tmp:
        tmp.write_bytes(data)
    return out


# --- RDF ------------------------------------------------------------------------------------


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted({line for line in data.decode("utf-8").splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _nquads(store: Store) -> bytes:
    return _sorted_lines(store.dump(ox.RdfFormat.N_QUADS))


def _union(store: Store) -> rdflib.Graph:
    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    graph.parse(data=_ntriples(store).decode("utf-8"), format="nt")
    return graph


def _ntriples(store: Store) -> bytes:
    """The union of all graphs as sorted, de-duplicated N-Triples."""
    quads = store.dump(ox.RdfFormat.N_QUADS).decode("utf-8")
    triples = ox.Store()
    triples.load(quads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    merged = ox.Store()
    merged.extend(ox.Quad(q.subject, q.predicate, q.object) for q in triples)
    return _sorted_lines(merged.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))


def _turtle(store: Store) -> bytes:
    return _union(store).serialize(format="turtle", encoding="utf-8")


def _trig(store: Store) -> bytes:
    """TriG with one block per named graph, graphs and triples in sorted order."""
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    blocks = [header]
    for name in store.graphs():
        graph = rdflib.Graph()
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True)
        text = store.dump(ox.RdfFormat.N_TRIPLES, graph=name).decode("utf-8")
        graph.parse(data=text, format="nt")
        body = graph.serialize(format="turtle")
        body = "\n".join(line for line in body.splitlines() if not line.startswith("@prefix"))
        blocks.append(f"\n<{name}> {{\n{body.strip()}\n}}\n")
    return "".join(blocks).encode("utf-8")


def _jsonld(store: Store) -> bytes:
    """Compact JSON-LD of the union graph: our prefixes as the context, nodes sorted by @id."""
    context = dict(sorted(PREFIXES.items()))
    text = _union(store).serialize(format="json-ld", context=context, auto_compact=True)
    doc = json.loads(text)
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        doc["@graph"] = sorted(doc["@graph"], key=lambda node: str(node.get("@id", "")))
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# --- networks -------------------------------------------------------------------------------


def network_tables(store: Store) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Return the institution–instrument network as (nodes, edges) rows, sorted."""
    nodes = list(run_query("_network_nodes", store=store))
    known = {n["node"] for n in nodes}
    edges = [e for e in run_query("_network_edges", store=store)
             if e["source"] in known and e["target"] in known]
    # One kind per node: an IRI typed both ways keeps the first kind in sorted order.
    unique: dict[str, dict[str, str]] = {}
    for row in nodes:
        unique.setdefault(row["node"], row)
    return [unique[k] for k in sorted(unique)], edges


def network(store: Store) -> nx.MultiDiGraph:
    """Return the institution–instrument network as a networkx MultiDiGraph."""
    nodes, edges = network_tables(store)
    import networkx as nx  # imported when needed: `legalkg --help` stays quick

    graph = nx.MultiDiGraph(name="legalkg institution–instrument network")
    for row in nodes:
        graph.add_node(row["node"], label=row["label"] or row["node"], kind=row["kind"],
                       type=row["type"], date=row["date"], iri=row["node"])
    for row in edges:
        graph.add_edge(row["source"], row["target"], key=row["relation"],
                       relation=row["relation"], label=row["relation"])
    return graph


def _graphml(store: Store) -> bytes:
    buffer = io.BytesIO()
    import networkx as nx

    nx.write_graphml(network(store), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def _gexf(store: Store) -> bytes:
    buffer = io.BytesIO()
    import networkx as nx

    nx.write_gexf(network(store), buffer, encoding="utf-8", prettyprint=True)
    # networkx stamps today's date; drop it so the same store gives the same bytes.
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue())


def _write_csv(folder: Path, nodes: list[dict[str, str]], edges: list[dict[str, str]]) -> None:
    """Write nodes.csv and relationships.csv with neo4j-admin import headers."""
    with (folder / "nodes.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["iri:ID", "label", "kind", "type", "date", ":LABEL"])
        for n in nodes:
            writer.writerow([n["node"], n["label"], n["kind"], n["type"], n["date"],
                             n["kind"].capitalize()])
    with (folder / "relationships.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([":START_ID", ":END_ID", ":TYPE"])
        for e in edges:
            writer.writerow([e["source"], e["target"], e["relation"].upper()])


# --- atomic writes --------------------------------------------------------------------------


@contextmanager
def _atomic_file(out: Path) -> Iterator[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.is_dir():
        raise InputError(f"{out} is a directory; give a file name for --out")
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def _atomic_dir(out: Path) -> Iterator[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file; `--format csv` writes a folder, give a folder name")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
