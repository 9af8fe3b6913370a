"""A bulk write's larger page cache (store/bulk.py, issue 14) lasts the block only."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.registry import export_project, import_paths
from annotator.store import Project
from annotator.store.bulk import BULK_CACHE_KIB, bulk_writer


def _cache(project: Project) -> int:
    return int(project.execute("PRAGMA cache_size").fetchone()[0])


def test_the_cache_is_larger_inside_and_as_it_was_after(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot", annotator="ana") as project:
        before = _cache(project)
        assert before != -BULK_CACHE_KIB
        with bulk_writer(project):
            assert _cache(project) == -BULK_CACHE_KIB
        assert _cache(project) == before
        with pytest.raises(RuntimeError), bulk_writer(project):
            raise RuntimeError("an import that fails")
        assert _cache(project) == before


def test_a_real_import_leaves_the_cache_as_it_was(sample_project: Project, tmp_path: Path) -> None:
    sample_project.annotate_many(1, [(0, 6, "actor", None), (10, 20, "claim", "n")])
    source = tmp_path / "work.jsonl"
    export_project(sample_project, "jsonl", source)
    with Project.create(tmp_path / "target.annot", annotator="ana") as project:
        before = _cache(project)
        report = import_paths(project, [source], "jsonl")
        assert report.annotations == 2
        assert _cache(project) == before
