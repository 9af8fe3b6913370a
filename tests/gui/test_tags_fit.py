"""Issue 13: at 1280x720 with the default docks open, the label tags show beside the
text; the docks yield the marks' margins (gui/layout.py counts them in the text pane's
minimum) before the tags step aside. Run on a real X server (xvfb-run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.demo import sample_text
from annotator.gui.marks import MIN_LINE_CHARS
from annotator.store import Project
from tests.gui.real_screen import run_on_screen


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "tags.annot"
    text = sample_text()
    with Project.create(path, annotator="tester") as project:
        doc = project.add_document(text, "France–Armenia resolution")
        for needle, label in (("France’s Senate", "actor"), ("calling for", "demand")):
            at = text.index(needle)
            project.annotate(doc, at, at + len(needle), label)
    return path


@pytest.mark.parametrize("size", ["1280x720", "1920x1080"])
def test_label_tags_show_with_the_default_docks_open(
    size: str, project_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "shots"
    out.mkdir()
    seen = run_on_screen("tags_check", size, [str(project_path), str(out)], tmp_path)
    assert seen["screen"] == int(size.split("x")[0])
    first, off, again = seen["first"], seen["tags off"], seen["tags on again"]
    assert {"documents", "labels", "annotation", "annotations"} <= set(first["docks"])
    for step in (first, again):
        assert step["tag_room"] > 0, step  # the tags have their room ...
        assert step["tags_drawn"][:2] == ["Actor", "Demand"], step  # ... and are drawn
        assert step["inked"] > 20, step
        assert step["line_chars"] >= MIN_LINE_CHARS, step  # the text keeps its lines
    assert off["tag_room"] == 0 and off["inked"] == 0
    assert off["text_width"] <= first["text_width"]  # the docks may take the room back
    assert (out / "tags.png").stat().st_size > 0
