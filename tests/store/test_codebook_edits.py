"""Editing the codebook of a project: checked as the YAML loader checks, ids kept,
annotations never lost, every edit undone by applying the codebook before."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.codebook import AttributeDef, Label
from annotator.core.errors import InputError
from annotator.store import Project
from annotator.store.codebook.codebook_edits import (
    apply_codebook,
    delete_attribute_values,
    move_annotations,
    restore_attribute_values,
    set_label,
)

TEXT = "France's Senate adopted a resolution calling for the release of detainees."


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = Project.create(tmp_path / "p.annot")
    doc = p.add_document(TEXT, "d")
    p.annotate(doc, 0, 15, "actor")
    claim = p.annotate(doc, 16, 74, "claim")
    p.set_attribute(claim.id, "position", "+1")
    return p


def _labels(project: Project) -> list[tuple[str, str | None]]:
    return [(lab.key, lab.parent) for lab in project.codebook().labels]


def test_add_nest_rename_recolour_and_undo(project: Project, tmp_path: Path) -> None:
    ids = project.label_ids()
    book = project.codebook()
    new = replace(
        book,
        labels=(
            *[replace(lab, key="speaker", name="Speaker") if lab.key == "actor" else lab
              for lab in book.labels],
            Label("party", "Party", "#117733", "p", "A political party.", parent="speaker"),
        ),
        relations=tuple(
            replace(r, from_labels=tuple("speaker" if k == "actor" else k for k in r.from_labels),
                    to_labels=tuple("speaker" if k == "actor" else k for k in r.to_labels))
            for r in book.relations
        ),
        attributes=tuple(
            replace(a, labels=tuple("speaker" if k == "actor" else k for k in a.labels))
            for a in book.attributes
        ),
    )  # fmt: skip
    before = apply_codebook(project, new, renamed_labels={"actor": "speaker"})
    assert project.label_ids()["speaker"] == ids["actor"]  # the same row: annotations follow
    assert [a.label for a in project.annotations(1)] == ["speaker", "claim"]
    assert ("party", "speaker") in _labels(project)
    assert (
        project.codebook().keys().index("party") == project.codebook().keys().index("speaker") + 1
    )
    project.close()
    with Project.open(tmp_path / "p.annot") as again:
        assert again.codebook().label("party").hotkey == "p"
        apply_codebook(again, before, renamed_labels={"speaker": "actor"})  # undo
        assert again.codebook() == before
        assert [a.label for a in again.annotations(1)] == ["actor", "claim"]


def test_merging_two_labels_moves_annotations_and_undo_puts_them_back(project: Project) -> None:
    book = project.codebook()
    moved = move_annotations(project, "actor", "claim")
    before = apply_codebook(
        project,
        replace(
            book,
            labels=tuple(lab for lab in book.labels if lab.key != "actor"),
            relations=tuple(
                replace(
                    r,
                    from_labels=tuple(k for k in r.from_labels if k != "actor"),
                    to_labels=tuple(k for k in r.to_labels if k != "actor"),
                )
                for r in book.relations
            ),
            attributes=tuple(
                replace(a, labels=tuple(k for k in a.labels if k != "actor"))
                for a in book.attributes
            ),
        ),
    )
    assert [a.label for a in project.annotations(1)] == ["claim", "claim"]
    assert "actor" not in set(project.codebook().keys())
    apply_codebook(project, before)
    set_label(project, moved, "actor")
    assert [a.label for a in project.annotations(1)] == ["actor", "claim"]
    assert project.codebook() == book


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: replace(b, labels=tuple(x for x in b.labels if x.key != "actor")), "label 'actor' has 1 annotation"),
        (lambda b: replace(b, labels=(*b.labels, Label("x", "X", "red"))), "colour must look like #1f77b4"),
        (lambda b: replace(b, labels=(*b.labels, Label("x", "X", "#000000", hotkey=b.labels[0].hotkey))), "is used by"),
        (lambda b: replace(b, labels=(*b.labels, Label("x", "X", "#000000", parent="nobody"))), "names parent 'nobody'"),
        (lambda b: replace(b, attributes=tuple(a for a in b.attributes if a.key != "position")), "attribute 'position' has 1 value"),
        (lambda b: replace(b, attributes=(*b.attributes, AttributeDef("tone", "Tone", "choice"))), "needs 'choices'"),
    ],
)  # fmt: skip
def test_an_edit_the_loader_would_refuse_changes_nothing(
    project: Project, change: object, message: str
) -> None:
    book = project.codebook()
    with pytest.raises(InputError, match=message):
        apply_codebook(project, change(book))  # type: ignore[operator]
    assert project.codebook() == book


def test_an_attribute_is_deleted_with_its_values_and_comes_back(project: Project) -> None:
    book = project.codebook()
    values = delete_attribute_values(project, "position")
    apply_codebook(
        project, replace(book, attributes=tuple(a for a in book.attributes if a.key != "position"))
    )
    assert "position" not in [a.key for a in project.codebook().attributes]
    apply_codebook(project, book)
    restore_attribute_values(project, values)
    assert project.attributes(2) == {"position": "+1"}
