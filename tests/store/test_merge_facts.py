"""Merging coders' files carries document variables, groups and memos, and reports
values that differ instead of overwriting them."""

from __future__ import annotations

from pathlib import Path

from annotator.store import Project
from annotator.store.team.merge import handout, merge_files

TEXT = "France's Senate voted on Tuesday."


def test_variables_groups_and_memos_come_back_from_coders_files(tmp_path: Path) -> None:
    lead = tmp_path / "study.annot"
    with Project.create(lead) as project:
        doc = project.add_document(TEXT, "d").id
        project.variables.set(doc, "outlet", "Le Monde")
        project.groups.add("France", [doc])
        out = tmp_path / "out"
        out.mkdir()
        ana, ben = handout(project, ["Ana", "Ben"], out)
    with Project.open(ana) as copy:  # handed out with the lead's facts
        assert copy.variables.of(doc) == {"outlet": "Le Monde"}
        assert copy.groups.of(doc) == ["France"]
        copy.variables.set(doc, "date", "2024-03-05", "date")
        copy.groups.create("Wave 1")
        copy.groups.add("Wave 1", [doc])
        copy.set_document_info(doc, memo="Ana: the date is in the byline")
    with Project.open(ben) as copy:
        copy.variables.set(doc, "outlet", "Le Figaro")  # disagrees with the lead
        copy.set_document_info(doc, memo="Ben's memo")
    with Project.open(lead) as project:
        reports = merge_files(project, [ana, ben])
        assert project.variables.of(doc) == {"outlet": "Le Monde", "date": "2024-03-05"}
        assert project.variables.types()["date"] == "date"
        assert project.groups.of(doc) == ["France", "Wave 1"]
        assert project.document_info(doc).memo == "Ana: the date is in the byline"
        assert reports[0].variables_added == 1
        assert "1 document variable;" in reports[0].lines()[0]
        assert any(
            "variable 'outlet' of document 1 is 'Le Monde' here and 'Le Figaro'" in c
            for c in reports[1].conflicts
        )
        assert any("another memo" in c for c in reports[1].conflicts)
        again = merge_files(project, [ana, ben])  # idempotent
        assert again[0].variables_added == again[1].variables_added == 0
        assert project.variables.of(doc) == {"outlet": "Le Monde", "date": "2024-03-05"}
        assert project.groups.all()[1].document_ids == (doc,)


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'meta' "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def test_undoing_a_merge_gives_back_every_table_as_it_was(tmp_path: Path) -> None:
    """Undo used to leave the labels a merge added, and now must also take back links
    between annotations that were there and the document facts it filled in."""
    from annotator.core.codebook import Codebook, Label
    from annotator.store.team.merge_undo import merge_undoably, undo_merge

    lead = tmp_path / "study.annot"
    with Project.create(lead) as project:
        doc = project.add_document(TEXT, "d").id
        project.variables.set(doc, "outlet", "Le Monde")
        out = tmp_path / "out"
        out.mkdir()
        (ana,) = handout(project, ["Ana"], out)
    with Project.open(ana) as copy:
        copy.merge_codebook(Codebook("x", (Label("party", "Party", "#117733"),)))
        copy.annotate_many(doc, [(0, 15, "party", None), (16, 21, "claim", None)])
        copy.variables.set(doc, "date", "2024-03-05", "date")
        copy.groups.add("Wave 1", [doc])
        copy.set_document_info(doc, memo="Ana's memo")
        copy.add_document("Another text.", "new")
    with Project.open(lead) as project:
        before = _dump(lead)
        _reports, added = merge_undoably(project, [ana])
        assert project.codebook().label("party") is not None
        undo_merge(project, added)
        assert _dump(lead) == before
        assert project.codebook().label("party") is None
