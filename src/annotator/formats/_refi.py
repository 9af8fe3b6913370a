"""Shared pieces of the interchange formats: REFI-QDA XML (``.qdpx``, ``.qdc``) and brat.

- GUIDs: deterministic ones for what we write, and the tolerant reading of other
  tools' GUIDs (braces, upper case, short ones).
- A small XML writer that keeps every character of a note (``\\r`` as ``&#13;``) and
  replaces what XML 1.0 cannot hold, so that what we write always parses.
- The REFI-QDA codebook (``<Codes>``): labels out as nested codes (the label tree) with
  their kept GUIDs, codes in as labels under their parents (keys made from the names).
- :class:`RawText`: offsets counted in a file's text as written (BOM, CRLF) converted
  to offsets into the normalised text that the project stores.
- The documented ``key=value`` block that carries attributes in a selection's
  Description.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from bisect import bisect_left
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from annotator.core.codebook import KEY_RE, Codebook, Label
from annotator.core.errors import FormatError
from annotator.core.text import normalise
from annotator.formats._codebook_growth import grow_codebook
from annotator.formats.registry import Options
from annotator.store.codebook.codebook_tables import EXTRA_COLOURS
from annotator.store.project import Project

NS_PROJECT = "urn:QDA-XML:project:1.0"
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
_NAMESPACE = uuid.UUID("6f1d3f2a-5b7e-5c1e-9a43-616e6e6f7461")  # fixed: our GUIDs are stable

# -- GUIDs ---------------------------------------------------------------------------


def make_guid(kind: str, *parts: object) -> str:
    """A stable GUID for one thing we export (same input, same GUID)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join([kind, *map(str, parts)])))


def label_guid(key: str) -> str:
    return make_guid("label", key)


def norm_guid(value: str | None) -> str:
    """Other tools' GUIDs compared loosely: without braces and case."""
    return (value or "").strip().strip("{}").strip().lower()


_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def kept_guid(value: str | None) -> str | None:
    """A GUID as another program wrote it (braces dropped), when REFI-QDA's schema takes
    it back; None for a short or malformed one (we write our own then)."""
    text = (value or "").strip().strip("{}").strip()
    return text if _GUID.fullmatch(text) else None


def code_guid(label: Label) -> str:
    """The GUID a label is written with: the one it came with, else our stable one."""
    return kept_guid(label.guid) or label_guid(label.key)


# -- XML writing ---------------------------------------------------------------------

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_clean(text: str) -> tuple[str, int]:
    """*text* with the characters XML 1.0 cannot hold replaced by U+FFFD, and their count."""
    return _NOT_XML.subn("\ufffd", text)


def _escape_text(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _escape_attribute(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class XmlOut:
    """Builds an element tree and writes it, keeping text exactly (ElementTree's own
    writer drops ``\\r`` from text) and never writing a character XML forbids."""

    def __init__(self) -> None:
        self.replaced = 0  # characters XML cannot hold, replaced by U+FFFD

    def clean(self, text: str) -> str:
        out, n = xml_clean(text)
        self.replaced += n
        return out

    def element(
        self, parent: Element | None, tag: str, text: str | None = None, **attrs: str | None
    ) -> Element:
        el = Element(tag, {k: self.clean(v) for k, v in attrs.items() if v is not None})
        if text is not None:
            el.text = self.clean(text)
        if parent is not None:
            parent.append(el)
        return el

    def serialise(self, root: Element, namespace: str) -> bytes:
        root.set("xmlns", namespace)
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n']
        self._write(root, parts, 0)
        return "".join(parts).encode("utf-8")

    def _write(self, el: Element, parts: list[str], depth: int) -> None:
        pad = "  " * depth
        attrs = "".join(f' {k}="{_escape_attribute(v)}"' for k, v in el.attrib.items())
        children = list(el)
        if el.text is None and not children:
            parts.append(f"{pad}<{el.tag}{attrs}/>\n")
            return
        if not children:
            parts.append(f"{pad}<{el.tag}{attrs}>{_escape_text(el.text or '')}</{el.tag}>\n")
            return
        parts.append(f"{pad}<{el.tag}{attrs}>\n")
        for child in children:
            self._write(child, parts, depth + 1)
        parts.append(f"{pad}</{el.tag}>\n")


# -- XML reading (namespace-blind: tools differ in the namespace version) -------------


def local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def children(el: Element, name: str) -> Iterator[Element]:
    return (c for c in el if local(c.tag) == name)


def child(el: Element, name: str) -> Element | None:
    return next(children(el, name), None)


def child_text(el: Element, name: str) -> str:
    found = child(el, name)
    return "" if found is None or found.text is None else found.text


# -- codes <-> labels ----------------------------------------------------------------


def write_codes(out: XmlOut, parent: Element, labels: Sequence[Label]) -> None:
    """``<Codes>`` with one codable ``<Code>`` per label, a label's children nested in
    its code (the same for Project and CodeBook). *labels* are in tree pre-order."""
    codes = out.element(parent, "Codes")
    element_of: dict[str, Element] = {}
    for label in labels:
        holder = codes if label.parent is None else element_of.get(label.parent, codes)
        code = out.element(
            holder,
            "Code",
            guid=code_guid(label),
            name=label.name,
            isCodable="true",
            color=label.colour.upper(),
        )
        if label.description:
            out.element(code, "Description", label.description)
        element_of[label.key] = code


@dataclass
class Code:
    guid: str  # normalised
    name: str
    colour: str | None
    description: str
    codable: bool
    parent: str | None = None  # the enclosing code's normalised GUID
    written_guid: str | None = None  # the GUID as written, when the schema takes it back


MAX_CODE_DEPTH = 64  # as deep as a YAML codebook may nest


def read_codes(codes_parent: Element | None, what: str = "the codebook") -> list[Code]:
    """Every ``<Code>`` under *codes_parent* (``<Codes>``), in tree pre-order, each with
    its parent's GUID."""
    out: list[Code] = []
    if codes_parent is None:
        return out
    stack: list[tuple[Element, str | None, int]] = [
        (el, None, 1) for el in reversed(list(children(codes_parent, "Code")))
    ]
    while stack:
        el, parent, depth = stack.pop()
        if depth > MAX_CODE_DEPTH:
            raise FormatError(f"{what} nests codes more than {MAX_CODE_DEPTH} levels deep")
        name = (el.get("name") or "").strip() or "code"
        guid = norm_guid(el.get("guid")) or f"(code {len(out) + 1} without a guid)"
        out.append(
            Code(
                guid=guid,
                name=name,
                colour=_colour(el.get("color")),
                description=child_text(el, "Description").strip(),
                codable=(el.get("isCodable") or "true").strip().lower() not in ("false", "0"),
                parent=parent,
                written_guid=kept_guid(el.get("guid")),
            )
        )
        stack.extend((c, guid, depth + 1) for c in reversed(list(children(el, "Code"))))
    return out


def parse_colour(value: str | None) -> str | None:
    """``#rrggbb`` of a colour written ``#RRGGBB`` or ``#RGB``; None for anything else."""
    return _colour(value)


def _colour(value: str | None) -> str | None:
    value = (value or "").strip()
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return value.lower()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:]).lower()
    return None


def slug_key(name: str, taken: Collection[str] = ()) -> str:
    """A label key (``KEY_RE``) made from *name*, not one of *taken*."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_name.lower()).strip("-_")
    if not slug or not slug[0].isalpha():
        slug = f"code-{slug}" if slug else "code"
    slug = slug[:56].rstrip("-_")
    key, n = slug, 1
    while key in taken:  # (no copy of taken: 50,000 codes made that quadratic)
        n += 1
        key = f"{slug}-{n}"
    assert KEY_RE.match(key), key
    return key


@dataclass
class LabelPlan:
    """How codes map to labels, and the labels the project must gain first."""

    keys: dict[str, str] = field(default_factory=dict)  # code guid -> label key
    new: list[Label] = field(default_factory=list)

    def apply(self, project: Project, options: Options, source: str) -> list[str]:
        """Add the planned labels (bounded, see :mod:`._codebook_growth`); the warnings."""
        if not self.new:
            return []
        return grow_codebook(project, options, source, Codebook("imported", tuple(self.new)))


def _kept_codes(codes: Sequence[Code], used: set[str] | None) -> set[str]:
    """The GUIDs of the codes that become labels: every codable code, a category
    (``isCodable="false"``) when something is coded with it or it holds a kept code."""
    kept: set[str] = set()
    for code in reversed(codes):  # pre-order reversed: children before their parents
        if code.codable or code.guid in kept or (used is not None and code.guid in used):
            kept.add(code.guid)
            if code.parent is not None:
                kept.add(code.parent)
    return kept


def plan_labels(project: Project, codes: Sequence[Code], used: set[str] | None = None) -> LabelPlan:
    """Match codes to the project's labels (by GUID, key or name), else plan new ones,
    each under the label of its enclosing code and keeping the code's GUID.

    Codes that are not codable (categories) become labels only when *used* names them
    or they hold a code that becomes one (so the tree is kept).
    """
    plan = LabelPlan()
    labels = project.labels()
    by_guid = {label_guid(label.key): label.key for label in labels}
    by_guid.update({norm_guid(label.guid): label.key for label in labels if label.guid})
    # by key or name only under the same parent: trees repeat names ("Positive" under
    # "Economy" and under "Health" are two codes)
    by_key = {(label.parent, label.key): label.key for label in labels}
    by_name = {(label.parent, label.name.casefold()): label.key for label in labels}
    taken = {label.key for label in labels}
    kept = _kept_codes(codes, used)
    for code in codes:
        if code.guid not in kept or code.guid in plan.keys:
            continue
        parent = None if code.parent is None else plan.keys.get(code.parent)
        key = (
            by_guid.get(code.guid)
            or by_key.get((parent, code.name))
            or by_key.get((parent, slug_key(code.name)))
            or by_name.get((parent, code.name.casefold()))
        )
        if key is None:
            key = slug_key(code.name, taken)
            taken.add(key)
            colour = code.colour or EXTRA_COLOURS[len(taken) % len(EXTRA_COLOURS)]
            plan.new.append(
                Label(key, code.name, colour, None, code.description, parent, code.written_guid)
            )
            by_name[(parent, code.name.casefold())] = key
        plan.keys[code.guid] = key
    return plan


# -- text as written <-> normalised text ---------------------------------------------


class RawText:
    """A text as a file holds it, and the map from its offsets to normalised offsets.

    Normalisation (DESIGN.md) removes a leading BOM and the ``\\r`` of each ``\\r\\n``;
    every other character keeps its place, so the map counts the removed ones.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalise(raw)
        removed = [0] if raw.startswith("\ufeff") else []
        removed.extend(m.start() for m in re.finditer("\r\n", raw))
        self._removed = removed

    def __len__(self) -> int:
        return len(self.raw)

    def to_normalised(self, offset: int) -> int:
        return offset - bisect_left(self._removed, offset)


# -- attributes in a Description -------------------------------------------------------

ATTRIBUTES_MARK = "[Annotator attributes]"
_ATTRIBUTE_LINE = re.compile(r"((?:[^\\=]|\\.)+)=(.*)")


def _escape_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def _escape_key(key: str) -> str:
    return _escape_value(key).replace("=", "\\=")


def _unescape_value(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), value)


def join_description(note: str | None, attributes: dict[str, str]) -> str | None:
    """A selection's Description: the note, then (when there are attributes) a block
    ``[Annotator attributes]`` with one ``key=value`` line each (``\\``, newline and
    carriage return written ``\\\\``, ``\\n``, ``\\r``; ``=`` in a key ``\\=``)."""
    note = note or ""
    if not attributes and split_description(note) == (note, {}):
        return note or None
    block = ATTRIBUTES_MARK + "".join(
        f"\n{_escape_key(k)}={_escape_value(v)}" for k, v in sorted(attributes.items())
    )
    return f"{note}\n\n{block}" if note else block


def split_description(description: str) -> tuple[str, dict[str, str]]:
    """``(note, attributes)`` of a Description written by :func:`join_description`;
    a Description without the block is all note."""
    starts = [0] if description.startswith(ATTRIBUTES_MARK) else []
    at = description.find("\n\n" + ATTRIBUTES_MARK)
    while at != -1:
        starts.append(at)
        at = description.find("\n\n" + ATTRIBUTES_MARK, at + 1)
    for start in reversed(starts):
        head = description[:start]
        tail = description[start:].removeprefix("\n\n")[len(ATTRIBUTES_MARK) :]
        if tail and not tail.startswith("\n"):
            continue
        lines = tail.split("\n")[1:]
        matches = [_ATTRIBUTE_LINE.fullmatch(line) for line in lines]
        if all(matches):
            return head, {
                _unescape_value(m.group(1)): _unescape_value(m.group(2)) for m in matches if m
            }
    return description, {}


def check_range(start: int, end: int, length: int, what: str) -> None:
    if not 0 <= start < end <= length:
        raise FormatError(f"{what}: positions {start}-{end} are outside the text (0 to {length})")


_POSITION = re.compile("[0-9]{1,19}")


def position(value: str | None) -> int:
    """A ``startPosition``/``endPosition`` attribute: ASCII digits (XML may pad them with
    white space). ``int()`` would also take ``1_0``, Arabic-Indic digits and numbers too
    long for SQLite or for Python's digit limit: :class:`ValueError` for those."""
    text = (value or "").strip(" \t\r\n")
    if not _POSITION.fullmatch(text):
        raise ValueError(value)
    return int(text)
