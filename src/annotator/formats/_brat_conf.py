"""brat's configuration files: ``annotation.conf`` (types) and ``visual.conf`` (names, colours).

Written from the codebook on export; read on import to build a codebook that is merged
into the project. Attribute values are brat tokens, so ``%``, white space, control
characters, ``|``, ``,`` and ``:`` inside a value are written ``%XX`` (the UTF-8 bytes,
as in URLs) and decoded on import. brat has multi-valued and binary attributes only; the
Annotator type of a ``text``, ``number`` or ``boolean`` attribute is kept in a comment
line ``# annotator-type KEY TYPE`` that brat ignores; a ``boolean`` attribute that is
never ``false`` is written as brat's binary attribute (no values).

The label hierarchy is the indentation of ``[entities]`` (one tab a level, as brat
writes its type hierarchies). A relation type defined on several lines keeps every
line's argument types (their union: the codebook has one set per argument). The special
types ``<OVERLAP>`` and the older ``ENTITY-NESTING`` say which spans may overlap; they
are never taken for relation types. A comment type other than ``AnnotatorNotes`` (the
``#`` lines of a corpus, e.g. ``Lemma``) becomes a text attribute whose description is
:data:`COMMENT_TYPE`, and is written back as ``#`` lines of that type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from annotator import __version__
from annotator.core.codebook import KEY_RE, AttributeDef, Codebook, Label, RelationType
from annotator.formats._refi import slug_key
from annotator.store.codebook.codebook_tables import EXTRA_COLOURS

OURS = "# Written by Annotator"
COMMENT_TYPE = "brat comment type: written as '#' lines of this type"
"""The description of a text attribute that holds a brat comment type (e.g. ``Lemma``)."""
NOTES = "AnnotatorNotes"
SPECIAL_RELATIONS = ("ENTITY-NESTING",)  # brat <= 1.2's overlap rule, like <OVERLAP>
_TYPE_COMMENT = re.compile(r"#\s*annotator-type\s+(\S+)\s+(choice|text|number|boolean)\s*$")


def encode_token(value: str) -> str:
    """*value* as one brat token (see the module text)."""
    out = []
    for ch in value:
        if ch in "%|,:=" or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
        else:
            out.append(ch)
    return "".join(out)


def decode_token(token: str) -> str:
    return unquote(token)


def brat_key(name: str) -> str:
    """The label, relation or attribute key for a brat type name (as written)."""
    name = decode_token(name)
    return name if KEY_RE.match(name) else slug_key(name)


def _types(keys: Iterable[str]) -> str:
    return "|".join(encode_token(k) for k in keys) or "<ENTITY>"


def binary_keys(codebook: Codebook, used: dict[str, list[str]]) -> set[str]:
    """The boolean attributes written as brat binary attributes: never ``false``."""
    return {
        a.key
        for a in codebook.attributes
        if a.type == "boolean" and "false" not in used.get(a.key, [])
    }


def annotation_conf(codebook: Codebook, used: dict[str, list[str]]) -> str:
    """``annotation.conf`` for *codebook*; *used* gives the values of free attributes
    (and of boolean ones: a boolean never ``false`` is a binary attribute)."""
    binary = binary_keys(codebook, used)
    lines = [
        f"{OURS} {__version__}: document files are named <n>-<title>.txt.",
        "# Attribute values are tokens: %, white space, control characters, '|', ',' and ':'",
        "# inside a value are written %XX (UTF-8 bytes, as in URLs).",
        "[entities]",
        *("\t" * codebook.depth(label.key) + encode_token(label.key) for label in codebook.labels),
        "[relations]",
        *(
            f"{encode_token(r.key)}\tArg1:{_types(r.from_labels)}, Arg2:{_types(r.to_labels)}"
            for r in codebook.relations
        ),
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "[events]",
        "[attributes]",
    ]
    for a in codebook.attributes:
        if a.description == COMMENT_TYPE:
            continue  # written as '#' lines, not attributes
        if a.key in binary:
            values: list[str] = []
        elif a.type == "choice":
            values = list(a.choices)
        else:
            lines.append(f"# annotator-type {encode_token(a.key)} {a.type}")
            values = ["true", "false"] if a.type == "boolean" else sorted(used.get(a.key, []))
        value_part = f", Value:{'|'.join(encode_token(v) for v in values)}" if values else ""
        lines.append(f"{encode_token(a.key)}\tArg:{_types(a.labels)}{value_part}")
    return "\n".join(lines) + "\n"


def _plain(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def visual_conf(codebook: Codebook) -> str:
    lines = ["[labels]"]
    lines += [f"{encode_token(x.key)} | {_plain(x.name)}" for x in codebook.labels]
    lines += [f"{encode_token(r.key)} | {_plain(r.name)}" for r in codebook.relations]
    lines += ["[drawing]"]
    lines += [f"{encode_token(x.key)}\tbgColor:{x.colour}" for x in codebook.labels]
    return "\n".join(lines) + "\n"


@dataclass
class BratConf:
    """What annotation.conf and visual.conf declare (brat type names, not keys)."""

    ours: bool = False
    entities: list[str] = field(default_factory=list)
    parents: dict[str, str] = field(default_factory=dict)  # entity -> the one it is under
    relations: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    # each line of a relation type: its (Arg1 types, Arg2 types); empty lists: any type
    relation_lines: dict[str, list[tuple[list[str], list[str]]]] = field(default_factory=dict)
    attributes: dict[str, tuple[list[str], list[str] | None]] = field(default_factory=dict)
    attribute_types: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    colours: dict[str, str] = field(default_factory=dict)

    def allows(self, relation: str, arg1: str, arg2: str) -> bool:
        """True when some line of *relation* in annotation.conf takes these argument
        types, as brat's verifier checks (a type the conf does not declare: True)."""
        lines = self.relation_lines.get(relation)
        if not lines:
            return True
        return any((not a or arg1 in a) and (not b or arg2 in b) for a, b in lines)

    @property
    def present(self) -> bool:
        return bool(self.entities or self.relations or self.attributes)


def _type_list(value: str) -> list[str]:
    return [t for t in value.strip().split("|") if t and not t.startswith("<")]


def parse_conf(annotation: str | None, visual: str | None) -> BratConf:
    conf = BratConf()
    section = ""
    above: list[str] = []  # the entity types of the lines above, by indentation level
    for raw in (annotation or "").splitlines():
        line = raw.strip()
        if line.startswith(OURS):
            conf.ours = True
        found = _TYPE_COMMENT.match(line)
        if found:
            conf.attribute_types[found.group(1)] = found.group(2)
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        parts = line.split(None, 1)
        name, rest = parts[0].lstrip("!"), parts[1] if len(parts) > 1 else ""
        if not name or name.startswith("<") or "=" in name or name in SPECIAL_RELATIONS:
            continue
        args = [part.strip().partition(":") for part in rest.split(",") if part.strip()]
        if section == "entities":
            level = len(raw) - len(raw.lstrip("\t"))
            del above[level:]
            if above:
                conf.parents.setdefault(name, above[-1])
            above.append(name)
            conf.entities.append(name)
        elif section == "relations":
            pairs = [(k, v) for k, _, v in args if not k.startswith("<")]
            if len(pairs) >= 2:
                conf.relation_lines.setdefault(name, []).append(
                    (_type_list(pairs[0][1]), _type_list(pairs[1][1]))
                )
                a1, a2 = conf.relations.get(name, ([], []))
                a1 += [t for t in _type_list(pairs[0][1]) if t not in a1]
                a2 += [t for t in _type_list(pairs[1][1]) if t not in a2]
                conf.relations[name] = (a1, a2)
        elif section == "attributes":
            targets = next((_type_list(v) for k, _, v in args if k == "Arg"), [])
            values = next(
                ([decode_token(x) for x in v.split("|") if x] for k, _, v in args if k == "Value"),
                None,
            )
            conf.attributes[name] = (targets, values)
    section = ""
    for raw in (visual or "").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
        elif section == "labels" and "|" in line:
            parts = [p.strip() for p in line.split("|")]
            if len(parts) > 1 and parts[1]:
                conf.names[parts[0]] = parts[1]
        elif section == "drawing":
            parts = line.split(None, 1)
            colour = re.search(r"bgColor:\s*(#[0-9a-fA-F]{6})\b", line)
            if colour and len(parts) > 1:
                conf.colours[parts[0]] = colour.group(1).lower()
    return conf


def conf_codebook(conf: BratConf) -> Codebook:
    """The codebook that *conf* declares, with keys made by :func:`brat_key`."""
    labels = tuple(
        Label(
            brat_key(t),
            conf.names.get(t, decode_token(t)),
            conf.colours.get(t, EXTRA_COLOURS[i % len(EXTRA_COLOURS)]),
            parent=brat_key(conf.parents[t]) if t in conf.parents else None,
        )
        for i, t in enumerate(dict.fromkeys(conf.entities))
    )
    relations = tuple(
        RelationType(
            brat_key(name),
            conf.names.get(name, decode_token(name)),
            tuple(brat_key(t) for t in a1),
            tuple(brat_key(t) for t in a2),
        )
        for name, (a1, a2) in conf.relations.items()
    )
    attributes = []
    for name, (targets, values) in conf.attributes.items():
        kind = conf.attribute_types.get(name) or ("choice" if values else "boolean")
        attributes.append(
            AttributeDef(
                brat_key(name),
                decode_token(name),
                kind,
                tuple(brat_key(t) for t in targets),
                tuple(values or ()) if kind == "choice" else (),
            )
        )
    return Codebook("brat annotation.conf", labels, tuple(attributes), relations)
