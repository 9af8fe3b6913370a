"""The demo project: the bundled sample article, with a few annotations to show."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from annotator.store import Annotation
from annotator.store.file.sidefiles import private_folder, publish
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
    with private_folder(path) as folder:
        tmp = folder / path.name
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
            made = {a.text: a for a in project.annotate_many(doc, spans)}
            _demo_structure(project, made)
        publish(tmp, path)
    return path


def _demo_structure(project: Project, made: dict[str, Annotation]) -> None:
    """Claimants, an addressee, positions, issues and canonical actors, as an analyst would."""

    def find(prefix: str) -> Annotation | None:
        return next((a for text, a in made.items() if text.startswith(prefix)), None)

    release, pressure = find("calling for"), find("intensify")
    links = [
        (find("France’s Senate"), release, "claimant"),
        (find("National Assembly"), release, "claimant"),
        (find("lawmakers Laurent"), pressure, "claimant"),
        (pressure, find("the French government"), "addressee"),
    ]
    with project.transaction():
        for source, target, kind in links:
            if source is not None and target is not None:
                project.relate(source.id, target.id, kind)
        for demand in (release, pressure):
            if demand is not None:
                project.set_attributes(
                    demand.id, {"position": "+1", "issue": "release of Armenian detainees"}
                )
        for prefix, name, kind in (
            ("France’s Senate", "Senate (France)", "organisation"),
            ("National Assembly", "National Assembly (France)", "organisation"),
            ("lawmakers Laurent", "National Assembly (France)", "organisation"),
            ("French lawmakers", "French Parliament", "organisation"),
            ("the French government", "Government of France", "state"),
        ):
            mention = find(prefix)
            if mention is not None:
                project.link_actor(mention.id, name, kind)
