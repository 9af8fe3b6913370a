"""Network matrices written as DNA writes them: CSV (``;``, names first row and column),
UCINET DL full matrix, and GraphML with visone's keys. Several matrices (time windows)
go to numbered files beside the target, as DNA names them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from annotator.core.dna_network import Matrix
from annotator.core.errors import InputError
from annotator.store.export_queries import inert
from annotator.store.sidefiles import replacing_all

MATRIX_EXTENSIONS = (".csv", ".dl", ".graphml")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
VISONE_NS = "http://visone.info/xmlns"


def _number(m: Matrix, value: float) -> str:
    return str(int(value)) if m.integer else f"{value:.6f}"


def matrix_csv(m: Matrix) -> str:
    def name(n: str) -> str:
        return '"' + inert(n).replace('"', "'") + '"'

    lines = [";".join(['""', *map(name, m.columns)])]
    for row, values in zip(m.rows, m.values, strict=True):
        lines.append(";".join([name(row), *(_number(m, v) for v in values)]))
    return "\n".join(lines)


def matrix_dl(m: Matrix, one_mode: bool) -> str:
    def name(n: str) -> str:
        return '"' + n.replace('"', "").replace("'", "") + '"'

    size = f"n = {len(m.rows)}" if one_mode else f"nr = {len(m.rows)}, nc = {len(m.columns)}"
    lines = [f"dl {size}, format = fullmatrix", "labels:" if one_mode else "row labels:"]
    lines += [name(r) for r in m.rows]
    if not one_mode:
        lines += ["col labels:", *(name(c) for c in m.columns)]
    lines.append("data:")
    lines += ["".join(" " + _number(m, v) for v in values) for values in m.values]
    return "\n".join(lines)


def matrix_graphml(m: Matrix, one_mode: bool, variable1: str, variable2: str) -> str:
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("visone", VISONE_NS)
    g = f"{{{GRAPHML_NS}}}"
    root = ET.Element(f"{g}graphml")
    for key, domain, name, kind in (
        ("id", "node", "id", "string"),
        ("name", "node", "name", "string"),
        ("type", "node", "type", "string"),
        ("weight", "edge", "weight", "double"),
    ):
        ET.SubElement(
            root, f"{g}key", {"id": key, "for": domain, "attr.name": name, "attr.type": kind}
        )
    graph = ET.SubElement(root, f"{g}graph", {"edgedefault": "undirected", "id": "DNA"})
    ids: dict[tuple[int, str], str] = {}
    nodes = [(0, n, variable1) for n in m.rows]
    if not one_mode:
        nodes += [(1, n, variable2) for n in m.columns]
    for k, (mode, n, kind) in enumerate(nodes, 1):
        ids[(mode, n)] = f"n{k}"
        node = ET.SubElement(graph, f"{g}node", {"id": f"n{k}"})
        for key, text in (("id", str(k)), ("name", n), ("type", kind)):
            ET.SubElement(node, f"{g}data", {"key": key}).text = text
    for i, j in zip(*np.nonzero(m.values), strict=True):
        if one_mode and j <= i:
            continue
        row, col, value = m.rows[i], m.columns[j], m.values[i, j]
        edge = ET.SubElement(
            graph,
            f"{g}edge",
            {"source": ids[(0, row)], "target": ids[(0 if one_mode else 1, col)]},
        )
        ET.SubElement(edge, f"{g}data", {"key": "weight"}).text = repr(float(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def matrix_paths(target: Path, matrices: Sequence[Matrix]) -> list[Path]:
    """*target*, or DNA's numbered names ``stem 01 2024-03-01 00:00:00.ext`` for several."""
    if len(matrices) <= 1:
        return [target]
    width = len(str(len(matrices)))
    out = []
    for k, m in enumerate(matrices, 1):
        when = m.time.strftime("%Y-%m-%d %H:%M:%S") if m.time else ""
        out.append(target.with_name(f"{target.stem} {k:0{width}d} {when}{target.suffix}"))
    return out


def write_matrices(
    target: Path, matrices: Sequence[Matrix], one_mode: bool, variable1: str, variable2: str
) -> list[Path]:
    """Write *matrices* by *target*'s extension; returns the paths written."""
    ext = target.suffix.lower()
    if ext not in MATRIX_EXTENSIONS:
        raise InputError(f"{target.name}: a network file ends in {', '.join(MATRIX_EXTENSIONS)}")
    paths = matrix_paths(target, matrices)
    with replacing_all(paths) as parts:
        for part, m in zip(parts, matrices, strict=True):
            if ext == ".csv":
                text = matrix_csv(m)
            elif ext == ".dl":
                text = matrix_dl(m, one_mode)
            else:
                text = matrix_graphml(m, one_mode, variable1, variable2)
            part.write_text(text, encoding="utf-8")
    return paths
