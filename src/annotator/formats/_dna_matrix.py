"""Network matrices written as DNA writes them: CSV (``;``, names first row and column),
UCINET DL full matrix, and GraphML with visone's keys. Several matrices (time windows)
go to numbered files beside the target, as DNA names them."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from annotator.core.dna_network import Matrix
from annotator.core.errors import InputError
from annotator.formats.network import xml_text
from annotator.store.file.sidefiles import replacing_all
from annotator.store.queries.export_queries import inert

MATRIX_EXTENSIONS = (".csv", ".dl", ".graphml")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
VISONE_NS = "http://visone.info/xmlns"
Y_NS = "http://www.yworks.com/xml/graphml"


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


def matrix_graphml(
    m: Matrix, one_mode: bool, variable1: str, variable2: str, aggregation: str = "ignore"
) -> str:
    """GraphML as DNA writes it for visone: keys ``id``, ``name``, ``variable``,
    ``frequency`` (statements of the node) and ``weight``, visone's graphics (circles for
    the first mode, rounded boxes for the second; edges green for agreement, red for
    conflict, black otherwise), one-mode pairs once."""
    g, v, y = f"{{{GRAPHML_NS}}}", f"{{{VISONE_NS}}}", f"{{{Y_NS}}}"
    for prefix, ns in (("", GRAPHML_NS), ("visone", VISONE_NS), ("y", Y_NS)):
        ET.register_namespace(prefix, ns)
    root = ET.Element(f"{g}graphml")
    for attrs in (
        {"for": "node", "id": "d0", "yfiles.type": "nodegraphics"},
        {"for": "edge", "id": "e0", "yfiles.type": "edgegraphics"},
        {"for": "graph", "id": "prop", "visone.type": "properties"},
        {"id": "id", "for": "node", "attr.name": "id", "attr.type": "string"},
        {"id": "name", "for": "node", "attr.name": "name", "attr.type": "string"},
        {"id": "variable", "for": "node", "attr.name": "variable", "attr.type": "string"},
        {"id": "frequency", "for": "node", "attr.name": "frequency", "attr.type": "int"},
        {"id": "weight", "for": "edge", "attr.name": "weight", "attr.type": "double"},
    ):
        ET.SubElement(root, f"{g}key", attrs)
    nodes = [
        (0, n, variable1, c) for n, c in zip(m.rows, m.row_counts or [0] * len(m.rows), strict=True)
    ]
    if not one_mode:
        nodes += [
            (1, n, variable2, c)
            for n, c in zip(m.columns, m.column_counts or [0] * len(m.columns), strict=True)
        ]
    rows, cols = np.nonzero(m.values)
    pairs = [
        (i, j) for i, j in zip(rows.tolist(), cols.tolist(), strict=True) if not one_mode or i < j
    ]
    graph = ET.SubElement(root, f"{g}graph", {
        "edgedefault": "undirected", "id": "DNA", "parse.edges": str(len(pairs)),
        "parse.nodes": str(len(nodes)), "parse.order": "free",
    })  # fmt: skip
    prop = ET.SubElement(graph, f"{g}data", {"key": "prop"})
    ET.SubElement(prop, f"{v}labelAttribute", {"edgeLabel": "weight", "nodeLabel": "name"})
    ids: dict[tuple[int, str], str] = {}
    for k, (mode, name, variable, count) in enumerate(nodes, 1):
        ids[(mode, name)] = f"n{k}"
        node = ET.SubElement(graph, f"{g}node", {"id": f"n{k}"})
        for key, text in (("id", str(k)), ("name", name), ("variable", variable),
                          ("frequency", str(count))):  # fmt: skip
            ET.SubElement(node, f"{g}data", {"key": key}).text = xml_text(text)
        angle = 2 * math.pi * k / max(1, len(nodes))  # on a circle (DNA: at random)
        shape = ET.SubElement(ET.SubElement(ET.SubElement(node, f"{g}data", {"key": "d0"}),
                                            f"{v}shapeNode"), f"{y}ShapeNode")  # fmt: skip
        ET.SubElement(shape, f"{y}Geometry", {"height": "20.0", "width": "20.0",
                      "x": f"{400 + 380 * math.cos(angle):.1f}",
                      "y": f"{300 + 280 * math.sin(angle):.1f}"})  # fmt: skip
        fill = "#3399FF" if mode == 0 else "#FF9900"
        ET.SubElement(shape, f"{y}Fill", {"color": fill, "transparent": "false"})
        ET.SubElement(
            shape, f"{y}BorderStyle", {"color": "#000000", "type": "line", "width": "1.0"}
        )
        ET.SubElement(shape, f"{y}NodeLabel", {"alignment": "center", "modelName": "eight_pos",
                      "modelPosition": "n", "visible": "true"}).text = xml_text(name)  # fmt: skip
        ET.SubElement(shape, f"{y}Shape", {"type": "ellipse" if mode == 0 else "roundrectangle"})
    for i, j in pairs:
        value = float(m.values[i, j])
        edge = ET.SubElement(graph, f"{g}edge", {
            "source": ids[(0, m.rows[i])], "target": ids[(0 if one_mode else 1, m.columns[j])],
        })  # fmt: skip
        ET.SubElement(edge, f"{g}data", {"key": "weight"}).text = repr(value)
        line = ET.SubElement(ET.SubElement(ET.SubElement(edge, f"{g}data", {"key": "e0"}),
                                           f"{v}polyLineEdge"), f"{y}PolyLineEdge")  # fmt: skip
        ET.SubElement(line, f"{y}LineStyle", {"color": _edge_colour(aggregation, value),
                                              "type": "line", "width": "2.0"})  # fmt: skip
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _edge_colour(aggregation: str, value: float) -> str:
    if aggregation == "combine":
        return {1.0: "#00ff00", 2.0: "#ff0000", 3.0: "#0000ff"}.get(value, "#000000")
    if aggregation == "subtract":
        return "#ff0000" if value < 0 else "#00ff00"
    return {"conflict": "#ff0000", "congruence": "#00ff00"}.get(aggregation, "#000000")


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
    target: Path,
    matrices: Sequence[Matrix],
    one_mode: bool,
    variable1: str,
    variable2: str,
    aggregation: str = "ignore",
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
                text = matrix_graphml(m, one_mode, variable1, variable2, aggregation)
            part.write_text(text, encoding="utf-8")
    return paths
