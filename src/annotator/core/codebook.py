"""The codebook: labels, attributes and relation types, kept as YAML.

A codebook file looks like this (see README, "The codebook format")::

    name: Political claims analysis
    labels:
      - key: claim
        name: Claim
        colour: "#0072B2"
        hotkey: "1"
        description: A statement in public that ...
    attributes:            # optional
      - key: position
        type: choice       # choice | number | text | boolean
        labels: [claim, demand]
        choices: ["-1", "0", "+1"]
        default: "0"
    relations:             # optional
      - key: claimant
        from: [actor]
        to: [claim, demand, allegation]

It is always read with ``yaml.safe_load`` semantics; every error names its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from annotator.core.errors import CodebookError
from annotator.core.label_tree import TreeError, ancestors, tree_order

# A key is what scripts type (--label KEY) and exports carry: short, one line, no
# surrounding spaces. Lowercase words are the convention; keys of imported data
# (PER, B-ORG, "Named entity") are kept as they come.
KEY_RE = re.compile(r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,62}[^\s\x00-\x1f\x7f])?$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ATTRIBUTE_TYPES = ("choice", "number", "text", "boolean")
HOTKEY_RE = re.compile(r"^[0-9a-zA-Z]$")
# A hotkey is pressed alone, and the window takes a letter in either case as the same
# key ("a" and "A" would both be dead: Qt finds the shortcut ambiguous). Keys the window
# itself uses, or that are no letter at all, are refused with what they do there.
# (tests/gui/test_hotkeys.py checks that the window binds no letter or digit itself.)
UNUSABLE_KEYS = {
    "tab": ("Tab", "it moves the keyboard focus"),
    "backtab": ("Tab", "it moves the keyboard focus"),
    "esc": ("Esc", "it clears the selection and closes the find bar"),
    "escape": ("Esc", "it clears the selection and closes the find bar"),
    "space": ("Space", "it is typed in the find bar and it selects in lists"),
    "return": ("Return", "it confirms the find bar and dialogs"),
    "enter": ("Enter", "it confirms the find bar and dialogs"),
    "backspace": ("Backspace", "it deletes the selected annotation"),
    "del": ("Del", "it deletes the selected annotation"),
    "delete": ("Del", "it deletes the selected annotation"),
    "f1": ("F1", "it shows the keyboard shortcuts"),
    "f2": ("F2", "it edits the note"),
    "f3": ("F3", "it finds the next hit"),
    "f11": ("F11", "it turns the focus mode on and off"),
    **{
        name: (name.capitalize(), "it moves in the text")
        for name in ("left", "right", "up", "down", "home", "end", "pgup", "pgdown")
    },
}


@dataclass(frozen=True)
class Label:
    key: str
    name: str
    colour: str
    hotkey: str | None = None
    description: str = ""
    parent: str | None = None  # the parent label's key; None: top level
    guid: str | None = None  # a stable id from another program (REFI-QDA), written back


@dataclass(frozen=True)
class AttributeDef:
    key: str
    name: str
    type: str
    labels: tuple[str, ...] = ()  # empty: every label
    choices: tuple[str, ...] = ()
    default: str | None = None
    description: str = ""

    def applies_to(self, label: str) -> bool:
        return not self.labels or label in self.labels


@dataclass(frozen=True)
class RelationType:
    key: str
    name: str
    from_labels: tuple[str, ...] = ()  # empty: any label
    to_labels: tuple[str, ...] = ()
    description: str = ""

    def fits(self, from_label: str, to_label: str) -> bool:
        return (not self.from_labels or from_label in self.from_labels) and (
            not self.to_labels or to_label in self.to_labels
        )


@dataclass(frozen=True)
class Codebook:
    name: str
    labels: tuple[Label, ...]
    attributes: tuple[AttributeDef, ...] = ()
    relations: tuple[RelationType, ...] = ()
    _by_key: dict[str, Label] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({label.key: label for label in self.labels})

    def label(self, key: str) -> Label | None:
        return self._by_key.get(key)

    def keys(self) -> list[str]:
        return [label.key for label in self.labels]

    def children(self, key: str | None = None) -> list[Label]:
        """The labels directly under *key* (None: the top level), in order."""
        return [label for label in self.labels if label.parent == key]

    def ancestors(self, key: str) -> list[str]:
        """The keys of the labels above *key*, nearest first."""
        return ancestors(self._by_key, key)

    def depth(self, key: str) -> int:
        """0 for a top-level label, 1 for its children, and so on."""
        return len(self.ancestors(key))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "labels": []}
        items: dict[str, dict[str, Any]] = {}
        for label in self.labels:
            item: dict[str, Any] = {"key": label.key, "name": label.name, "colour": label.colour}
            if label.hotkey:
                item["hotkey"] = label.hotkey
            if label.description:
                item["description"] = label.description
            if label.guid:
                item["guid"] = label.guid
            items[label.key] = item
            parent = items.get(label.parent) if label.parent is not None else None
            if parent is not None:
                parent.setdefault("children", []).append(item)
                continue
            if label.parent is not None:  # not (yet) written: named, for the loader to judge
                item["parent"] = label.parent
            out["labels"].append(item)
        if self.attributes:
            out["attributes"] = [_drop_empty(vars(a)) for a in self.attributes]
        if self.relations:
            out["relations"] = [
                _drop_empty(
                    {
                        "key": r.key,
                        "name": r.name,
                        "from": list(r.from_labels),
                        "to": list(r.to_labels),
                        "description": r.description,
                    }
                )
                for r in self.relations
            ]
        return out

    def to_yaml(self) -> str:
        import yaml  # only to write one (importing PyYAML costs every start 0.01 s)

        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=88)


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in d.items()
        if v not in ("", (), [], None)
    }


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


MAX_DEPTH = 64
MAX_CHARS = 2_000_000
MAX_MERGED = 10_000


def load_codebook(text: str, source: str | None = None) -> Codebook:
    """Parse and validate codebook YAML; raise :class:`CodebookError` naming the line."""
    if len(text) > MAX_CHARS:
        raise CodebookError(
            f"the codebook is {len(text) // 1000} KB; a codebook may be up to "
            f"{MAX_CHARS // 1000} KB",
            None,
            source,
        )
    from annotator.core.codebook_reader import parse_yaml  # PyYAML: only to read one

    data = parse_yaml(text, source)
    return _validate(data, source)


def _validate(data: Any, source: str | None) -> Codebook:
    def fail(message: str, line: int | None) -> CodebookError:
        return CodebookError(message, line, source)

    if not isinstance(data, _LineDict):
        raise fail("a codebook is a mapping with at least 'labels'", 1)
    known = {"name", "labels", "attributes", "relations", "version", "description"}
    for key in data:
        if key not in known:
            raise fail(
                f"unknown field '{key}' (expected {', '.join(sorted(known))})", data.key_lines[key]
            )
    raw_labels = data.get("labels")
    if not isinstance(raw_labels, list) or not raw_labels:
        raise fail(
            "'labels' must be a non-empty list of labels", data.key_lines.get("labels", data.line)
        )
    labels: list[Label] = []
    hotkeys: dict[str, Label] = {}  # by the key pressed (either case)
    seen: set[str] = set()
    lines: dict[str, int] = {}
    for raw, nested_in in _flatten_labels(raw_labels, fail, data.key_lines["labels"]):
        label = _label(raw, fail, data.key_lines["labels"], nested_in)
        if label.key in seen:
            raise fail(f"label key '{label.key}' is used twice", raw.line)
        seen.add(label.key)
        lines[label.key] = raw.key_lines.get("parent", raw.line)
        if label.hotkey:
            same = hotkeys.get(label.hotkey.casefold())
            if same is not None:
                raise fail(_hotkey_taken(label.hotkey, same), raw.key_lines["hotkey"])
            hotkeys[label.hotkey.casefold()] = label
        labels.append(label)
    try:
        labels = tree_order(labels)
    except TreeError as exc:
        raise fail(str(exc), lines.get(exc.key)) from None
    keys = {label.key for label in labels}
    attributes = [
        _attribute(raw, keys, fail, data.key_lines.get("attributes", 1))
        for raw in _list(data, "attributes", fail)
    ]
    _unique([a.key for a in attributes], "attribute", fail, data.key_lines.get("attributes"))
    relations = [
        _relation(raw, keys, fail, data.key_lines.get("relations", 1))
        for raw in _list(data, "relations", fail)
    ]
    _unique([r.key for r in relations], "relation type", fail, data.key_lines.get("relations"))
    name = data.get("name", "Codebook")
    if not isinstance(name, str):
        raise fail("'name' must be text", data.key_lines["name"])
    return Codebook(name, tuple(labels), tuple(attributes), tuple(relations))


def _list(data: _LineDict, key: str, fail: Any) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(f"'{key}' must be a list", data.key_lines[key])
    return value


def _unique(keys: list[str], what: str, fail: Any, line: int | None) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise fail(f"{what} key '{key}' is used twice", line)
        seen.add(key)


def _text(raw: _LineDict, key: str, fail: Any, *, required: bool = False, default: str = "") -> str:
    value = raw.get(key)
    if value is None:
        if required:
            raise fail(f"'{key}' is missing", raw.line)
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise fail(f"'{key}' must be text", raw.key_lines[key])
    return str(value).strip()


def _key(raw: _LineDict, fail: Any) -> str:
    key = _text(raw, "key", fail, required=True)
    if not KEY_RE.match(key):
        raise fail(
            f"key '{key}' must be 1 to 64 characters on one line, without surrounding spaces",
            raw.key_lines["key"],
        )
    return key


def _label_list(raw: _LineDict, field_name: str, keys: set[str], fail: Any) -> tuple[str, ...]:
    value = raw.get(field_name)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(f"'{field_name}' must be a list of label keys", raw.key_lines[field_name])
    for v in value:
        if v not in keys:
            raise fail(
                f"'{field_name}' names label '{v}', which the codebook does not have",
                raw.key_lines[field_name],
            )
    return tuple(value)


def _flatten_labels(raw_labels: list[Any], fail: Any, line: int) -> list[tuple[Any, str | None]]:
    """Each label mapping with the key of the label it is nested in (``children:``)."""
    out: list[tuple[Any, str | None]] = []
    stack: list[tuple[Any, str | None]] = [(raw, None) for raw in reversed(raw_labels)]
    while stack:
        raw, nested_in = stack.pop()
        out.append((raw, nested_in))
        if not isinstance(raw, _LineDict) or raw.get("children") is None:
            continue
        kids = raw["children"]
        if not isinstance(kids, list):
            raise fail("'children' must be a list of labels", raw.key_lines["children"])
        key = raw.get("key")
        stack.extend((kid, key if isinstance(key, str) else None) for kid in reversed(kids))
    return out


def _label(raw: Any, fail: Any, line: int, nested_in: str | None = None) -> Label:
    if not isinstance(raw, _LineDict):
        raise fail("each label is a mapping with key, name and colour", line)
    allowed = {"key", "name", "colour", "color", "hotkey", "description"}
    allowed |= {"parent", "children", "guid"}
    for k in raw:
        if k not in allowed:
            raise fail(f"unknown label field '{k}'", raw.key_lines[k])
    key = _key(raw, fail)
    colour = _text(raw, "colour", fail) or _text(raw, "color", fail)
    if not COLOUR_RE.match(colour):
        where = raw.key_lines.get("colour", raw.key_lines.get("color", raw.line))
        raise fail(f"label '{key}': colour must look like #1f77b4, not '{colour}'", where)
    parent = _text(raw, "parent", fail) or None
    if nested_in is not None and parent is not None and parent != nested_in:
        raise fail(
            f"label '{key}' is nested in '{nested_in}' but names parent '{parent}'",
            raw.key_lines["parent"],
        )
    return Label(
        key=key,
        name=_text(raw, "name", fail, default=key) or key,
        colour=colour.lower(),
        hotkey=_hotkey(raw, key, fail),
        description=_text(raw, "description", fail),
        parent=parent or nested_in,
        guid=_text(raw, "guid", fail) or None,
    )


def _hotkey(raw: _LineDict, key: str, fail: Any) -> str | None:
    value = raw.get("hotkey")
    if value is None or value == "":
        return None
    line = raw.key_lines["hotkey"]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise fail("'hotkey' must be text", line)
    hotkey = str(value).strip()
    if not hotkey:  # white space only: a Tab, a space, a line break (was dropped silently)
        text = str(value)
        hotkey = "tab" if "\t" in text else "return" if "\n" in text or "\r" in text else "space"
    unusable = UNUSABLE_KEYS.get(hotkey.casefold())
    if unusable is not None:
        name, use = unusable
        raise fail(
            f"label '{key}': {name} cannot be a hotkey, {use}; a hotkey is one letter or digit",
            line,
        )
    if not HOTKEY_RE.match(hotkey):
        raise fail(f"label '{key}': a hotkey is one letter or digit, not '{hotkey}'", line)
    return hotkey


def _hotkey_taken(hotkey: str, other: Label) -> str:
    if other.hotkey == hotkey:
        return f"hotkey {hotkey} is used by '{other.key}' already"
    return (
        f"hotkey {hotkey} is the same key as {other.hotkey}, the hotkey of '{other.key}' "
        "(the window does not tell capitals apart)"
    )


def _attribute(raw: Any, keys: set[str], fail: Any, line: int) -> AttributeDef:
    if not isinstance(raw, _LineDict):
        raise fail("each attribute is a mapping with key and type", line)
    key = _key(raw, fail)
    kind = _text(raw, "type", fail, default="text")
    if kind not in ATTRIBUTE_TYPES:
        raise fail(
            f"attribute '{key}': type must be one of {', '.join(ATTRIBUTE_TYPES)}",
            raw.key_lines.get("type", raw.line),
        )
    choices_raw = raw.get("choices") or []
    if not isinstance(choices_raw, list):
        raise fail(f"attribute '{key}': choices must be a list", raw.key_lines["choices"])
    if not all(isinstance(c, str | int | float) for c in choices_raw):
        raise fail(
            f"attribute '{key}': choices must be a list of words or numbers",
            raw.key_lines["choices"],
        )
    choices = tuple(str(c) for c in choices_raw)
    if kind == "choice" and not choices:
        raise fail(f"attribute '{key}': a choice attribute needs 'choices'", raw.line)
    default = raw.get("default")
    if default is not None and not isinstance(default, str | int | float):
        raise fail(
            f"attribute '{key}': default must be a word or a number", raw.key_lines["default"]
        )
    default_text = None if default is None else str(default)
    if kind == "choice" and default_text is not None and default_text not in choices:
        raise fail(
            f"attribute '{key}': default '{default_text}' is not one of its choices",
            raw.key_lines["default"],
        )
    return AttributeDef(
        key=key,
        name=_text(raw, "name", fail, default=key) or key,
        type=kind,
        labels=_label_list(raw, "labels", keys, fail),
        choices=choices,
        default=default_text,
        description=_text(raw, "description", fail),
    )


def _relation(raw: Any, keys: set[str], fail: Any, line: int) -> RelationType:
    if not isinstance(raw, _LineDict):
        raise fail("each relation type is a mapping with key, from and to", line)
    key = _key(raw, fail)
    return RelationType(
        key=key,
        name=_text(raw, "name", fail, default=key) or key,
        from_labels=_label_list(raw, "from", keys, fail),
        to_labels=_label_list(raw, "to", keys, fail),
        description=_text(raw, "description", fail),
    )


def default_codebook_text() -> str:
    """The bundled political-claims codebook as YAML text."""
    return (
        resources.files("annotator.resources")
        .joinpath("codebooks/political-claims.yaml")
        .read_text("utf-8")
    )


def default_codebook() -> Codebook:
    return load_codebook(default_codebook_text(), "political-claims.yaml")
