"""The codebook as stored in the project file (labels, attribute and relation types)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from annotator.core.codebook import AttributeDef, Codebook, Label, RelationType
from annotator.core.label_tree import TreeError, tree_order

# Okabe-Ito and Tol's muted palette: for labels added by imports of foreign data.
EXTRA_COLOURS = (
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#332288",
    "#88ccee",
    "#44aa99",
    "#117733",
    "#999933",
    "#ddcc77",
    "#cc6677",
    "#882255",
    "#aa4499",
)


def write_codebook(conn: sqlite3.Connection, codebook: Codebook) -> None:
    """Insert *codebook* into empty codebook tables (inside the caller's transaction)."""
    add_to_codebook(conn, codebook.labels, codebook.attributes, codebook.relations)
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('codebook_name', ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (codebook.name,),
    )


def add_to_codebook(
    conn: sqlite3.Connection,
    labels: Sequence[Label],
    attributes: Sequence[AttributeDef],
    relations: Sequence[RelationType],
) -> None:
    """Append codebook entries after the existing ones (caller's transaction)."""

    def next_position(table: str) -> int:
        return int(
            conn.execute(f"SELECT coalesce(max(position) + 1, 0) FROM {table}").fetchone()[0]
        )

    base = next_position("labels")
    conn.executemany(
        "INSERT INTO labels(key, name, colour, hotkey, description, position, guid) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (lab.key, lab.name, lab.colour, lab.hotkey, lab.description, base + i, lab.guid)
            for i, lab in enumerate(labels)
        ],
    )
    # parents last: a label may name one that comes later in *labels*
    conn.executemany(
        "UPDATE labels SET parent_id = (SELECT id FROM labels WHERE key = ?) WHERE key = ?",
        [(lab.parent, lab.key) for lab in labels if lab.parent is not None],
    )
    base = next_position("attribute_types")
    conn.executemany(
        'INSERT INTO attribute_types(key, name, type, labels, choices, "default", '
        "description, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                a.key,
                a.name,
                a.type,
                json.dumps(a.labels),
                json.dumps(a.choices),
                a.default,
                a.description,
                base + i,
            )
            for i, a in enumerate(attributes)
        ],
    )
    base = next_position("relation_types")
    conn.executemany(
        "INSERT INTO relation_types(key, name, from_labels, to_labels, description, position)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                r.key,
                r.name,
                json.dumps(r.from_labels),
                json.dumps(r.to_labels),
                r.description,
                base + i,
            )
            for i, r in enumerate(relations)
        ],
    )


def read_labels(conn: sqlite3.Connection) -> list[tuple[int, Label]]:
    """``(id, label)`` pairs in codebook order: tree pre-order, siblings by position."""
    rows = conn.execute(
        "SELECT l.id, l.key, l.name, l.colour, l.hotkey, l.description, p.key, l.guid "
        "FROM labels l LEFT JOIN labels p ON p.id = l.parent_id ORDER BY l.position"
    ).fetchall()
    pairs = [(r[0], Label(r[1], r[2], r[3], r[4], r[5], r[6], r[7])) for r in rows]
    if any(label.parent is not None for _id, label in pairs):
        ids = {label.key: label_id for label_id, label in pairs}
        try:
            ordered = tree_order([lab for _i, lab in pairs])
        except TreeError:  # a cycle written by hand: shown flat, in stored order
            return pairs
        pairs = [(ids[label.key], label) for label in ordered]
    return pairs


def read_codebook(conn: sqlite3.Connection) -> Codebook:
    attributes = tuple(
        AttributeDef(r[0], r[1], r[2], tuple(json.loads(r[3])), tuple(json.loads(r[4])), r[5], r[6])
        for r in conn.execute(
            'SELECT key, name, type, labels, choices, "default", description '
            "FROM attribute_types ORDER BY position"
        )
    )
    relations = tuple(
        RelationType(r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])), r[4])
        for r in conn.execute(
            "SELECT key, name, from_labels, to_labels, description FROM relation_types "
            "ORDER BY position"
        )
    )
    row = conn.execute("SELECT value FROM meta WHERE key = 'codebook_name'").fetchone()
    labels = tuple(label for _id, label in read_labels(conn))
    return Codebook(row[0] if row else "Codebook", labels, attributes, relations)
