"""The demo project: the bundled sample article, with a few annotations to show."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from annotator.store.project import Project

SAMPLE = "france-armenia-resolution.txt"

# (text, occurrence from 1, label): what an analyst would mark first.
DEMO_SPANS = (
    ("France’s Senate", 1, "actor"),
    ("National Assembly", 1, "actor"),
    (
        "calling for the immediate and unconditional release of the political leaders of the "
        "Republic of Artsakh, as well as Armenian detainees currently held in Azerbaijan",
        1,
        "demand",
    ),
    ("lawmakers Laurent Wauquiez and Alexandra Martin", 1, "actor"),
    ("the French government", 1, "actor"),
    (
        "intensify diplomatic pressure to secure the release of all Armenian prisoners of war and "
        "detainees",
        1,
        "demand",
    ),
    ("French lawmakers", 1, "actor"),
    ("forced displacement of Armenians from Artsakh", 1, "allegation"),
)


def sample_text() -> str:
    return resources.files("annotator.resources").joinpath(f"samples/{SAMPLE}").read_text("utf-8")


def data_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "annotator"


def demo_project() -> Path:
    """Make the demo project unless it exists; return its path."""
    path = data_home() / "demo.annot"
    if path.exists():
        Project.open(path).close()  # checks it is still a project this version opens
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("demo.annot.part")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    with Project.create(tmp, name="Demo") as project:
        text = sample_text()
        doc = project.add_document(text, "France–Armenia resolution", source_name=SAMPLE)
        spans = []
        for needle, occurrence, label in DEMO_SPANS:
            at = -1
            for _ in range(occurrence):
                at = text.find(needle, at + 1)
            if at >= 0:
                spans.append((at, at + len(needle), label, None))
        project.annotate_many(doc, spans)
    os.replace(tmp, path)
    return path
