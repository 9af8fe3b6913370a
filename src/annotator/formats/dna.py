"""DNA 3.0 files (the Discourse Network Analyzer, ``.dna``) in and out.

Import: each document with its fields (author, source, section, type and the document's
coder as document variables, the date as the date variable ``date``, the notes as its
memo); each statement as an annotation by its coder. A ``DNA Statement`` is a claim:
its ``concept`` is the claim's ``issue``, its ``agreement`` the ``position`` (+1 / -1),
and its ``person`` and ``organization`` are actor annotations on the same span, linked
to canonical actors (actor type ``person``, or the entity's DNA ``Type`` when it is one
of ours, else ``organisation``) and tied to the claim as claimants. Every other
statement type is a label of its own name, each of its variables an attribute (short
and long text: text; integer: number; boolean: boolean). What our project has no place
for (colours, entity trees and attributes, coders' settings and password hashes,
coder relations, regexes) is kept in the project (meta ``dna``) and written back.

Export: claims, demands and allegations become ``DNA Statement``s (one per claimant
organization / person pair), so rDNA's defaults work; the addressees, objects and
accused of a claim go into a second statement type, ``Claim Target``, with short-text
variables of those names; every other label with annotations is a statement type of
its own. Coders' passwords are jasypt StrongPasswordEncryptor hashes of the export's
password (``annotator export --password``; empty by default), a coder read from a DNA
file keeps its own. Start and Stop are Java string indices: UTF-16 units.
"""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path
from typing import Any, TextIO

from annotator.core.codebook import AttributeDef, Codebook, Label, RelationType, default_codebook
from annotator.core.errors import FormatError
from annotator.core.offsets import OffsetMap
from annotator.core.text import TextBudget
from annotator.formats._codebook_growth import grow_codebook
from annotator.formats._dna_export import (
    ACTOR,
    CLAIM,
    CLAIMANT,
    DEFAULT_TYPE,
    DEFAULT_VARIABLES,
    EXTRAS,
    ISSUE,
    POSITION,
    UNITS,
    check_password,
    colour_of,
    encrypt_password,
    write_project,
)
from annotator.formats.registry import Options, Report, exporter, importer
from annotator.store.foreign.dna_file import DnaFile, is_dna, read_dna
from annotator.store.project import Project
from annotator.store.structure import ACTOR_TYPES

__all__ = ["check_password", "encrypt_password", "export_dna", "import_dna"]
_KINDS = {"short text": "text", "long text": "text", "integer": "number", "boolean": "boolean"}


# -- offsets: DNA's UTF-16 units over its text, our code points over the normalised text


class _Positions:
    """Java indices into DNA's text -> code points into the normalised text."""

    def __init__(self, raw: str) -> None:
        self.map = OffsetMap(raw)
        self.removed: list[int] = []  # code points of raw that normalising drops
        if raw.startswith("\ufeff"):
            self.removed.append(0)
        self.removed += [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]

    def __call__(self, u16: int) -> int:
        cp = self.map.to_codepoint(u16)
        return cp - bisect_left(self.removed, cp)


def _stamp(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _without(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


# -- import -----------------------------------------------------------------------------


@importer("dna", (".dna",), "DNA 3.0 file (Discourse Network Analyzer)", sniff=is_dna)
def import_dna(project: Project, path: Path, options: Options) -> Report:
    data = read_dna(path)
    try:
        return _import(project, path, data, options)
    except (ValueError, TypeError, KeyError, OverflowError) as exc:  # nothing was kept
        raise FormatError(f"{path.name}: a DNA record holds a bad value ({exc})") from None


def _import(project: Project, path: Path, data: DnaFile, options: Options) -> Report:
    budget = TextBudget(path.name)
    by_id = {t: {r["ID"]: r for r in data.rows(t)} for t in ("CODERS", "STATEMENTTYPES",
             "VARIABLES", "ENTITIES", "ATTRIBUTEVARIABLES")}  # fmt: skip
    coders = {i: str(r["Name"]) for i, r in by_id["CODERS"].items()}
    entities = by_id["ENTITIES"]
    values: dict[int, dict[int, Any]] = defaultdict(dict)  # statement -> variable -> value
    for table in ("DATABOOLEAN", "DATAINTEGER", "DATALONGTEXT"):
        for r in data.rows(table):
            values[r["StatementId"]][r["VariableId"]] = r["Value"]
    for r in data.rows("DATASHORTTEXT"):
        entity = entities.get(r["Entity"])
        values[r["StatementId"]][r["VariableId"]] = "" if entity is None else str(entity["Value"])
    report = Report(assumed=[UNITS])
    codebook, plan = _plan(project, data)
    with project.transaction():
        report.warnings.extend(grow_codebook(project, options, path.name, codebook))
        documents: dict[int, tuple[int, str, _Positions]] = {}
        date_rows: list[tuple[int, str, object]] = []
        for r in data.rows("DOCUMENTS"):
            raw = budget.take(str(r["Text"]))
            if not raw.strip():
                report.dropped["empty document"] += 1
                continue
            doc = project.add_document(raw, str(r["Title"]).strip() or f"Document {r['ID']}",
                                       source_name=path.name)  # fmt: skip
            documents[r["ID"]] = (doc.id, project.text(doc.id), _Positions(raw))
            report.documents += 1
            report.document_ids.append(doc.id)
            fields = {k.lower(): str(r[k] or "") for k in ("Author", "Source", "Section", "Type")}
            fields["coder"] = coders.get(r["Coder"], "")
            date_rows += [(doc.id, k, v) for k, v in fields.items() if v]
            date_rows.append((doc.id, "date", _stamp(int(r["Date"]))))
            if str(r["Notes"] or "").strip():
                project.set_document_info(doc.id, memo=str(r["Notes"]))
        types = {k: "text" for _d, k, _v in date_rows}
        types["date"] = "date"
        project.variables.set_many(date_rows, types)
        for n, s in enumerate(data.rows("STATEMENTS")):
            budget.tick()
            placed = documents.get(s["DocumentId"])
            kind = plan.get(s["StatementTypeId"])
            if placed is None or kind is None:
                report.dropped["statement without its document or type"] += 1
                continue
            doc_id, text, to_cp = placed
            start, end = to_cp(int(s["Start"])), to_cp(int(s["Stop"]))
            if not 0 <= start < end <= len(text):
                report.dropped["statement outside its document's text"] += 1
                report.details.append(
                    f"{path.name}: statement {s['ID']} at {s['Start']}-{s['Stop']}"
                )
                continue
            _store_statement(project, doc_id, start, end, coders.get(s["Coder"], ""), kind,
                             values.get(s["ID"], {}), report)  # fmt: skip
            options.tick(n + 1, len(data.rows("STATEMENTS")))
        _keep_extras(project, data, by_id, report)
    if data.rows("VARIABLELINKS"):
        report.dropped["variable link"] += len(data.rows("VARIABLELINKS"))
    return report


class _Kind:
    """How one statement type is stored: its label and variable id -> (attribute, DNA type)."""

    def __init__(self, label: str, default: bool) -> None:
        self.label = label
        self.default = default  # a DNA Statement: a claim with claimants
        self.attributes: dict[int, tuple[str, str, str]] = {}  # var id -> (key, variable, type)
        self.defaults: dict[int, str] = {}  # var id -> person, organization, concept, agreement


def _attribute(codebook: Codebook, key: str) -> AttributeDef | None:
    return next((a for a in codebook.attributes if a.key == key), None)


def _plan(project: Project, data: DnaFile) -> tuple[Codebook, dict[int, _Kind]]:
    current = project.codebook()
    base = default_codebook()
    labels: list[Label] = []
    attributes: dict[str, AttributeDef] = {}
    relations: list[RelationType] = []
    plan: dict[int, _Kind] = {}
    variables: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for v in data.rows("VARIABLES"):
        variables[v["StatementTypeId"]].append(v)

    def need_label(key: str, name: str, colour: str) -> None:
        if current.label(key) is None and all(lb.key != key for lb in labels):
            found = base.label(key)
            labels.append(found if found else Label(key, name[:64], colour))

    for t in data.rows("STATEMENTTYPES"):
        label = str(t["Label"])
        own = {str(v["Variable"]) for v in variables[t["ID"]]}
        default = (
            label == DEFAULT_TYPE and {"person", "organization", "concept", "agreement"} <= own
        )
        key = CLAIM if default else label.strip()[:64]
        kind = plan[t["ID"]] = _Kind(key, default)
        need_label(key, label, colour_of(t))
        if default:
            need_label(ACTOR, "Actor", "#56b4e9")
            for a in base.attributes:
                if a.key in (ISSUE, POSITION) and _attribute(current, a.key) is None:
                    attributes[a.key] = a
            for rel in base.relations:
                if rel.key == CLAIMANT and all(r.key != CLAIMANT for r in current.relations):
                    relations.append(rel)
        for v in variables[t["ID"]]:
            name, dtype = str(v["Variable"]), str(v["DataType"])
            if default and name in dict(DEFAULT_VARIABLES):
                kind.defaults[v["ID"]] = name
                continue
            attr = name.strip()[:64]
            have = _attribute(current, attr) or attributes.get(attr)
            if attr in (ISSUE, POSITION) or (have and have.labels and key not in have.labels):
                attr = f"{key} {attr}"[:64]
                have = _attribute(current, attr) or attributes.get(attr)
            if have is None or not have.labels or key in have.labels:
                kind_of = _KINDS.get(dtype, "text")
                attributes[attr] = AttributeDef(attr, name, kind_of, (key,))
            else:
                attributes[attr] = AttributeDef(attr, have.name, have.type, (*have.labels, key))
            kind.attributes[v["ID"]] = (attr, name, dtype)
    return Codebook("dna", tuple(labels), tuple(attributes.values()), tuple(relations)), plan


def _store_statement(
    project: Project,
    doc_id: int,
    start: int,
    end: int,
    coder: str,
    kind: _Kind,
    values: dict[int, Any],
    report: Report,
) -> None:
    [ann] = project.annotate_many(doc_id, [(start, end, kind.label, None, coder or None)])
    report.annotations += 1
    attrs: dict[str, str | None] = {}
    for var_id, value in values.items():
        if var_id in kind.attributes:
            key, _name, dtype = kind.attributes[var_id]
            if dtype == "boolean":
                attrs[key] = "true" if int(value) else "false"
            elif str(value) != "":
                attrs[key] = str(value)
    if kind.default:
        by_name = {kind.defaults[v]: value for v, value in values.items() if v in kind.defaults}
        if by_name.get("concept"):
            attrs[ISSUE] = by_name["concept"]
        if by_name.get("agreement") is not None:
            attrs[POSITION] = "+1" if int(by_name["agreement"]) else "-1"
        for variable in ("person", "organization"):
            name = by_name.get(variable) or ""
            if not name:
                continue
            [mention] = project.annotate_many(doc_id, [(start, end, ACTOR, None, coder or None)])
            actor_type = "person" if variable == "person" else "organisation"
            project.link_actor(mention.id, name, actor_type)
            project.relate(mention.id, ann.id, CLAIMANT)
            report.relations += 1
    if attrs:
        project.set_attributes(ann.id, attrs)


def _keep_extras(
    project: Project, data: DnaFile, by_id: dict[str, dict[int, dict[str, Any]]], report: Report
) -> None:
    """What only DNA has, kept in the project's meta ``dna`` to be written back."""
    extras = json.loads(project.setting(EXTRAS) or "{}")
    coders = {i: str(r["Name"]) for i, r in by_id["CODERS"].items()}
    variables = by_id["VARIABLES"]
    types = by_id["STATEMENTTYPES"]

    def where(var_id: int) -> str:
        v = variables[var_id]
        return f"{types[v['StatementTypeId']]['Label']}\x1f{v['Variable']}"

    extras["settings"] = {str(r["Property"]): str(r["Value"]) for r in data.rows("SETTINGS")}
    extras.setdefault("coders", {}).update(
        {str(r["Name"]): _without(r, "ID", "Name") for r in data.rows("CODERS")}
    )
    extras["coder_relations"] = [
        {**_without(r, "ID", "Coder", "OtherCoder"), "Coder": coders[r["Coder"]],
         "OtherCoder": coders[r["OtherCoder"]]}
        for r in data.rows("CODERRELATIONS") if r["Coder"] in coders and r["OtherCoder"] in coders
    ]  # fmt: skip
    extras["types"] = {
        str(t["Label"]): {**_without(t, "ID", "Label"), "variables": [
            [str(v["Variable"]), str(v["DataType"])] for v in data.rows("VARIABLES")
            if v["StatementTypeId"] == t["ID"]]}
        for t in data.rows("STATEMENTTYPES")
    }  # fmt: skip
    entities = by_id["ENTITIES"]
    attr_vars = by_id["ATTRIBUTEVARIABLES"]
    extras["attribute_variables"] = defaultdict(list)
    for a in data.rows("ATTRIBUTEVARIABLES"):
        if a["VariableId"] in variables:
            extras["attribute_variables"][where(a["VariableId"])].append(
                str(a["AttributeVariable"])
            )
    attribute_values: dict[int, dict[str, str]] = defaultdict(dict)
    for a in data.rows("ATTRIBUTEVALUES"):
        if a["AttributeVariableId"] in attr_vars:
            name = str(attr_vars[a["AttributeVariableId"]]["AttributeVariable"])
            attribute_values[a["EntityId"]][name] = str(a["AttributeValue"])
    kept: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in data.rows("ENTITIES"):
        if e["VariableId"] not in variables:
            continue
        parent = entities.get(e["ChildOf"]) if e["ChildOf"] else None
        kept[where(e["VariableId"])].append({
            **_without(e, "ID", "VariableId", "ChildOf"),
            "ChildOf": None if parent is None else str(parent["Value"]),
            "attributes": attribute_values.get(e["ID"], {}),
        })  # fmt: skip
        kind = attribute_values.get(e["ID"], {}).get("Type", "").strip().casefold()
        variable = str(variables[e["VariableId"]]["Variable"])
        if variable == "organization" and kind in ACTOR_TYPES:
            found = project.find_actor(str(e["Value"]))
            if found is not None:
                project.set_actor_type(found.id, kind)
    extras["entities"] = kept
    extras["regexes"] = [dict(r) for r in data.rows("REGEXES")]
    project.set_setting(EXTRAS, json.dumps(extras, ensure_ascii=False))
    if data.rows("REGEXES"):
        report.assumed.append(
            "DNA's regexes, colours, entity attributes and coders kept for export"
        )


@exporter("dna", ".dna", "DNA 3.0 file (Discourse Network Analyzer, rDNA)")
def export_dna(project: Project, target: Path | TextIO, options: Options) -> Report:
    if not isinstance(target, Path):
        raise FormatError("a DNA file is a database: write it to a file, not a stream")
    return write_project(project, target, options)
