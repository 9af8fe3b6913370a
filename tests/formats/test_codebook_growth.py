"""Imports that would grow the codebook without bound (issue 10, item 10).

Every importer adds labels through one place: more new labels than the bound
(``Options.max_new_labels``, ``annotator import --max-new-labels N``) are refused with
the count and the option named, nothing changes; what is added is always warned.
The files are real: written by our exporters from a project with many labels.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.core.codebook import Codebook, Label
from annotator.core.errors import AnnotatorError
from annotator.formats.registry import Options, export_project, import_paths
from annotator.store import Project
from tests.strategies import snapshot

FORMATS = {  # import format -> (export format, file name)
    "labelstudio": ("labelstudio", "tasks.json"),
    "doccano": ("doccano", "doccano.jsonl"),
    "jsonl": ("jsonl", "lossless.jsonl"),
    "brat": ("brat", "brat"),
    "qdpx": ("qdpx", "project.qdpx"),
    "qdc": ("qdc", "codes.qdc"),
    "codebook": ("codebook", "codebook.yaml"),
}
DEFAULT = Options().max_new_labels
assert DEFAULT == 200


def many_labels(folder: Path, n: int) -> dict[str, Path]:
    """A file of every format that names *n* labels the default codebook lacks."""
    keys = [f"topic{i:04d}" for i in range(n)]
    source = Project.create(folder / "source.annot", annotator="tester")
    source.merge_codebook(
        Codebook("many", tuple(Label(k, f"Topic {i}", "#336699") for i, k in enumerate(keys)))
    )
    doc = source.add_document(" ".join(keys) + "\n", "Many topics")
    at = 0
    rows = []
    for key in keys:
        rows.append((at, at + len(key), key, None))
        at += len(key) + 1
    source.annotate_many(doc, rows)
    files = {}
    for name, (fmt, file_name) in FORMATS.items():
        files[name] = folder / file_name
        export_project(source, fmt, files[name])
    source.close()
    return files


def state(project: Project) -> tuple[object, ...]:
    return snapshot(project), project.codebook().to_dict()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return many_labels(tmp_path_factory.mktemp("many"), DEFAULT + 1)


@pytest.mark.parametrize("fmt", FORMATS)
def test_too_many_new_labels_are_refused_and_nothing_changes(
    files: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    with Project.create(tmp_path / "p.annot", annotator="tester") as project:
        before = state(project)
        with pytest.raises(AnnotatorError) as refused:
            import_paths(project, [files[fmt]], fmt)
        assert state(project) == before
    message = str(refused.value)
    assert "\n" not in message
    assert files[fmt].name in message
    assert f"{DEFAULT + 1} new labels" in message
    assert f"--max-new-labels {DEFAULT + 1}" in message


@pytest.mark.parametrize("fmt", FORMATS)
def test_more_are_allowed_when_asked_and_every_addition_is_warned(
    files: dict[str, Path], tmp_path: Path, fmt: str
) -> None:
    with Project.create(tmp_path / "p.annot", annotator="tester") as project:
        report = import_paths(project, [files[fmt]], fmt, Options(max_new_labels=DEFAULT + 1))
        keys = project.codebook().keys()
    assert len(keys) == 4 + DEFAULT + 1
    added = [w for w in report.warnings if "added" in w]
    assert added, report.warnings
    assert any(keys[4] in w for w in added)  # the first label it added
    if fmt not in ("jsonl", "codebook"):  # these two list every entry they add
        assert any(f"and {DEFAULT + 1 - 50} more" in w for w in added)


def test_a_few_new_labels_from_brat_are_warned(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Paris and Berlin\n", "utf-8")
    (folder / "a.ann").write_text("T1\tCity 0 5\tParis\nT2\tTown 10 16\tBerlin\n", "utf-8")
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [folder])
    assert "added to the codebook: City, Town" in report.warnings


def test_the_bound_counts_the_whole_file_not_each_step(tmp_path: Path) -> None:
    """brat adds the labels of annotation.conf and those only used in .ann files: the
    bound is for both together."""
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "annotation.conf").write_text("[entities]\nCity\n[relations]\n", "utf-8")
    (folder / "a.txt").write_text("Paris and Berlin\n", "utf-8")
    (folder / "a.ann").write_text("T1\tCity 0 5\tParis\nT2\tTown 10 16\tBerlin\n", "utf-8")
    with Project.create(tmp_path / "p.annot") as project:
        before = state(project)
        with pytest.raises(AnnotatorError, match="would add 2 new labels"):
            import_paths(project, [folder], options=Options(max_new_labels=1))
        assert state(project) == before
        import_paths(project, [folder], options=Options(max_new_labels=2))
        assert {"City", "Town"} <= set(project.codebook().keys())


def test_existing_labels_do_not_count(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Paris and Berlin\n", "utf-8")
    (folder / "a.ann").write_text("T1\tclaim 0 5\tParis\nT2\tactor 10 16\tBerlin\n", "utf-8")
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [folder], options=Options(max_new_labels=0))
        assert report.annotations == 2
    assert not [w for w in report.warnings if "added" in w]


def run_cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_cli_refuses_with_one_line_and_takes_the_option(
    files: dict[str, Path], tmp_path: Path
) -> None:
    project = tmp_path / "p.annot"
    assert run_cli("new", project, cwd=tmp_path).returncode == 0
    before = project.read_bytes()
    refused = run_cli("import", project, files["labelstudio"], cwd=tmp_path)
    assert refused.returncode == 2
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: tasks.json: ")
    assert "--max-new-labels 201" in lines[0]
    assert project.read_bytes() == before
    negative = run_cli(
        "import", project, files["labelstudio"], "--max-new-labels", "-1", cwd=tmp_path
    )
    assert negative.returncode == 2 and len(negative.stderr.splitlines()) == 1
    done = run_cli("import", project, files["labelstudio"], "--max-new-labels", "201", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "annotator: warning: added to the codebook: topic0000, " in done.stderr
    assert "and 151 more" in done.stderr


@pytest.mark.parametrize("section", ["relations", "attributes"])
def test_attribute_and_relation_types_are_bounded_too(tmp_path: Path, section: str) -> None:
    """Each would be a menu item in the window, as a label is a palette entry."""
    folder = tmp_path / "brat"
    folder.mkdir()
    many = DEFAULT + 1
    if section == "relations":
        lines = "".join(f"rel{i}\tArg1:City, Arg2:City\n" for i in range(many))
        conf = f"[entities]\nCity\n[relations]\n{lines}[attributes]\n"
        what = "relation types"
    else:
        lines = "".join(f"attr{i}\tArg:City\n" for i in range(many))
        conf = f"[entities]\nCity\n[relations]\n[attributes]\n{lines}"
        what = "attribute types"
    (folder / "annotation.conf").write_text(conf, "utf-8")
    (folder / "a.txt").write_text("Paris\n", "utf-8")
    (folder / "a.ann").write_text("T1\tCity 0 5\tParis\n", "utf-8")
    with Project.create(tmp_path / "p.annot") as project:
        before = state(project)
        with pytest.raises(AnnotatorError, match=f"would add {many} new {what}"):
            import_paths(project, [folder])
        assert state(project) == before
        import_paths(project, [folder], options=Options(max_new_labels=many))
        codebook = project.codebook()
        assert len(codebook.relations if section == "relations" else codebook.attributes) > many


def test_a_qdc_of_50000_codes_is_refused_in_bounded_time(tmp_path: Path) -> None:
    """Planning keys for the codes copied the set of keys taken once per code (27 s for
    50,000 codes on a 2-core machine); now about 1 s."""
    codes = "".join(f'<Code guid="g{i}" name="Code {i}" isCodable="true"/>' for i in range(50_000))
    path = tmp_path / "big.qdc"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        f"<Codes>{codes}</Codes></CodeBook>",
        "utf-8",
    )
    with Project.create(tmp_path / "p.annot") as project:
        started = time.monotonic()
        with pytest.raises(AnnotatorError, match="would add 50000 new labels"):
            import_paths(project, [path])
        assert time.monotonic() - started < 10
