"""What the command imports to start (issue 14, item 5): the real ``annotator`` entry
point in a fresh process, which writes the names in ``sys.modules`` when it exits
(``-X importtime`` misses modules imported by ``importlib.import_module``, as the format
registry and sqlite-utils do). A behaviour test, not a timing: the heavy modules must
not be there at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import __version__
from annotator.cli import build_parser, main

ANNOTATOR = str(Path(sys.executable).with_name("annotator"))
HEAVY = ("numpy", "pandas", "openpyxl", "PySide6", "pypdf")
# the registry and its catalogue; every other module of the package implements a format
LIGHT_FORMATS = {"annotator.formats", "annotator.formats.registry", "annotator.formats._catalogue"}
# run the console script as itself (``__main__``), writing sys.modules at exit
RUN = """
import atexit, json, runpy, sys
listing = sys.argv.pop(2)
def dump():
    with open(listing, "w") as out:
        json.dump(sorted(sys.modules), out)
atexit.register(dump)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def imported(args: list[str], cwd: Path) -> tuple[set[str], str]:
    """The modules ``annotator ARGS`` imports, and what it printed."""
    listing = cwd / "modules.json"
    proc = subprocess.run(
        [sys.executable, "-c", RUN, ANNOTATOR, str(listing), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = set(json.loads(listing.read_text(encoding="utf-8")))
    assert "annotator.cli" in modules  # the listing worked
    return modules, proc.stdout


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def format_modules(modules: set[str]) -> list[str]:
    return sorted(
        m for m in modules if m.startswith("annotator.formats") and m not in LIGHT_FORMATS
    )


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    project = tmp_path / "sample.annot"
    assert main(["new", str(project), "--annotator", "tester"]) == 0
    text = tmp_path / "article.txt"
    text.write_text("The Senate demands the release of the detainees.\n", encoding="utf-8")
    assert main(["import", str(project), str(text)]) == 0
    annotate = ["annotate", str(project), "--document", "1", "--match", "Senate"]
    assert main([*annotate, "--label", "actor"]) == 0
    return project


def test_version_imports_neither_the_store_nor_a_format_nor_numpy(tmp_path: Path) -> None:
    modules, out = imported(["--version"], tmp_path)
    assert out == f"annotator {__version__}\n"
    assert heavy(modules) == []
    assert format_modules(modules) == []
    assert sorted(m for m in modules if m.startswith(("annotator.store", "sqlite_utils"))) == []
    assert "annotator.formats.registry" not in modules  # nor the formats' catalogue


def test_version_says_what_the_parser_says(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--version"])
    from_parser = capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == from_parser


def test_list_help_imports_no_format_numpy_or_qt(tmp_path: Path) -> None:
    modules, out = imported(["list", "--help"], tmp_path)
    assert "List documents" in out
    assert heavy(modules) == []
    assert format_modules(modules) == []


def test_list_imports_no_format_numpy_or_qt(sample: Path) -> None:
    modules, out = imported(["list", str(sample)], sample.parent)
    assert "article" in out
    assert heavy(modules) == []
    assert format_modules(modules) == []
    # nor what only other commands, reading a codebook or showing the version need
    assert {"yaml", "importlib.metadata", "annotator.store.team.merge"}.isdisjoint(modules)
    assert "sqlite_utils" not in modules  # a project open read-only writes nothing


def test_export_imports_only_its_format(sample: Path) -> None:
    target = sample.parent / "out.csv"
    modules, _out = imported(["export", str(sample), "-o", str(target)], sample.parent)
    assert heavy(modules) == []
    assert format_modules(modules) == ["annotator.formats.csv_table"]
    assert "Senate" in target.read_text(encoding="utf-8-sig")


def test_the_store_leaves_out_what_it_never_uses(tmp_path: Path) -> None:
    """The store's sqlite-utils comes without numpy and pandas, dateutil's parser
    loaded on first use; both still there for whoever uses them later."""
    code = """
import json, sqlite3, sys
from annotator.store.file.database import database
database(sqlite3.connect(":memory:")).execute("SELECT 1")
import sqlite_utils.recipes
before = {m: m in sys.modules for m in ("numpy", "pandas", "dateutil.parser._parser")}
parsed = sqlite_utils.recipes.parsedate("1 March 2024")
import numpy
print(json.dumps({"before": before, "parsed": parsed, "numpy": numpy.__name__}))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert json.loads(proc.stdout) == {
        "before": {"numpy": False, "pandas": False, "dateutil.parser._parser": False},
        "parsed": "2024-03-01",
        "numpy": "numpy",
    }
