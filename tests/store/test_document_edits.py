"""Renaming and reordering documents, kept in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.store import Project
from annotator.store.documents.document_edits import rename_document, set_document_order


def test_rename_and_reorder_survive_reopening_and_new_documents_come_last(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        for title in ("a", "b", "c"):
            project.add_document(f"Text {title}.", title)
        assert rename_document(project, 2, "  Le Monde, 3 March  ") == "b"
        assert set_document_order(project, [3, 1, 2]) == [1, 2, 3]
        project.add_document("Text d.", "d")
    with Project.open(path) as project:
        assert [d.title for d in project.documents()] == ["c", "a", "Le Monde, 3 March", "d"]


@pytest.mark.parametrize("title", ["", "   ", "two\nlines", "nul\x00", "x" * 1001])
def test_a_bad_title_is_refused_and_changes_nothing(tmp_path: Path, title: str) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        project.add_document("Text.", "kept")
        with pytest.raises(AnnotatorError) as caught:
            rename_document(project, 1, title)
        assert "\n" not in str(caught.value)
        assert project.document(1).title == "kept"


def test_an_order_must_name_every_document_once(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        project.add_document("Text a.", "a")
        project.add_document("Text b.", "b")
        for order in ([1], [1, 1], [1, 2, 3]):
            with pytest.raises(AnnotatorError, match="every document of the project once"):
                set_document_order(project, order)
        assert [d.id for d in project.documents()] == [1, 2]
