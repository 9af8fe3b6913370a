"""Pure changes of a :class:`Codebook` that the editor makes (no Qt, no store).

Each returns a new codebook; the store checks it by the YAML loader's rules
(store/codebook/codebook_edits.apply_codebook) when the edit is applied.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.core.codebook import AttributeDef, Codebook, Label, RelationType

# Okabe & Ito (2008), colours that readers with any common colour-vision deficiency
# can tell apart; offered first for a new label.
OKABE_ITO = (
    ("#e69f00", "orange"),
    ("#56b4e9", "sky blue"),
    ("#009e73", "bluish green"),
    ("#f0e442", "yellow"),
    ("#0072b2", "blue"),
    ("#d55e00", "vermillion"),
    ("#cc79a7", "reddish purple"),
    ("#000000", "black"),
)
CHOICES_LINE = "Choices: "  # the last line of an attribute's description names its choices


def with_labels(codebook: Codebook, labels: list[Label]) -> Codebook:
    return Codebook(
        codebook.name, tuple(tree_order(labels)), codebook.attributes, codebook.relations
    )


def tree_order(labels: list[Label]) -> list[Label]:
    """*labels* in tree pre-order, siblings in their given order (parents unknown: top)."""
    keys = {label.key for label in labels}
    kids: dict[str | None, list[Label]] = {}
    for label in labels:
        parent = label.parent if label.parent in keys else None
        kids.setdefault(parent, []).append(label)
    out: list[Label] = []
    stack = list(reversed(kids.get(None, [])))
    seen: set[str] = set()
    while stack:
        label = stack.pop()
        if label.key in seen:
            continue
        seen.add(label.key)
        out.append(label)
        stack.extend(reversed(kids.get(label.key, [])))
    out.extend(label for label in labels if label.key not in seen)  # a cycle: the loader says
    return out


def new_key(codebook: Codebook, base: str = "label") -> str:
    keys = set(codebook.keys())
    if base not in keys:
        return base
    n = 2
    while f"{base}-{n}" in keys:
        n += 1
    return f"{base}-{n}"


def next_colour(codebook: Codebook) -> str:
    used = {label.colour.lower() for label in codebook.labels}
    for colour, _name in OKABE_ITO:
        if colour not in used:
            return colour
    return OKABE_ITO[len(codebook.labels) % len(OKABE_ITO)][0]


def add_label(codebook: Codebook, parent: str | None = None) -> tuple[Codebook, Label]:
    key = new_key(codebook)
    label = Label(key, key.replace("-", " ").capitalize(), next_colour(codebook), parent=parent)
    labels = list(codebook.labels)
    if parent is None:
        labels.append(label)
    else:  # after the parent's last descendant
        below = [i for i, lab in enumerate(labels) if parent in codebook.ancestors(lab.key)]
        at = (below[-1] if below else labels.index(codebook._by_key[parent])) + 1
        labels.insert(at, label)
    return with_labels(codebook, labels), label


def replace_label(codebook: Codebook, old_key: str, label: Label) -> Codebook:
    """*label* in place of *old_key* (a new key renames: children, attributes and
    relation types follow)."""
    labels = []
    for lab in codebook.labels:
        if lab.key == old_key:
            lab = label
        elif lab.parent == old_key:
            lab = replace(lab, parent=label.key)
        labels.append(lab)
    renamed: dict[str, str | None] = {old_key: label.key}
    return Codebook(
        codebook.name,
        tuple(tree_order(labels)),
        _attributes_renamed(codebook.attributes, renamed),
        _relations_renamed(codebook.relations, renamed),
    )


def drop_label(codebook: Codebook, key: str, into: str | None = None) -> Codebook:
    """*codebook* without label *key*: its children go up to its parent; attribute and
    relation types that named it name *into* instead (a merge), or no longer name it."""
    gone = codebook._by_key[key]
    labels = [
        replace(lab, parent=gone.parent) if lab.parent == key else lab
        for lab in codebook.labels
        if lab.key != key
    ]
    renamed: dict[str, str | None] = {key: into}
    return Codebook(
        codebook.name,
        tuple(tree_order(labels)),
        _attributes_renamed(codebook.attributes, renamed),
        _relations_renamed(codebook.relations, renamed),
    )


def _keys(keys: tuple[str, ...], renamed: dict[str, str | None]) -> tuple[str, ...]:
    out = [renamed.get(k, k) for k in keys]
    return tuple(dict.fromkeys(k for k in out if k is not None))


def _attributes_renamed(
    attributes: tuple[AttributeDef, ...], renamed: dict[str, str | None]
) -> tuple[AttributeDef, ...]:
    out = []
    for a in attributes:
        labels = _keys(a.labels, renamed)
        if a.labels and not labels:
            continue  # it applied to the dropped label only: it goes with it
        out.append(replace(a, labels=labels))
    return tuple(out)


def _relations_renamed(
    relations: tuple[RelationType, ...], renamed: dict[str, str | None]
) -> tuple[RelationType, ...]:
    out = []
    for r in relations:
        froms, tos = _keys(r.from_labels, renamed), _keys(r.to_labels, renamed)
        if (r.from_labels and not froms) or (r.to_labels and not tos):
            continue
        out.append(replace(r, from_labels=froms, to_labels=tos))
    return tuple(out)


def move(codebook: Codebook, key: str, how: str) -> Codebook | None:
    """Move label *key* ``up``/``down`` among its siblings, ``in`` (under the previous
    sibling, as its last child) or ``out`` (after its parent); None when it cannot."""
    label = codebook._by_key[key]
    siblings = [lab.key for lab in codebook.children(label.parent)]
    i = siblings.index(key)
    labels = list(codebook.labels)
    if how in ("up", "down"):
        j = i - 1 if how == "up" else i + 1
        if not 0 <= j < len(siblings):
            return None
        siblings[i], siblings[j] = siblings[j], siblings[i]
        rank = {k: n for n, k in enumerate(siblings)}
        return with_labels(codebook, sorted(labels, key=lambda lab: rank.get(lab.key, -1)))
    if how == "in":
        if i == 0:
            return None
        target = siblings[i - 1]
        labels = [replace(lab, parent=target) if lab.key == key else lab for lab in labels]
        # last among the new siblings: after every label now under target
        moved = next(lab for lab in labels if lab.key == key)
        labels.remove(moved)
        labels.append(moved)
        return with_labels(codebook, labels)
    if how == "out":
        if label.parent is None:
            return None
        parent = codebook._by_key[label.parent]
        labels = [replace(lab, parent=parent.parent) if lab.key == key else lab for lab in labels]
        moved = next(lab for lab in labels if lab.key == key)
        labels.remove(moved)
        at = labels.index(parent) + 1  # right after its old parent among the siblings
        labels.insert(at, moved)
        return with_labels(codebook, labels)
    raise ValueError(how)


def with_attribute(codebook: Codebook, old_key: str | None, attribute: AttributeDef) -> Codebook:
    """*attribute* added (old_key None) or in place of *old_key*."""
    items = list(codebook.attributes)
    keys = [a.key for a in items]
    if old_key is None:
        items.append(attribute)
    else:
        items[keys.index(old_key)] = attribute
    return replace_parts(codebook, attributes=tuple(items))


def with_relation(codebook: Codebook, old_key: str | None, relation: RelationType) -> Codebook:
    items = list(codebook.relations)
    keys = [r.key for r in items]
    if old_key is None:
        items.append(relation)
    else:
        items[keys.index(old_key)] = relation
    return replace_parts(codebook, relations=tuple(items))


def replace_parts(
    codebook: Codebook,
    *,
    attributes: tuple[AttributeDef, ...] | None = None,
    relations: tuple[RelationType, ...] | None = None,
) -> Codebook:
    return Codebook(
        codebook.name,
        codebook.labels,
        codebook.attributes if attributes is None else attributes,
        codebook.relations if relations is None else relations,
    )


def parse_choices(text: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """Choices typed one a line, "VALUE words": the values (stored as the choices) and
    the words that describe each ("-1 against" -> "-1", {"-1": "against"})."""
    values: list[str] = []
    words: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        value, _, rest = line.partition(" ")
        values.append(value)
        if rest.strip():
            words[value] = " ".join(rest.split())
    return tuple(values), words


def choices_text(attribute: AttributeDef) -> str:
    """The choices one a line with their words (read back from the description)."""
    words = choice_words(attribute.description)
    return "\n".join(
        f"{value} {words[value]}" if value in words else value for value in attribute.choices
    )


def choice_words(description: str) -> dict[str, str]:
    last = description.rstrip().rpartition("\n")[2]
    if not last.startswith(CHOICES_LINE):
        return {}
    out = {}
    for item in last[len(CHOICES_LINE) :].split(" / "):
        value, _, words = item.strip().partition(" ")
        if value and words:
            out[value] = words
    return out


def plain_description(description: str) -> str:
    """The attribute's description without its choices line."""
    head, _, last = description.rstrip().rpartition("\n")
    if last.startswith(CHOICES_LINE):
        return head.rstrip()
    if not head and description.startswith(CHOICES_LINE):
        return ""
    return description


def described(description: str, values: tuple[str, ...], words: dict[str, str]) -> str:
    """*description* with the choices line that keeps *words* ("" when there are none)."""
    text = plain_description(description).rstrip()
    if not any(v in words for v in values):
        return text
    line = CHOICES_LINE + " / ".join(f"{v} {words[v]}" if v in words else v for v in values)
    return f"{text}\n{line}" if text else line
