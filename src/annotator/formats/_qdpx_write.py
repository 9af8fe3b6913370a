"""Writing a REFI-QDA project (``project.qde`` and its source texts); see :mod:`.qdpx`.

GUIDs are the ones things came with when they came from another program (a code's
``Label.guid``, a source's ``document_info.guid``), else derived from what they name, so
exporting twice gives the same GUIDs and a project round-trips with them. Times are
written in UTC with ``Z``. Positions are code points, or UTF-16 units ``--for nvivo``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from annotator import __version__
from annotator.core.errors import InputError
from annotator.core.offsets import OffsetMap
from annotator.formats._dates import refi_stamp
from annotator.formats._refi import (
    NS_PROJECT,
    XmlOut,
    code_guid,
    join_description,
    kept_guid,
    make_guid,
    write_codes,
)
from annotator.formats._refi_vars import VariablesOut, write_sets
from annotator.formats.registry import Options, Report
from annotator.store.models import Annotation, Document
from annotator.store.project import Project
from annotator.store.queries.export_queries import uncarried

TARGETS = {"nvivo": "NVivo"}  # --for: the programs that count positions differently
CARRIED = (
    "note",
    "attribute value",
    "document variable",
    "document group",
    "label hierarchy link",
    "memo",
)


def user_guid(name: str) -> str:
    return make_guid("user", name)


def source_guid(project: Project, doc: Document) -> str:
    """A document's source GUID: the one it came with, else one derived from it."""
    kept = kept_guid(project.document_info(doc.id).guid)
    return kept or make_guid("document", doc.sha256, doc.id, doc.imported_at)


def selection_guid(doc: Document, a: Annotation) -> str:
    """An annotation's selection GUID: its stable UUID (kept through copies and merges)."""
    if a.uuid:
        try:
            return str(uuid.UUID(hex=a.uuid))
        except ValueError:
            pass
    return make_guid("annotation", doc.sha256, a.id, a.created)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"


def _utf16_positions(options: Options, report: Report) -> bool:
    """Does this export write UTF-16 positions (``--for nvivo``)? Says so in the report."""
    if options.target is not None and options.target.casefold() not in TARGETS:
        raise InputError(
            f"qdpx cannot be written for '{options.target}' (known: {', '.join(TARGETS)}; "
            "without --for, positions are code points, as MAXQDA, ATLAS.ti and QualCoder read)"
        )
    if options.target is None:
        report.assumed.append("positions written as code points (--for nvivo writes UTF-16 units)")
        return False
    report.assumed.append("positions written as UTF-16 units, for NVivo")
    return True


class _Writer:
    def __init__(self, project: Project, options: Options) -> None:
        self.project = project
        self.options = options
        self.out = XmlOut()
        self.report = Report()
        self.utf16 = _utf16_positions(options, self.report)
        self.users: dict[str, str] = {}
        self.code_of = {label.key: code_guid(label) for label in project.labels()}
        self.links: list[tuple[str, str, str, int]] = []
        self.texts: dict[str, str] = {}
        self.source_of: dict[int, str] = {}

    def source(self, parent: Element | None, doc: Document, variables: VariablesOut) -> None:
        out, project = self.out, self.project
        guid = source_guid(project, doc)
        self.source_of[doc.id] = guid
        text = project.text(doc)
        self.texts[f"sources/{guid}.txt"] = text
        source = out.element(
            parent,
            "TextSource",
            guid=guid,
            name=doc.title,
            plainTextPath=f"internal://{guid}.txt",
            creationDateTime=refi_stamp(doc.imported_at),
        )
        memo = project.document_info(doc.id).memo
        if memo:
            out.element(source, "Description", memo)
        attributes = project.all_attributes(doc.id)
        offsets = OffsetMap(text) if self.utf16 else None
        selection_of: dict[int, str] = {}
        for a in project.annotations(doc):
            user = self.users.setdefault(a.annotator, user_guid(a.annotator))
            guid = selection_guid(doc, a)
            selection_of[a.id] = guid
            start, end = a.start, a.end
            if offsets is not None:
                start, end = offsets.to_utf16(start), offsets.to_utf16(end)
            selection = out.element(
                source,
                "PlainTextSelection",
                guid=guid,
                name=_excerpt(a.text),
                startPosition=str(start),
                endPosition=str(end),
                creatingUser=user,
                creationDateTime=refi_stamp(a.created),
                modifyingUser=user,
                modifiedDateTime=refi_stamp(a.modified),
            )
            description = join_description(a.note, attributes.get(a.id, {}))
            if description is not None:
                out.element(selection, "Description", description)
            coding = out.element(
                selection,
                "Coding",
                guid=make_guid("coding", guid),
                creatingUser=user,
                creationDateTime=refi_stamp(a.created),
            )
            out.element(coding, "CodeRef", targetGUID=self.code_of[a.label])
            self.report.annotations += 1
        variables.write_values(out, source, doc.id)
        for r in project.relations(doc.id):
            self.links.append((selection_of[r.from_id], selection_of[r.to_id], r.type, r.id))
        self.report.documents += 1

    def write(self) -> tuple[bytes, dict[str, str], Report]:
        out, project, report = self.out, self.project, self.report
        stamp = refi_stamp(datetime.now(UTC).isoformat(timespec="seconds"))
        root = out.element(
            None,
            "Project",
            name=project.name,
            origin=f"Annotator {__version__}",
            creationDateTime=stamp,
        )
        book = out.element(root, "CodeBook")
        write_codes(out, book, project.labels())
        variables = VariablesOut.of(project)
        variables.write_definitions(out, root)
        documents = project.documents()
        sources = out.element(root, "Sources") if documents else None
        for n, doc in enumerate(documents):
            self.source(sources, doc, variables)
            self.options.tick(n + 1, len(documents))
        if self.links:
            link_parent = out.element(root, "Links")
            for origin, target, kind, rel_id in self.links:
                out.element(
                    link_parent,
                    "Link",
                    guid=make_guid("relation", origin, target, kind, rel_id),
                    name=kind,
                    direction="OneWay",
                    originGUID=origin,
                    targetGUID=target,
                )
            report.relations = len(self.links)
        report.dropped.update(write_sets(out, root, project, self.source_of))
        if project.memo:
            out.element(root, "Description", project.memo)
        if self.users:
            user_parent = Element("Users")
            for name, guid in self.users.items():
                out.element(user_parent, "User", guid=guid, name=name)
            root.insert(0, user_parent)
        relation_types = [r.key for r in project.codebook().relations]
        report.dropped.update(uncarried(project, CARRIED, relation_types=relation_types))
        if out.replaced:
            report.warnings.append(
                f"{out.replaced} characters that XML cannot hold (control characters in notes "
                "or titles) were written as U+FFFD"
            )
        return out.serialise(root, NS_PROJECT), self.texts, report


def project_xml(project: Project, options: Options) -> tuple[bytes, dict[str, str], Report]:
    """``project.qde`` and the source texts (entry name -> text) of the whole project."""
    return _Writer(project, options).write()
