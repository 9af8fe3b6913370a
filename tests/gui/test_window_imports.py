"""What opening the window imports (issue 14: "open project to usable window"): the
Agreement and Curation windows, and numpy with them, load when first opened, not with
every window. A fresh process, as a user starts the app; a behaviour test, not a
timing."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.store import Project
from tests.gui.helpers import window_process

RUN = """
import json, sys
from annotator.gui import create_main_window
from annotator.gui.app import application
application()
window = create_main_window(sys.argv[1])
window.show()
application().processEvents()
names = sorted(sys.modules)
window.close()
print(json.dumps(names))
"""


def test_opening_a_project_loads_neither_numpy_nor_the_team_windows(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.create(path) as project:
        doc = project.add_document("Paris demands a vote.", "one")
        project.annotate(doc, 0, 5, "actor")
    lines = window_process(RUN, str(path), settings=tmp_path / "settings.ini")
    names = set(json.loads(lines[-1]))
    assert "annotator.gui.main_window" in names  # the window was made
    for heavy in (
        "numpy",
        "annotator.core.agreement",
        "annotator.gui.team.agreement_window",
        "annotator.gui.team.curation_view",
    ):
        assert heavy not in names, heavy
