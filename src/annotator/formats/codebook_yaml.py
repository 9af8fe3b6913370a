"""The codebook as a YAML file: export the project's, import (merge) another.

Import reads with safe loading only (:func:`~annotator.core.codebook.load_codebook`):
Python tags such as ``!!python/object`` are refused with their line, like every other
error of the file. What the file adds (labels, attribute types, relation types that
the project lacks) is listed in the report; existing entries are kept as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from annotator.core.codebook import load_codebook
from annotator.core.errors import FormatError, InputError
from annotator.formats.registry import Options, Report, exporter, importer, replacing
from annotator.store.project import Project

MAX_BYTES = 5 * 1024 * 1024  # a codebook is a few KB; refuse what cannot be one


@exporter("codebook", ".yaml", "The project's codebook as YAML", streams=True)
def export_codebook(project: Project, target: Path | TextIO, options: Options) -> Report:
    text = project.codebook().to_yaml()
    if not isinstance(target, Path):
        target.write(text)
        return Report()
    with replacing(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Report()


@importer("codebook", (".yaml", ".yml"), "A codebook (YAML): adds the labels a project lacks")
def import_codebook(project: Project, path: Path, options: Options) -> Report:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise FormatError(f"{path.name} is too large to be a codebook")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise FormatError(f"{path.name} is not UTF-8 text (byte {exc.start})") from None
    codebook = load_codebook(text, path.name)  # CodebookError names the line
    try:
        added = project.merge_codebook(codebook, max_new_labels=options.max_new_labels)
    except InputError as exc:
        raise InputError(f"{path.name}: {exc}") from None
    options.tick(1, 1)
    if not added:
        return Report(
            warnings=[f"{path.name}: the project has every entry of this codebook already"]
        )
    return Report(warnings=[f"{path.name}: added {', '.join(added)}"])
