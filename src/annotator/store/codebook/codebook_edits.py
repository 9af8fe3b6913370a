"""Editing the codebook of an open project: the whole new codebook is checked by the
rules of the YAML loader, then written over the old one, keeping label ids.

Every edit of the window's codebook editor is one call of :func:`apply_codebook` with
the codebook as it should be (and the keys renamed on the way); undo applies the one
before. Annotations are never lost by it: a label that still has annotations cannot be
dropped; :func:`move_annotations` first moves them (merging two labels) or
``Project.delete_annotations`` removes them (after the user confirmed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from annotator.core.codebook import Codebook, load_codebook
from annotator.core.errors import CodebookError, InputError
from annotator.store.codebook.codebook_tables import add_to_codebook

if TYPE_CHECKING:
    from annotator.store.project import Project


def check_codebook(codebook: Codebook) -> Codebook:
    """*codebook* checked by exactly the rules a YAML codebook file is checked by."""
    try:
        return load_codebook(codebook.to_yaml())
    except CodebookError as exc:
        raise InputError(exc.message) from None


def label_usage(project: Project) -> dict[str, int]:
    """Label key -> number of annotations (every coder)."""
    rows = project.execute(
        "SELECT l.key, count(a.id) FROM labels l LEFT JOIN annotations a ON a.label_id = l.id "
        "GROUP BY l.id"
    )
    return dict(rows.fetchall())


def apply_codebook(
    project: Project,
    new: Codebook,
    *,
    renamed_labels: Mapping[str, str] = {},
    renamed_attributes: Mapping[str, str] = {},
) -> Codebook:
    """Make *new* the project's codebook; return the one before (for undo).

    *renamed_labels* / *renamed_attributes* map old keys to new ones (annotations and
    attribute values follow). A label left out that still has annotations is refused,
    as is anything the YAML loader would refuse; nothing changes then.
    """
    old = project.codebook()
    old_keys = {label.key for label in old.labels}
    for before, after in renamed_labels.items():
        if before not in old_keys:
            raise InputError(f"there is no label '{before}' to rename")
        if new.label(after) is None:
            raise InputError(f"the renamed label '{after}' is not in the new codebook")
    kept = {renamed_labels.get(key, key) for key in old_keys}
    used = label_usage(project)
    for key in old_keys:
        if renamed_labels.get(key, key) not in {label.key for label in new.labels} and used.get(
            key
        ):
            raise InputError(
                f"label '{key}' has {used[key]} annotation(s); move or delete them first"
            )
    values = attribute_usage(project)
    new_attributes = {a.key for a in new.attributes}
    for key, count in values.items():
        if renamed_attributes.get(key, key) not in new_attributes and count:
            raise InputError(f"attribute '{key}' has {count} value(s); delete them first")
    new = check_codebook(new)
    conn = project.db.conn
    with project.transaction():
        ids = dict(conn.execute("SELECT key, id FROM labels").fetchall())
        new_ids = {renamed_labels.get(key, key): label_id for key, label_id in ids.items()}
        gone = [ids[key] for key in old_keys if renamed_labels.get(key, key) not in new._by_key]
        # keys are unique: move every kept label's key aside first, so renames may swap
        conn.executemany(
            "UPDATE labels SET key = ? WHERE id = ?",
            [(f"\x00{label_id}", label_id) for label_id in ids.values()],
        )
        conn.executemany("DELETE FROM labels WHERE id = ?", [(i,) for i in gone])
        for position, label in enumerate(new.labels):
            row = (label.key, label.name, label.colour, label.hotkey, label.description,
                      position, label.guid)  # fmt: skip
            if label.key in new_ids and label.key in kept:
                conn.execute(
                    "UPDATE labels SET key = ?, name = ?, colour = ?, hotkey = ?, "
                    "description = ?, position = ?, guid = ?, parent_id = NULL WHERE id = ?",
                    (*row, new_ids[label.key]),
                )
            else:
                conn.execute(
                    "INSERT INTO labels(key, name, colour, hotkey, description, position, guid) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
        conn.executemany(
            "UPDATE labels SET parent_id = (SELECT id FROM labels WHERE key = ?) WHERE key = ?",
            [(label.parent, label.key) for label in new.labels if label.parent is not None],
        )
        conn.executemany(
            "UPDATE annotation_attributes SET key = ? WHERE key = ?",
            [(after, before) for before, after in renamed_attributes.items()],
        )
        conn.execute("DELETE FROM attribute_types")
        conn.execute("DELETE FROM relation_types")
        add_to_codebook(conn, (), new.attributes, new.relations)  # in the new order
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('codebook_name', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (new.name,),
        )
    project.forget_cached()
    return old


def move_annotations(project: Project, from_label: str, to_label: str) -> list[int]:
    """Give every annotation of *from_label* the label *to_label*; return their ids."""
    ids = project.label_ids()
    for key in (from_label, to_label):
        if key not in ids:
            raise InputError(f"there is no label '{key}' in the codebook")
    moved = [
        row[0]
        for row in project.execute(
            "SELECT id FROM annotations WHERE label_id = ? ORDER BY id", (ids[from_label],)
        )
    ]
    set_label(project, moved, to_label)
    return moved


def set_label(project: Project, annotation_ids: Sequence[int], label: str) -> None:
    """Give the annotations *annotation_ids* the label *label* (undo of a move)."""
    label_id = project.label_ids().get(label)
    if label_id is None:
        raise InputError(f"there is no label '{label}' in the codebook")
    with project.transaction():
        project.db.conn.executemany(
            "UPDATE annotations SET label_id = ? WHERE id = ?",
            [(label_id, i) for i in annotation_ids],
        )


def attribute_usage(project: Project) -> dict[str, int]:
    """Attribute key -> number of annotations that have a value of it."""
    rows = project.execute("SELECT key, count(*) FROM annotation_attributes GROUP BY key")
    return dict(rows.fetchall())


def delete_attribute_values(project: Project, key: str) -> list[tuple[int, str, str]]:
    """Remove every value of attribute *key*; return them (for undo)."""
    rows = project.execute(
        "SELECT annotation_id, key, value FROM annotation_attributes WHERE key = ?", (key,)
    ).fetchall()
    with project.transaction():
        project.execute("DELETE FROM annotation_attributes WHERE key = ?", (key,))
    return [tuple(r) for r in rows]  # type: ignore[misc]


def restore_attribute_values(project: Project, rows: Sequence[tuple[int, str, str]]) -> None:
    with project.transaction():
        project.db.conn.executemany(
            "INSERT OR REPLACE INTO annotation_attributes(annotation_id, key, value) "
            "VALUES (?, ?, ?)",
            rows,
        )
