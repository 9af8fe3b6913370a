"""The writing half of :mod:`annotator.formats.dna`: a project as a DNA 3.0 file (see
that module's docstring for the mapping), and jasypt's password hashes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

from annotator.core.analysis import CLAIM_LABELS, ROLE_NAMES, Claim, claim_labels
from annotator.core.offsets import OffsetMap
from annotator.formats.registry import Options, Report
from annotator.store.foreign.dna_file import DNA_DATE, DNA_VERSION, DnaFile, write_dna
from annotator.store.project import Project
from annotator.store.queries.analysis_queries import claims

DEFAULT_TYPE = "DNA Statement"
TARGET_TYPE = "Claim Target"
CLAIM, ACTOR, ISSUE, POSITION, CLAIMANT = "claim", "actor", "issue", "position", "claimant"
ENTITY_ATTRIBUTES = ("Type", "Alias", "Notes")
EXTRAS = "dna"  # the project's meta key of what only DNA has
UNITS = "DNA positions in UTF-16 units (Java string indices)"
DEFAULT_VARIABLES = (
    ("person", "short text"),
    ("organization", "short text"),
    ("concept", "short text"),
    ("agreement", "boolean"),
)


# -- jasypt's StrongPasswordEncryptor ---------------------------------------------------


def encrypt_password(password: str, salt: bytes | None = None) -> str:
    """Base64 of a 16-byte salt and SHA-256 applied 100,000 times, first over salt +
    password (NFC, UTF-8): what DNA stores in CODERS.Password."""
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.sha256(salt + unicodedata.normalize("NFC", password).encode()).digest()
    for _ in range(100_000 - 1):
        digest = hashlib.sha256(digest).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def check_password(password: str, stored: str) -> bool:
    raw = base64.b64decode(stored)
    return encrypt_password(password, raw[:16]) == stored


def colour_of(row: dict[str, Any]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(row.get(c) or 0) for c in ("Red", "Green", "Blue")))


def _rgb(colour: str) -> dict[str, int]:
    value = colour.lstrip("#")
    return {c: int(value[i : i + 2], 16) for c, i in (("Red", 0), ("Green", 2), ("Blue", 4))}


def _seconds(value: str | None) -> int | None:
    if not value:
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return int(t.timestamp())


class _Writer:
    """The rows of the DNA file, ids given in the order rows are added."""

    def __init__(self, extras: dict[str, Any]) -> None:
        self.data = DnaFile()
        self.extras = extras
        self.coder_ids: dict[str, int] = {}
        self.type_ids: dict[str, int] = {}
        self.variable_ids: dict[tuple[str, str], int] = {}
        self.variable_types: dict[int, str] = {}
        self.entity_ids: dict[tuple[int, str], int] = {}

    def add(self, table: str, row: dict[str, Any]) -> int:
        rows = self.data.rows(table)
        row = {"ID": len(rows) + 1, **row}
        rows.append(row)
        return int(row["ID"])

    def coder(self, name: str, password: str | None) -> int:
        if name not in self.coder_ids:
            kept = self.extras.get("coders", {}).get(name)
            row = dict(kept) if kept else {"Red": 255, "Green": 255, "Blue": 0}
            if password is not None or not kept:
                row["Password"] = encrypt_password(password or "")
            self.coder_ids[name] = self.add("CODERS", {"Name": name[:190], **row})
        return self.coder_ids[name]

    def statement_type(self, label: str, colour: dict[str, int], variables: list[list[str]]) -> int:
        if label not in self.type_ids:
            self.type_ids[label] = self.add("STATEMENTTYPES", {"Label": label, **colour})
            for name, dtype in variables:
                self.variable(label, name, dtype)
        return self.type_ids[label]

    def variable(self, label: str, name: str, dtype: str) -> int:
        key = (label, name)
        if key not in self.variable_ids:
            vid = self.add("VARIABLES", {"Variable": name, "DataType": dtype,
                                         "StatementTypeId": self.type_ids[label]})  # fmt: skip
            self.variable_ids[key] = vid
            self.variable_types[vid] = dtype
            attrs = self.extras.get("attribute_variables", {}).get(f"{label}\x1f{name}")
            if attrs is None:
                attrs = (
                    list(ENTITY_ATTRIBUTES)
                    if dtype == "short text" and label == DEFAULT_TYPE
                    else []
                )
            for attr in attrs:
                self.add("ATTRIBUTEVARIABLES", {"VariableId": vid, "AttributeVariable": attr})
        return self.variable_ids[key]

    def entity(self, vid: int, value: str, row: dict[str, Any] | None = None) -> int:
        key = (vid, value)
        if key not in self.entity_ids:
            colour = {c: (row or {}).get(c, 0) for c in ("Red", "Green", "Blue")}
            self.entity_ids[key] = self.add("ENTITIES", {"VariableId": vid, "Value": value,
                                                         **colour, "ChildOf": None})  # fmt: skip
        return self.entity_ids[key]

    def value(self, statement: int, vid: int, value: Any) -> None:
        dtype = self.variable_types[vid]
        if dtype == "short text":
            entity = self.entity(vid, str(value or "")[:190])
            self.add(
                "DATASHORTTEXT", {"StatementId": statement, "VariableId": vid, "Entity": entity}
            )
            return
        table = {"boolean": "DATABOOLEAN", "integer": "DATAINTEGER"}.get(dtype, "DATALONGTEXT")
        if table == "DATALONGTEXT":
            value = str(value or "")
        self.add(table, {"StatementId": statement, "VariableId": vid, "Value": value})


def _agreement(position: str) -> tuple[int, bool]:
    """DNA's agreement of a position, and whether the position said so (+1 or -1)."""
    value = position.strip()
    if value in ("-1", "-"):
        return 0, True
    return 1, value in ("+1", "1", "+")


def _extras(project: Project) -> dict[str, Any]:
    try:
        loaded = json.loads(project.setting(EXTRAS) or "{}")
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def write_project(project: Project, target: Path, options: Options) -> Report:
    """Write *project* as a DNA 3.0 file at *target*."""
    extras = _extras(project)
    password = options.password
    w = _Writer(extras)
    report = Report(assumed=[UNITS])
    settings = dict(extras.get("settings", {}))
    if not str(settings.get("version", "")).startswith("3.0"):
        settings.update(version=DNA_VERSION, date=DNA_DATE)
    for prop, value in settings.items():
        w.data.rows("SETTINGS").append({"Property": prop, "Value": value})
    for name in extras.get("coders", {}):
        w.coder(name, password)
    coders_wanted = options.coders
    annotations = [a for a in project.annotations()
                   if not coders_wanted or a.annotator in coders_wanted]  # fmt: skip
    for a in annotations:
        w.coder(a.annotator, password)
    if not w.coder_ids:
        w.coder(project.annotator, password)
    first_coder = next(iter(w.coder_ids.values()))
    for rel in extras.get("coder_relations", []):
        if rel["Coder"] in w.coder_ids and rel["OtherCoder"] in w.coder_ids:
            w.add("CODERRELATIONS", {**rel, "Coder": w.coder_ids[rel["Coder"]],
                                     "OtherCoder": w.coder_ids[rel["OtherCoder"]]})  # fmt: skip
    variables = project.variables.all()
    docs: dict[int, tuple[int, OffsetMap]] = {}
    for d in project.documents():
        v = variables.get(d.id, {})
        text = project.text(d.id)
        if len(d.title) > 190:
            report.dropped["title cut to DNA's 190 characters"] += 1
        date = _seconds(v.get("date")) or _seconds(d.imported_at) or 0
        coder = w.coder_ids.get(v.get("coder", ""), first_coder)
        memo = project.document_info(d.id).memo or ""
        docs[d.id] = (
            w.add("DOCUMENTS", {"Title": d.title[:190], "Text": text, "Coder": coder,
                                **{k.title(): v.get(k, "")[:190] for k in ("author", "source", "section")},
                                "Notes": memo, "Type": v.get("type", "")[:190], "Date": date}),
            OffsetMap(text),
        )  # fmt: skip
        report.documents += 1
    types = extras.get("types", {})
    default = types.get(DEFAULT_TYPE, {"Red": 239, "Green": 208, "Blue": 51})
    names = [list(p) for p in DEFAULT_VARIABLES]
    extra_default = [p for p in default.get("variables", []) if p[0] not in dict(DEFAULT_VARIABLES)]
    w.statement_type(DEFAULT_TYPE, _rgb(colour_of(default)), [*names, *extra_default])
    for label, t in types.items():  # the types read from DNA, in their order
        w.statement_type(label, _rgb(colour_of(t)), t.get("variables", []))
    _entities_from_extras(w)
    codebook = project.codebook()
    claim_keys = set(claim_labels(codebook)) | set(CLAIM_LABELS)
    by_id = {a.id: a for a in annotations}
    neutral = 0
    for claim in claims(project):
        ann = by_id.get(claim.item.id)
        if ann is None:
            continue
        doc_id, offsets = docs[ann.document_id]
        start, stop = offsets.to_utf16(ann.start), offsets.to_utf16(ann.end)
        coder = w.coder_ids[ann.annotator]
        persons = [a.name for a in claim.claimant if a.type == "person"]
        orgs = [a.name for a in claim.claimant if a.type != "person"]
        agreement, said = _agreement(claim.position)
        neutral += not said
        for k in range(max(1, len(persons), len(orgs))):
            sid = w.add("STATEMENTS", {"StatementTypeId": w.type_ids[DEFAULT_TYPE],
                                       "DocumentId": doc_id, "Start": start, "Stop": stop,
                                       "Coder": coder})  # fmt: skip
            report.annotations += 1
            row = {"person": persons[k] if k < len(persons) else "",
                   "organization": orgs[k] if k < len(orgs) else "",
                   "concept": claim.issue, "agreement": agreement}  # fmt: skip
            for name, _dtype in names:
                w.value(sid, w.variable_ids[(DEFAULT_TYPE, name)], row[name])
            for name, _dtype in extra_default:
                key = name if name not in (ISSUE, POSITION) else f"{CLAIM} {name}"
                w.value(sid, w.variable_ids[(DEFAULT_TYPE, name)], claim.attributes.get(key, ""))
        _targets(w, claim, doc_id, start, stop, coder, report)
    if neutral:
        report.assumed.append(f"{neutral} claims with a neutral or no position written as agreeing")
    done = {c.item.id for c in claims(project)}
    _other_labels(project, w, annotations, done, claim_keys, docs, report)
    _entity_attributes(project, w)
    for r in extras.get("regexes", []):
        w.data.rows("REGEXES").append(dict(r))
    notes = sum(1 for a in annotations if a.note)
    if notes:
        report.dropped["annotation note"] += notes
    write_dna(target, w.data)
    options.tick(1, 1)
    return report


def _targets(w: _Writer, claim: Claim, doc_id: int, start: int, stop: int, coder: int,
             report: Report) -> None:  # fmt: skip
    """The addressees, objects and accused of *claim* as one Claim Target statement."""
    roles = {r: "; ".join(a.name for a in claim.role(r)) for r in ROLE_NAMES if r != CLAIMANT}
    if not any(roles.values()):
        return
    w.statement_type(TARGET_TYPE, {"Red": 86, "Green": 180, "Blue": 233},
                     [[r, "short text"] for r in roles])  # fmt: skip
    sid = w.add("STATEMENTS", {"StatementTypeId": w.type_ids[TARGET_TYPE], "DocumentId": doc_id,
                               "Start": start, "Stop": stop, "Coder": coder})  # fmt: skip
    report.annotations += 1
    for role, names in roles.items():
        w.value(sid, w.variable(TARGET_TYPE, role, "short text"), names)


def _other_labels(
    project: Project,
    w: _Writer,
    annotations: list[Any],
    done: set[int],
    claim_keys: set[str],
    docs: dict[int, tuple[int, OffsetMap]],
    report: Report,
) -> None:
    codebook = project.codebook()
    attributes = project.all_attributes()
    claimants = {r.from_id for r in project.relations() if r.type == CLAIMANT}
    actors = 0
    for ann in annotations:
        if ann.id in done:
            continue
        if ann.label == ACTOR:
            actors += ann.id not in claimants
            continue
        if ann.label in claim_keys:
            continue
        label = ann.label
        if label not in w.type_ids:
            own = [a for a in codebook.attributes if a.labels and label in a.labels]
            dna_type = {"number": "integer", "boolean": "boolean", "choice": "short text"}
            found = codebook.label(label)
            w.statement_type(label, _rgb(found.colour if found else "#d3d3d3"),
                             [[a.key, dna_type.get(a.type, "long text")] for a in own])  # fmt: skip
        doc_id, offsets = docs[ann.document_id]
        sid = w.add("STATEMENTS", {"StatementTypeId": w.type_ids[label], "DocumentId": doc_id,
                                   "Start": offsets.to_utf16(ann.start),
                                   "Stop": offsets.to_utf16(ann.end),
                                   "Coder": w.coder_ids[ann.annotator]})  # fmt: skip
        report.annotations += 1
        values = attributes.get(ann.id, {})
        for (type_label, name), vid in list(w.variable_ids.items()):
            if type_label != label:
                continue
            key = name if (name in values or f"{label} {name}" not in values) else f"{label} {name}"
            value: Any = values[key] if key in values else values.get(name.strip()[:64])
            dtype = w.variable_types[vid]
            if dtype == "boolean":
                value = 0 if value == "false" else 1
            elif dtype == "integer":
                try:
                    value = int(float(value)) if value not in (None, "") else 0
                except ValueError:
                    value = 0
            w.value(sid, vid, value)
    if actors:
        report.dropped["actor mention that is no claimant (DNA has no statement for it)"] += actors


def _entities_from_extras(w: _Writer) -> None:
    """The entities read from DNA (used or not), with colours and trees, before the
    statements add the ones they use."""
    kept = w.extras.get("entities", {})
    for where, rows in kept.items():
        label, _, name = where.partition("\x1f")
        vid = w.variable_ids.get((label, name))
        if vid is None:
            continue
        for row in rows:
            w.entity(vid, str(row["Value"]), row)
        ids = {str(r["Value"]): w.entity_ids[(vid, str(r["Value"]))] for r in rows}
        for row in rows:
            if row.get("ChildOf") in ids:
                entity = w.data.rows("ENTITIES")[ids[str(row["Value"])] - 1]
                entity["ChildOf"] = ids[row["ChildOf"]]


def _entity_attributes(project: Project, w: _Writer) -> None:
    """ATTRIBUTEVALUES: those read from DNA, else for a person or organization its
    canonical actor's type as ``Type``."""
    kept: dict[tuple[int, str], dict[str, str]] = {}
    for where, rows in w.extras.get("entities", {}).items():
        label, _, name = where.partition("\x1f")
        vid = w.variable_ids.get((label, name))
        if vid is not None:
            for row in rows:
                kept[(vid, str(row["Value"]))] = dict(row.get("attributes", {}))
    actor_types = {a.name: a.type for a in project.actors()}
    attr_ids = {(r["VariableId"], r["AttributeVariable"]): r["ID"]
                for r in w.data.rows("ATTRIBUTEVARIABLES")}  # fmt: skip
    for (vid, value), eid in list(w.entity_ids.items()):
        values = kept.get((vid, value))
        if values is None and value in actor_types and (vid, "Type") in attr_ids:
            values = {"Type": actor_types[value]}
        for attr, text in (values or {}).items():
            if (vid, attr) in attr_ids:
                w.add("ATTRIBUTEVALUES", {"EntityId": eid, "AttributeVariableId": attr_ids[(vid, attr)],
                                          "AttributeValue": text[:190]})  # fmt: skip
