"""The codebook part of :class:`~annotator.store.project.Project`: labels, attribute
and relation types, cached until a change (kept apart so each module has one job)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING

from annotator.core.codebook import HOTKEY_RE, KEY_RE, Codebook, Label
from annotator.core.errors import InputError
from annotator.store.codebook.codebook_tables import (
    EXTRA_COLOURS,
    add_to_codebook,
    read_codebook,
    read_labels,
    write_codebook,
)

NEW_LABELS_OPTION = "--max-new-labels"


def check_new_labels(count: int, limit: int | None, what: str = "labels") -> None:
    """Refuse an import that would add more than *limit* labels (or attribute or
    relation types: *what*) to the codebook."""
    if limit is not None and count > limit:
        raise InputError(
            f"the import would add {count} new {what} to the codebook, more than the "
            f"{limit} allowed at once; check that the file is meant for this project, or "
            f"allow more with {NEW_LABELS_OPTION} {count}"
        )


class CodebookMixin:
    """Codebook methods of ``Project``."""

    _conn: sqlite3.Connection
    _labels: list[Label] | None
    _codebook: Codebook | None
    _label_ids: dict[str, int]

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[None]: ...

    def _write_codebook(self, codebook: Codebook) -> None:
        write_codebook(self._conn, codebook)
        self._labels = self._codebook = None

    def merge_codebook(
        self,
        codebook: Codebook,
        *,
        plain_keys: Iterable[str] = (),
        max_new_labels: int | None = None,
    ) -> list[str]:
        """Add the labels, attribute types and relation types of *codebook* that the
        project lacks (existing ones are kept as they are), and a plain label for each of
        *plain_keys* that neither has; return what was added.

        This is where every import grows the codebook: more than *max_new_labels* new
        labels (None: no bound), or as many new attribute or relation types, are refused
        with :class:`InputError` and nothing changes (each would be a palette entry or a
        menu item in the window).
        """
        current = self.codebook()
        have_labels = {label.key for label in current.labels}
        # hotkeys as the window tells them apart (a and A are one key); one already
        # taken, or one the window cannot use, is left off the new label
        have_hotkeys = {label.hotkey.casefold() for label in current.labels if label.hotkey}
        labels = []
        for label in codebook.labels:
            if label.key not in have_labels:
                hotkey = label.hotkey
                if hotkey and (hotkey.casefold() in have_hotkeys or not HOTKEY_RE.match(hotkey)):
                    hotkey = None
                labels.append(replace(label, hotkey=hotkey))
                have_labels.add(label.key)
                if hotkey:
                    have_hotkeys.add(hotkey.casefold())
        plain = [k for k in dict.fromkeys(plain_keys) if k not in have_labels]
        for key in plain:
            if not KEY_RE.match(key):
                raise InputError(f"'{key}' cannot be a label key (1 to 64 characters on one line)")
        start = len(current.labels) + len(labels)
        labels += [
            Label(key, key, EXTRA_COLOURS[(start + i) % len(EXTRA_COLOURS)])
            for i, key in enumerate(plain)
        ]
        check_new_labels(len(labels), max_new_labels)
        attributes = [
            a for a in codebook.attributes if a.key not in {b.key for b in current.attributes}
        ]
        relations = [
            r for r in codebook.relations if r.key not in {t.key for t in current.relations}
        ]
        check_new_labels(len(attributes), max_new_labels, "attribute types")
        check_new_labels(len(relations), max_new_labels, "relation types")
        if not (labels or attributes or relations):
            return []
        with self.transaction():
            add_to_codebook(self._conn, labels, attributes, relations)
        self._labels = self._codebook = None
        return (
            [f"label {x.key}" for x in labels]
            + [f"attribute {x.key}" for x in attributes]
            + [f"relation type {x.key}" for x in relations]
        )

    def ensure_labels(self, keys: Iterable[str], max_new_labels: int | None = None) -> list[str]:
        """Add plain labels for *keys* the codebook lacks (imports of foreign data);
        return the keys added. Colours come from a palette colour-blind readers can tell
        apart. More than *max_new_labels* new ones are refused (see :meth:`merge_codebook`)."""
        added = self.merge_codebook(
            Codebook("imported", ()), plain_keys=keys, max_new_labels=max_new_labels
        )
        return [entry.removeprefix("label ") for entry in added]

    def labels(self) -> list[Label]:
        """The codebook's labels in their order."""
        if self._labels is None:
            pairs = read_labels(self._conn)
            self._labels = [label for _id, label in pairs]
            self._label_ids = {label.key: label_id for label_id, label in pairs}
        return list(self._labels)

    def label_ids(self) -> dict[str, int]:
        """Label key -> the integer id used in the file (and in span indexes)."""
        self.labels()
        return dict(self._label_ids)

    def codebook(self) -> Codebook:
        """The project's codebook: labels, attribute types and relation types."""
        if self._codebook is None:
            self._codebook = read_codebook(self._conn)
        return self._codebook

    def _label_id(self, key: str) -> int:
        self.labels()
        try:
            return self._label_ids[key]
        except KeyError:
            known = ", ".join(self._label_ids)
            raise InputError(
                f"there is no label '{key}' in the codebook (labels: {known})"
            ) from None
