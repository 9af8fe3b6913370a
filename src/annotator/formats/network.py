"""Discourse networks as GraphML (Gephi, visone, yEd, igraph, networkx) and edge lists.

``annotator export --format network -o claims.graphml`` is a preset of DNA's networks
(:mod:`annotator.core.network_preset`: the weights are those of
``annotator network PROJECT --variable1 actor`` and of ``... --type onemode
--aggregation congruence``) and writes four files side by side:

- ``claims.graphml``: the two-mode actor-issue network (node attribute ``type`` is
  ``actor`` or ``issue``; edges weighted by the number of claims, with the mean
  ``position``, the set of ``positions`` and the ``claim_ids``);
- ``claims-actors.graphml``: the one-mode actor network, weighted by DNA's congruence
  (with the ``issues`` the pair shares and each issue's part of the weight);
- ``claims-edges.csv`` and ``claims-actor-edges.csv``: the same edges as tables with
  Gephi's ``Source, Target, Type, Weight`` columns, for spreadsheets, R and pandas.

The definitions are in docs/analysis.md.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from annotator.core.analysis import JOIN
from annotator.core.network_preset import (
    ActorEdge,
    IssueEdge,
    Network,
    preset_networks,
    weight_text,
)
from annotator.formats.registry import Options, Report, exporter
from annotator.store.file.sidefiles import replacing_all
from annotator.store.project import Project
from annotator.store.queries.dna_queries import dna_statements
from annotator.store.queries.export_queries import inert

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{GRAPHML_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
# characters XML 1.0 cannot carry, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def shared_text(edge: ActorEdge) -> str:
    """``coal (2); wind (0.5)``: the issues two actors share and each one's part."""
    return JOIN.join(f"{issue} ({weight_text(part)})" for issue, part in edge.shared)


def weight_cell(weight: float) -> int | float:
    """A weight for a table: 2 rather than 2.0."""
    return int(weight) if float(weight).is_integer() else float(weight)


@dataclass(frozen=True)
class Key:
    id: str
    domain: str  # "node" or "edge"
    type: str  # GraphML attr.type: string, int, double, boolean
    value: Callable[[Any], Any]  # node or edge -> value, None when absent


NODE_KEYS = (
    Key("label", "node", "string", lambda n: n.label),
    Key("type", "node", "string", lambda n: n.kind),
    Key("actor_type", "node", "string", lambda n: n.actor_type if n.kind == "actor" else None),
    Key("claims", "node", "int", lambda n: n.claims),
)
ISSUE_EDGE_KEYS = (
    Key("weight", "edge", "double", lambda e: e.weight),
    Key("position", "edge", "double", lambda e: e.mean_position),
    Key("positions", "edge", "string", lambda e: JOIN.join(e.positions)),
    Key("claim_ids", "edge", "string", lambda e: " ".join(map(str, e.claim_ids))),
)
ACTOR_EDGE_KEYS = (
    Key("weight", "edge", "double", lambda e: e.weight),
    Key("issues", "edge", "string", lambda e: JOIN.join(e.issues)),
    Key("shared", "edge", "string", shared_text),
)


def xml_text(value: str) -> str:
    """*value* with the characters XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _format(value: Any, kind: str) -> str:
    if kind == "double":
        return repr(float(value))
    if kind == "int":
        return str(int(value))
    return xml_text(str(value))


def graphml(network: Network, edge_keys: Sequence[Key], graph_id: str) -> ET.ElementTree:
    """The GraphML document of *network* with every attribute declared as a key."""
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml", {f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION})
    for key in (*NODE_KEYS, *edge_keys):
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": key.id, "for": key.domain, "attr.name": key.id, "attr.type": key.type},
        )
    graph = ET.SubElement(
        root, f"{{{GRAPHML_NS}}}graph", {"id": graph_id, "edgedefault": "undirected"}
    )

    def data(parent: ET.Element, keys: Sequence[Key], thing: Any) -> None:
        for key in keys:
            value = key.value(thing)
            if value is not None:
                element = ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key.id})
                element.text = _format(value, key.type)

    for node in network.nodes:
        data(
            ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": xml_text(node.id)}),
            NODE_KEYS,
            node,
        )
    for n, edge in enumerate(network.edges):
        element = ET.SubElement(
            graph,
            f"{{{GRAPHML_NS}}}edge",
            {"id": f"e{n}", "source": xml_text(edge.source), "target": xml_text(edge.target)},
        )
        data(element, edge_keys, edge)
    ET.indent(root)
    return ET.ElementTree(root)


def issue_edge_rows(network: Network) -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["Source", "Target", "Type", "Weight", "position", "positions", "claim_ids"]
    ]
    for edge in network.edges:
        assert isinstance(edge, IssueEdge)
        mean = "" if edge.mean_position is None else repr(edge.mean_position)
        rows.append(
            [
                edge.actor,
                edge.issue,
                "Undirected",
                weight_cell(edge.weight),
                mean,
                JOIN.join(edge.positions),
                " ".join(map(str, edge.claim_ids)),
            ]
        )
    return rows


def actor_edge_rows(network: Network) -> list[list[Any]]:
    rows: list[list[Any]] = [["Source", "Target", "Type", "Weight", "issues", "shared"]]
    for edge in network.edges:
        assert isinstance(edge, ActorEdge)
        rows.append(
            [
                edge.actor1,
                edge.actor2,
                "Undirected",
                weight_cell(edge.weight),
                JOIN.join(edge.issues),
                shared_text(edge),
            ]
        )
    return rows


def _write_csv(rows: list[list[Any]], out: TextIO, raw: bool) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([c if raw or not isinstance(c, str) else inert(c) for c in row])


def network_paths(target: Path) -> tuple[Path, Path, Path, Path]:
    """Where ``-o target`` puts the two-mode and one-mode GraphML and the two edge lists."""
    if target.is_dir():
        target = target / "network.graphml"
    stem, folder = target.stem, target.parent
    return (
        target,
        folder / f"{stem}-actors.graphml",
        folder / f"{stem}-edges.csv",
        folder / f"{stem}-actor-edges.csv",
    )


@exporter(
    "network",
    ".graphml",
    "Discourse networks: actor-issue and actor-actor GraphML, plus edge lists (CSV)",
)
def export_network(project: Project, target: Path | TextIO, options: Options) -> Report:
    assert isinstance(target, Path)  # the registry refuses a stream for this format
    preset = preset_networks(dna_statements(project))
    two_mode, one_mode = preset.two_mode, preset.one_mode
    paths = network_paths(target)
    with replacing_all(paths) as parts:
        graphml(two_mode, ISSUE_EDGE_KEYS, "actor-issue").write(
            parts[0], encoding="utf-8", xml_declaration=True
        )
        graphml(one_mode, ACTOR_EDGE_KEYS, "actors").write(
            parts[1], encoding="utf-8", xml_declaration=True
        )
        for part, rows in (
            (parts[2], issue_edge_rows(two_mode)),
            (parts[3], actor_edge_rows(one_mode)),
        ):
            with part.open("w", encoding="utf-8-sig", newline="") as fh:
                _write_csv(rows, fh, options.raw)
    report = Report(annotations=preset.used)
    if preset.used < preset.claims:  # the networks are of claimants and issues
        report.dropped["claim without an issue or a claimant"] = preset.claims - preset.used
    options.tick(1, 1)
    return report
