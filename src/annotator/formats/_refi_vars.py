"""REFI-QDA ``Variables``/``VariableValue``, ``Cases`` and ``Sets`` <-> document variables
and document groups.

- Export: each document variable is a ``<Variable>`` (text -> Text, boolean -> Boolean,
  number -> Integer when every value is whole, else Float; date -> Date when no value
  has a time, else DateTime) and each document's values are ``<VariableValue>`` in its
  ``<TextSource>``, as MAXQDA and QualCoder write document variables. Each document
  group is a ``<Set>`` of ``<MemberSource>`` (sets do not nest: a group's parent is
  dropped and counted).
- Import: a source's values become its document variables; a ``<Set>`` of sources
  becomes a document group; a ``<Case>`` (NVivo and QualCoder keep their attributes on
  cases) becomes a document group of the sources it refers to, and its values become
  theirs. What does not fit (a value its type refuses, a set of codes) is counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from annotator.core import variables as core_variables
from annotator.core.errors import InputError
from annotator.formats._refi import XmlOut, child, child_text, children, make_guid, norm_guid
from annotator.store.project import Project

_TO_REFI = {"text": "Text", "boolean": "Boolean"}
_FROM_REFI = {
    "text": "text",
    "boolean": "boolean",
    "integer": "number",
    "float": "number",
    "date": "date",
    "datetime": "date",
}
_VALUE_ELEMENT = {
    "Text": "TextValue",
    "Boolean": "BooleanValue",
    "Integer": "IntegerValue",
    "Float": "FloatValue",
    "Date": "DateValue",
    "DateTime": "DateTimeValue",
}
VALUE_ELEMENTS = set(_VALUE_ELEMENT.values())

# -- export ---------------------------------------------------------------------------


def variable_guid(key: str) -> str:
    return make_guid("variable", key)


def _refi_type(kind: str, values: list[str]) -> str:
    if kind in _TO_REFI:
        return _TO_REFI[kind]
    if kind == "number":
        return "Integer" if all("." not in v and "e" not in v for v in values) else "Float"
    return "DateTime" if any("T" in v for v in values) else "Date"


def _refi_value(refi_type: str, value: str) -> str:
    if refi_type == "Float":  # xsd:decimal has no exponent
        try:
            return format(Decimal(value), "f")
        except InvalidOperation:
            return value
    if refi_type == "DateTime" and "T" not in value:
        return f"{value}T00:00:00Z"
    return value


@dataclass
class VariablesOut:
    """The project's variables as written: key -> (GUID, REFI type)."""

    types: dict[str, tuple[str, str]] = field(default_factory=dict)
    values: dict[int, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, project: Project) -> VariablesOut:
        values = project.variables.all()
        by_key: dict[str, list[str]] = {}
        for doc_values in values.values():
            for key, value in doc_values.items():
                by_key.setdefault(key, []).append(value)
        types = {
            key: (variable_guid(key), _refi_type(kind, by_key.get(key, [])))
            for key, kind in project.variables.types().items()
        }
        return cls(types, values)

    def write_definitions(self, out: XmlOut, root: Element) -> None:
        if not self.types:
            return
        parent = out.element(root, "Variables")
        for key, (guid, refi_type) in self.types.items():
            out.element(parent, "Variable", guid=guid, name=key, typeOfVariable=refi_type)

    def write_values(self, out: XmlOut, source: Element, document_id: int) -> None:
        for key, value in self.values.get(document_id, {}).items():
            guid, refi_type = self.types[key]
            holder = out.element(source, "VariableValue")
            out.element(holder, "VariableRef", targetGUID=guid)
            out.element(holder, _VALUE_ELEMENT[refi_type], _refi_value(refi_type, value))


def write_sets(
    out: XmlOut, root: Element, project: Project, source_guids: dict[int, str]
) -> Counter[str]:
    """``<Sets>`` of the document groups; what sets cannot hold, counted."""
    dropped: Counter[str] = Counter()
    groups = project.groups.all()
    if not groups:
        return dropped
    parent = out.element(root, "Sets")
    for group in groups:
        element = out.element(parent, "Set", guid=make_guid("group", group.name), name=group.name)
        if group.parent is not None:
            dropped["document group nesting"] += 1
        for doc_id in group.document_ids:
            if doc_id in source_guids:
                out.element(element, "MemberSource", targetGUID=source_guids[doc_id])
    return dropped


# -- import ---------------------------------------------------------------------------


@dataclass
class Variable:
    name: str
    kind: str  # ours: text, number, date, boolean


@dataclass
class GroupIn:
    name: str
    sources: list[str]  # normalised source GUIDs
    values: dict[str, object] = field(default_factory=dict)  # a case's variables


def read_variables(root: Element) -> dict[str, Variable]:
    """Variable GUID -> its name and our type."""
    out: dict[str, Variable] = {}
    for parent in children(root, "Variables"):
        for el in children(parent, "Variable"):
            name = (el.get("name") or "").strip()
            refi = (el.get("typeOfVariable") or "Text").strip().casefold()
            if name:
                out[norm_guid(el.get("guid"))] = Variable(name, _FROM_REFI.get(refi, "text"))
    return out


def read_values(
    el: Element, variables: dict[str, Variable], dropped: Counter[str]
) -> dict[str, object]:
    """The ``<VariableValue>`` children of *el*: variable name -> value as written."""
    out: dict[str, object] = {}
    for holder in children(el, "VariableValue"):
        ref = child(holder, "VariableRef")
        variable = None if ref is None else variables.get(norm_guid(ref.get("targetGUID")))
        value = next((c for c in holder if c.tag.rpartition("}")[2] in VALUE_ELEMENTS), None)
        if variable is None or value is None:
            dropped["variable value without its variable"] += 1
            continue
        if value.text is None or not value.text.strip():
            continue
        out[variable.name] = value.text.strip()
    return out


def read_groups(
    root: Element, variables: dict[str, Variable], dropped: Counter[str]
) -> list[GroupIn]:
    """The sets and cases of the file, as document groups to be."""
    out: list[GroupIn] = []
    for parent in children(root, "Sets"):
        for el in children(parent, "Set"):
            members = [norm_guid(m.get("targetGUID")) for m in children(el, "MemberSource")]
            others = sum(1 for c in el if c.tag.rpartition("}")[2] in ("MemberCode", "MemberNote"))
            if others:
                dropped["set member that is a code or a note"] += others
            out.append(GroupIn((el.get("name") or "").strip() or "Set", members))
    for parent in children(root, "Cases"):
        for el in children(parent, "Case"):
            members = [norm_guid(m.get("targetGUID")) for m in children(el, "SourceRef")]
            others = sum(1 for c in el if c.tag.rpartition("}")[2] in ("SelectionRef", "CodeRef"))
            if others:
                dropped["case reference to a selection or a code"] += others
            values = read_values(el, variables, dropped)
            name = (el.get("name") or "").strip() or "Case"
            out.append(GroupIn(name, members, values))
            if child_text(el, "Description").strip():
                dropped["case description"] += 1
    return out


def store_values(
    project: Project,
    file_name: str,
    rows: list[tuple[int, str, object]],
    variables: dict[str, Variable],
    dropped: Counter[str],
    warnings: list[str],
) -> None:
    """Set the documents' variables; a value its type refuses is dropped and warned."""
    kinds = {v.name: v.kind for v in variables.values()}
    have = project.variables.types()
    good: list[tuple[int, str, object]] = []
    for doc_id, key, value in rows:
        kind = have.get(key) or kinds.get(key, "text")
        try:
            core_variables.check_key(key)
            core_variables.normalise(kind, value)
        except InputError as exc:
            dropped["variable value that does not fit its type"] += 1
            if dropped["variable value that does not fit its type"] <= 3:
                warnings.append(f"{file_name}: variable '{key}': {exc}")
            continue
        good.append((doc_id, key, value))
    used = {key for _d, key, _v in good}
    project.variables.set_many(good, {k: v for k, v in kinds.items() if k in used})


def store_groups(
    project: Project,
    groups: list[GroupIn],
    document_of: dict[str, int],
    dropped: Counter[str],
) -> list[tuple[int, str, object]]:
    """Make the groups; return the cases' variable values for their documents."""
    values: list[tuple[int, str, object]] = []
    for group in groups:
        docs = [document_of[g] for g in group.sources if g in document_of]
        missing = len(group.sources) - len(docs)
        if missing:
            dropped["group member that is not an imported text source"] += missing
        try:
            project.groups.create(group.name)
        except InputError:
            dropped["set or case whose name cannot be a group name"] += 1
            continue
        project.groups.add(group.name, docs)
        values.extend((doc, key, value) for doc in docs for key, value in group.values.items())
    return values
