"""Shared fixtures: real project files on disk, the sample article, hostile texts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from annotator.demo import sample_text
from annotator.store import Project

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The machines are shared and noisy: no per-example deadlines, no "too slow" failures.
settings.register_profile(
    "annotator",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("annotator")


# Every script the product promises to handle, with CRLF line ends and a BOM-less mix:
# emoji with skin tones and ZWJ sequences, Armenian, Arabic (right to left), Hebrew,
# combining marks, non-breaking spaces and a CJK ideograph from outside the BMP.
MIXED_TEXT = (
    "Résumé 👍🏽 of the talks\r\n"
    "Հայաստանի Ազգային ժողովը 👩‍👩‍👧 ընդունեց\r\n"
    "قال البرلمان الفرنسي إن 🇫🇷 فرنسا تدعم\r\n"
    "שלום e\u0301t\u0301e\u0301 a\u00a0b 𠀋 done\r\n"
)


@pytest.fixture
def tmp_project(tmp_path: Path) -> Iterator[Project]:
    """A new project file on disk with the default codebook; closed afterwards."""
    project = Project.create(tmp_path / "test.annot", annotator="tester")
    yield project
    project.close()


@pytest.fixture
def sample_project(tmp_path: Path) -> Iterator[Project]:
    """A project holding the sample article as document 1."""
    project = Project.create(tmp_path / "sample.annot", annotator="tester")
    project.add_document(sample_text(), "France–Armenia resolution", source_name="sample.txt")
    yield project
    project.close()


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep demo projects, settings and recent files out of the real home folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ANNOTATOR_SETTINGS", str(home / "settings.ini"))
