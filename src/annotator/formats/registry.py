"""The one registry of file formats, used by the CLI and the window.

Each format module registers itself with :func:`reader` (a document format: bytes in,
text out), :func:`importer` (a file that carries annotations) or :func:`exporter`.
What each format is (name, extensions, description) is known from
:mod:`annotator.formats._catalogue` without importing its module; the module is
imported when the format is first used (read, sniffed, run), so listing the formats or
starting the command line imports none of them. :func:`load_formats` imports them all.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import stat
from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from annotator.core.errors import AnnotatorError, FormatError, InputError
from annotator.core.text import TextBudget
from annotator.core.variables import guess_type
from annotator.formats._catalogue import CATALOGUE, Entry

if TYPE_CHECKING:
    from annotator.store.project import Project


class Cancelled(AnnotatorError):
    """The user cancelled a long import or export; nothing of it was kept."""


@dataclass
class Report:
    """What an import or export did, and what the format could not carry.

    ``dropped`` counts each kind of thing left out, by a singular noun phrase
    (``report.dropped["actor link"] += 3``); ``assumed`` says what the reading or
    writing took for granted (the position unit, the line-ending rule), one short
    sentence each; ``details`` are the long lists behind a summary line, shown on
    ``--verbose``. :func:`report_lines` renders all of it, for the CLI and the window.
    """

    documents: int = 0
    annotations: int = 0
    relations: int = 0
    warnings: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    assumed: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def merge(self, other: Report) -> None:
        self.documents += other.documents
        self.annotations += other.annotations
        self.relations += other.relations
        self.warnings.extend(other.warnings)
        self.document_ids.extend(other.document_ids)
        self.dropped.update(other.dropped)
        self.assumed.extend(a for a in other.assumed if a not in self.assumed)
        self.details.extend(other.details)


_QUALIFIER = re.compile(r" (?=(?:of|on|in|by|with|without|that|the|named|not|but|from)\b)| (?=\()")


def counted(n: int, kind: str) -> str:
    """``"1 relation"``, ``"3 relations"``, ``"2 entities"``, ``"2 relations of an
    event"``: the head noun of *kind* (its last word before a qualifier such as "of",
    "the", "named" or a parenthesis) made plural for a count other than one."""
    if n == 1:
        return f"1 {kind}"
    cut = _QUALIFIER.search(kind)
    head, rest = (kind[: cut.start()], kind[cut.start() :]) if cut else (kind, "")
    words, _, last = head.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{n} {words + ' ' if words else ''}{last}{rest}"


def report_lines(report: Report, verbose: bool = False, warnings: bool = True) -> list[str]:
    """What the user is told after an import or export besides its counts, one line
    each: the warnings (unless not *warnings*: the CLI prints them apart), what was
    dropped (with counts), what was assumed, and with *verbose* the details. The one
    rendering used by the CLI (stderr) and the window."""
    lines = list(report.warnings) if warnings else []
    dropped = [counted(n, kind) for kind, n in report.dropped.items() if n > 0]
    if dropped:
        lines.append("dropped (the format cannot carry them): " + ", ".join(dropped))
    if report.assumed:
        lines.append("assumed: " + "; ".join(report.assumed))
    if verbose:
        lines.extend(report.details)
    return lines


Progress = Callable[[int, int], None]
"""Called with (done, total); raising :class:`Cancelled` from it stops the work."""


@dataclass(frozen=True)
class Options:
    progress: Progress | None = None
    raw: bool = False  # CSV/XLSX: write text exactly, without neutralising formulas
    max_new_labels: int | None = 200  # imports: new labels one file may add (None: any)
    coders: tuple[str, ...] = ()  # exports: only these coders' annotations (empty: all)
    columns: tuple[str, ...] = ()  # CSV: these columns in this order (empty: the default)
    text_field: str | None = None  # doccano import: the text's key (doccano's column_data)
    label_field: str | None = None  # doccano import: the spans' key (column_label)
    target: str | None = None  # exports: the program the file is for ("nvivo": UTF-16 positions)
    html: str = "article"  # web pages: "article", or "page" (all the visible text)
    password: str | None = None  # DNA export: every coder's password (None: "" for new ones)

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


@dataclass(frozen=True)
class DocumentText:
    title: str
    text: str
    source_name: str
    warnings: tuple[str, ...] = ()  # e.g. how the encoding was guessed
    # the file's own metadata (author, date, outlet...): stored as document variables,
    # each typed by its Python value (datetime.date / datetime: a date variable)
    variables: Mapping[str, object] = field(default_factory=dict)
    url: str | None = None  # where the text was fetched from


Reader = Callable[[Path, TextBudget], DocumentText]
"""Reads one document file; feeds the budget (:class:`annotator.core.text.TextBudget`)
with the text it produces, so a file built to explode stops early."""
ImportFn = Callable[["Project", Path, Options], Report]
ExportFn = Callable[["Project", "Path | TextIO", Options], Report]


Sniff = Callable[[Path], bool]
_PACKAGE = "annotator.formats"
# what the format modules' decorators registered: (kind, name) -> function
_FUNCTIONS: dict[tuple[str, str], Callable[..., Any]] = {}


def _function(kind: str, name: str, module: str) -> Callable[..., Any]:
    """The function registered for *kind* *name*, importing *module* the first time."""
    fn = _FUNCTIONS.get((kind, name))
    if fn is None:
        importlib.import_module(module)  # its decorators fill _FUNCTIONS
        fn = _FUNCTIONS.get((kind, name))
        if fn is None:  # a catalogue line naming the wrong module: a bug, not a user error
            raise LookupError(f"{module} registers no {kind} '{name}' (see formats/_catalogue.py)")
    return fn


@dataclass(frozen=True)
class ReaderFormat:
    name: str
    extensions: tuple[str, ...]
    description: str
    module: str  # imported on the first read

    def read(self, path: Path, budget: TextBudget) -> DocumentText:
        fn: Reader = _function("reader", self.name, self.module)
        return fn(path, budget)


@dataclass(frozen=True)
class ImporterFormat:
    name: str
    extensions: tuple[str, ...]
    description: str
    module: str  # imported on the first sniff or run
    sniffs: bool = False  # whether it can tell its files by their content

    def sniff(self, path: Path) -> bool:
        if not self.sniffs:
            return False
        fn: Sniff = _function("sniff", self.name, self.module)
        return fn(path)

    def run(self, project: Project, path: Path, options: Options) -> Report:
        fn: ImportFn = _function("importer", self.name, self.module)
        return fn(project, path, options)


@dataclass(frozen=True)
class ExporterFormat:
    name: str
    extension: str  # "" when the target is a folder
    description: str
    module: str  # imported on the first run
    streams: bool = False  # can write to standard output

    def run(self, project: Project, target: Path | TextIO, options: Options) -> Report:
        fn: ExportFn = _function("exporter", self.name, self.module)
        return fn(project, target, options)


def _from_catalogue(entry: Entry) -> ReaderFormat | ImporterFormat | ExporterFormat:
    module = f"{_PACKAGE}.{entry.module}"
    if entry.kind == "reader":
        return ReaderFormat(entry.name, entry.extensions, entry.description, module)
    if entry.kind == "importer":
        return ImporterFormat(entry.name, entry.extensions, entry.description, module, entry.sniffs)
    return ExporterFormat(entry.name, entry.extensions[0], entry.description, module, entry.streams)


READERS: dict[str, ReaderFormat] = {}
IMPORTERS: dict[str, ImporterFormat] = {}
EXPORTERS: dict[str, ExporterFormat] = {}
for _entry in CATALOGUE:
    _format = _from_catalogue(_entry)
    if isinstance(_format, ReaderFormat):
        READERS[_format.name] = _format
    elif isinstance(_format, ImporterFormat):
        IMPORTERS[_format.name] = _format
    else:
        EXPORTERS[_format.name] = _format
_loaded = False


def reader(name: str, extensions: tuple[str, ...], description: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        _FUNCTIONS["reader", name] = fn
        READERS[name] = ReaderFormat(name, extensions, description, fn.__module__)
        return fn

    return register


def importer(
    name: str,
    extensions: tuple[str, ...],
    description: str,
    sniff: Sniff | None = None,
) -> Callable[[ImportFn], ImportFn]:
    def register(fn: ImportFn) -> ImportFn:
        _FUNCTIONS["importer", name] = fn
        if sniff is not None:
            _FUNCTIONS["sniff", name] = sniff
        IMPORTERS[name] = ImporterFormat(
            name, extensions, description, fn.__module__, sniff is not None
        )
        return fn

    return register


def exporter(
    name: str, extension: str, description: str, *, streams: bool = False
) -> Callable[[ExportFn], ExportFn]:
    def register(fn: ExportFn) -> ExportFn:
        _FUNCTIONS["exporter", name] = fn
        EXPORTERS[name] = ExporterFormat(name, extension, description, fn.__module__, streams)
        return fn

    return register


# A module's own registration replaces its catalogue entry (equal when the two agree,
# which tests/formats/test_registry_catalogue.py checks), and a module missing from the
# catalogue is still found by load_formats(), which every lookup by name falls back to.


def format_modules() -> list[str]:
    """The names of this package's format modules (those that may register formats)."""
    import annotator.formats as package

    return [
        f"{_PACKAGE}.{info.name}"
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
        if info.name != "registry" and not info.name.startswith("_")
    ]


def load_formats() -> None:
    """Import every format module of this package once (nothing needs it to list or
    use the catalogued formats; it finds the ones the catalogue lacks)."""
    global _loaded
    if _loaded:
        return
    for module in format_modules():
        importlib.import_module(module)
    _loaded = True


def reader_for(path: Path) -> ReaderFormat | None:
    suffix = path.suffix.lower()
    for fmt in READERS.values():
        if suffix in fmt.extensions:
            return fmt
    return None


def detect(path: Path) -> tuple[str, str]:
    """``("reader" | "importer", name)`` for *path*, or :class:`FormatError`."""
    found = _detect(path)
    if found is None and not _loaded:  # perhaps a format the catalogue does not list
        load_formats()
        found = _detect(path)
    if found is not None:
        return found
    known = sorted(
        {e for f in READERS.values() for e in f.extensions}
        | {e for f in IMPORTERS.values() for e in f.extensions}
    )
    if path.is_dir():
        raise FormatError(f"{path} is a folder that holds no format Annotator can import")
    raise FormatError(
        f"{path.name}: Annotator cannot import '{path.suffix or 'files without an extension'}' "
        f"(it reads {', '.join(known)}; use --format to say what it is)"
    )


def _detect(path: Path) -> tuple[str, str] | None:
    for fmt in list(IMPORTERS.values()):
        if fmt.sniff(path):
            return "importer", fmt.name
    if path.is_file():
        found = reader_for(path)
        if found is not None:
            return "reader", found.name
        for fmt in IMPORTERS.values():
            if path.suffix.lower() in fmt.extensions:
                return "importer", fmt.name
    return None


def check_importable(path: Path) -> None:
    """Refuse, before anything reads it, a path that is missing or is neither a regular
    file nor a folder (a named pipe or a device would be read without end)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FormatError(f"there is no file {path}") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise FormatError(
            f"{path.name} is not a regular file (a named pipe, a device or a socket); "
            "Annotator imports files and folders only"
        )


def read_document(
    path: Path, fmt: ReaderFormat | None = None, budget: TextBudget | None = None
) -> DocumentText:
    """Read one document file with its reader (by extension unless *fmt* is given),
    within *budget* (by default the limits of :class:`TextBudget`)."""
    check_importable(path)
    if path.is_dir():
        raise FormatError(f"{path.name} is a folder, not a document")
    fmt = fmt or reader_for(path)
    if fmt is None:
        raise FormatError(f"{path.name}: not a document format Annotator reads")
    budget = budget or TextBudget(path.name)
    try:
        doc = fmt.read(path, budget)
    except AnnotatorError:
        raise
    except (OSError, ValueError, KeyError, IndexError, TypeError, RecursionError) as exc:
        raise FormatError(f"{path.name} cannot be read as {fmt.name}: {exc}") from None
    if len(doc.text) > budget.limit:  # a reader that fed the budget short
        budget.add(len(doc.text))
    return doc


def import_paths(
    project: Project, paths: list[Path], fmt: str | None = None, options: Options | None = None
) -> Report:
    """Import each path (documents or annotated files) into *project*.

    Each file is one transaction: a file that fails changes nothing, and the files
    before it stay imported.
    """
    if fmt is not None and fmt not in IMPORTERS and fmt not in READERS:
        load_formats()  # perhaps a format the catalogue does not list
    options = options or Options()
    report = Report()
    for n, path in enumerate(paths):
        check_importable(path)  # before sniffing reads it
        if fmt is None:
            kind, name = detect(path)
        elif fmt in IMPORTERS:
            kind, name = "importer", fmt
        elif fmt in READERS:
            kind, name = "reader", fmt
        else:
            raise InputError(f"unknown import format '{fmt}' (known: {', '.join(import_names())})")
        if kind == "importer":
            report.merge(IMPORTERS[name].run(project, path, options))
        else:
            if name == "html" and options.html == "page":
                name = "html-page"  # the web page's whole visible text, not its article
            doc = read_document(path, READERS[name])
            with project.transaction():  # the text and its facts, or nothing
                stored = project.add_document(
                    doc.text,
                    doc.title,
                    source_path=str(path.resolve()),
                    source_name=doc.source_name,
                )
                store_document_facts(project, stored.id, doc)
            report.documents += 1
            report.document_ids.append(stored.id)
            report.warnings.extend(doc.warnings)
        options.tick(n + 1, len(paths))
    return report


def store_document_facts(project: Project, document_id: int, doc: DocumentText) -> None:
    """Keep what a reader found beside the text: its metadata as document variables
    (typed as the values come: a date stays a date) and the address it came from."""
    if doc.variables:
        kinds = project.variables.types()
        rows = [(document_id, key, value) for key, value in doc.variables.items()]
        types = {
            key: guess_type([value]) for key, value in doc.variables.items() if key not in kinds
        }
        project.variables.set_many(rows, types)
    if doc.url:
        project.set_document_info(document_id, url=doc.url)


def export_project(
    project: Project, fmt: str, target: Path | TextIO, options: Options | None = None
) -> Report:
    if fmt not in EXPORTERS:
        load_formats()  # perhaps a format the catalogue does not list
    if fmt not in EXPORTERS:
        raise InputError(f"unknown export format '{fmt}' (known: {', '.join(export_names())})")
    exp = EXPORTERS[fmt]
    if not isinstance(target, Path) and not exp.streams:
        raise InputError(f"the {fmt} format writes files: give -o PATH")
    options = options or Options()
    if options.coders:  # one mechanism for every format: export a copy of those layers
        from annotator.store.team.coder_layer import coder_layer

        with coder_layer(project, options.coders) as layer:
            return exp.run(layer, target, options)
    return exp.run(project, target, options)


def import_names() -> list[str]:
    return sorted(set(READERS) | set(IMPORTERS))


def export_names() -> list[str]:
    return sorted(EXPORTERS)


def replacing(target: Path) -> AbstractContextManager[Path]:
    """A temporary path to write to; it replaces *target* only when the block ends well,
    so a failed or cancelled export never leaves half a file, and nothing is written
    through a link planted beside it (:mod:`annotator.store.file.sidefiles`)."""
    from annotator.store.file import sidefiles

    return sidefiles.replacing(target)
