"""The format catalogue (issue 14, item 5): what each format is, known without importing
its module; the module is imported when the format is used.

Checked in fresh processes (this one has imported every format module long ago): which
modules listing, reading and exporting import, and that a format the catalogue lacks is
still found by name.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from annotator.formats import registry
from annotator.formats._catalogue import CATALOGUE
from annotator.formats.registry import EXPORTERS, IMPORTERS, READERS, load_formats


def _in_fresh_python(code: str, cwd: Path) -> dict[str, object]:
    """Run *code* in a new interpreter; it prints one JSON object on its last line."""
    proc = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


PRELUDE = """
import json, sys
from pathlib import Path


def format_modules():
    return sorted(
        m for m in sys.modules
        if m.startswith("annotator.formats.") and m not in (
            "annotator.formats.registry", "annotator.formats._catalogue"
        )
    )
"""


def test_every_module_registers_what_the_catalogue_says() -> None:
    load_formats()  # each module's decorators replace its catalogue entries
    from_modules: dict[tuple[str, str], object] = {("r", n): f for n, f in READERS.items()}
    from_modules |= {("i", n): f for n, f in IMPORTERS.items()}
    from_modules |= {("e", n): f for n, f in EXPORTERS.items()}
    catalogued: dict[tuple[str, str], object] = {}
    for entry in CATALOGUE:
        fmt = registry._from_catalogue(entry)
        catalogued[entry.kind[0], entry.name] = fmt
    missing = sorted(f"{k}:{n}" for k, n in set(from_modules) - set(catalogued))
    assert not missing, f"add these formats to formats/_catalogue.py: {missing}"
    assert from_modules == catalogued
    assert len(CATALOGUE) == len(catalogued)  # no name twice in one kind


def test_importers_keep_the_order_of_their_modules() -> None:
    """Sniffing and the choice by extension go in module order (doccano before jsonl,
    both .jsonl), as when every module was imported to find them."""
    modules = [e.module for e in CATALOGUE if e.kind == "importer"]
    assert modules == sorted(modules)


def test_listing_and_choosing_import_no_format_module(tmp_path: Path) -> None:
    result = _in_fresh_python(
        """
        from annotator.formats import registry
        registry.import_names(), registry.export_names()
        chosen = registry.reader_for(Path("report.docx")).name
        print(json.dumps({"modules": format_modules(), "chosen": chosen,
                          "store": "annotator.store" in sys.modules}))
        """,
        tmp_path,
    )
    assert result == {"modules": [], "chosen": "docx", "store": False}


def test_a_format_imports_its_module_only_when_used(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("Nothing to see here.", encoding="utf-8")
    result = _in_fresh_python(
        """
        from annotator.formats.registry import export_project, import_paths
        from annotator.store import Project
        with Project.create(Path("p.annot")) as project:
            import_paths(project, [Path("note.txt")])
            after_import = format_modules()
            export_project(project, "csv", Path("out.csv"))
        print(json.dumps({"after_import": after_import, "after_export": format_modules(),
                          "openpyxl": "openpyxl" in sys.modules}))
        """,
        tmp_path,
    )
    after_import = result["after_import"]
    assert isinstance(after_import, list)
    assert "annotator.formats.plaintext" in after_import
    # sniffing the file imports the formats that sniff, and nothing heavier
    assert "annotator.formats.xlsx" not in after_import
    assert "annotator.formats.pdf_reader" not in after_import
    after_export = result["after_export"]
    assert isinstance(after_export, list)
    assert set(after_export) - set(after_import) == {"annotator.formats.csv_table"}
    assert result["openpyxl"] is False
    assert (tmp_path / "out.csv").is_file()


def test_a_format_missing_from_the_catalogue_is_still_found_by_name(tmp_path: Path) -> None:
    """A new module whose line was forgotten still works (the test above fails)."""
    result = _in_fresh_python(
        """
        from annotator.formats import registry
        from annotator.store import Project
        del registry.EXPORTERS["csv"]  # as if formats/_catalogue.py lacked it
        with Project.create(Path("p.annot")) as project:
            report = registry.export_project(project, "csv", Path("out.csv"))
        print(json.dumps({"listed": "csv" in registry.export_names()}))
        """,
        tmp_path,
    )
    assert result == {"listed": True}
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").startswith("document,")
