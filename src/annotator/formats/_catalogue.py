"""What each format is, without importing the module that implements it.

The command line lists the formats in its help and picks one by name or extension on
every start; importing every format module for that (openpyxl, pypdf, the XML stack)
cost most of its start-up. So the names, extensions and descriptions live here, and
:mod:`annotator.formats.registry` imports a format's module (whose decorators register
the functions) only when the format is used.

A format module's decorators repeat its entry; ``tests/formats/test_registry_catalogue.py``
checks that every module's registrations and this catalogue agree, so a new format is a
new module plus its lines here. Order matters where formats share an extension: sniffing
and the choice by extension go in this order (by module name, as discovery did).
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    kind: str  # "reader", "importer" or "exporter"
    name: str
    extensions: tuple[str, ...]  # an exporter has one ("" when it writes a folder)
    description: str
    module: str  # in annotator.formats
    sniffs: bool = False  # importers: the module registers a sniff function
    streams: bool = False  # exporters: can write to standard output


def _reader(name: str, extensions: tuple[str, ...], description: str, module: str) -> Entry:
    return Entry("reader", name, extensions, description, module)


def _importer(
    name: str, extensions: tuple[str, ...], description: str, module: str, *, sniffs: bool
) -> Entry:
    return Entry("importer", name, extensions, description, module, sniffs=sniffs)


def _exporter(
    name: str, extension: str, description: str, module: str, *, streams: bool = False
) -> Entry:
    return Entry("exporter", name, (extension,), description, module, streams=streams)


CATALOGUE: tuple[Entry, ...] = (
    # readers: bytes in, text out
    _reader(
        "docx", (".docx",), "Word document (.docx): paragraphs, tables row by row", "docx_reader"
    ),
    _reader("epub", (".epub",), "E-book (.epub): the chapters in reading order", "epub_reader"),
    _reader(
        "html",
        (".html", ".htm", ".xhtml"),
        "Web page: the article's text and metadata",
        "html_reader",
    ),
    _reader(  # after "html": a page's file is read as its article unless this is asked for
        "html-page",
        (".html", ".htm", ".xhtml"),
        "Web page: all its visible text (menus and comments too)",
        "html_reader",
    ),
    _reader(
        "odt",
        (".odt",),
        "OpenDocument text (.odt): paragraphs, lists, tables row by row",
        "odt_reader",
    ),
    _reader(
        "pdf",
        (".pdf",),
        "PDF with a text layer, page by page (scans need OCR first)",
        "pdf_reader",
    ),
    _reader("text", (".txt", ".text"), "Plain text in any common encoding (detected)", "plaintext"),
    _reader(
        "markdown",
        (".md", ".markdown"),
        "Markdown, kept as written (the markup is text)",
        "plaintext",
    ),
    # importers: files that carry annotations
    _importer(
        "brat",
        (".ann",),
        "brat standoff: a .ann beside its .txt, or a folder",
        "brat",
        sniffs=True,
    ),
    _importer(
        "codebook",
        (".yaml", ".yml"),
        "A codebook (YAML): adds the labels a project lacks",
        "codebook_yaml",
        sniffs=False,
    ),
    _importer("dna", (".dna",), "DNA 3.0 file (Discourse Network Analyzer)", "dna", sniffs=True),
    _importer("doccano", (".jsonl",), "doccano JSONL (sequence labelling)", "doccano", sniffs=True),
    _importer(
        "jsonl",
        (".jsonl",),
        "Annotator JSONL: lossless, from another project",
        "jsonl",
        sniffs=True,
    ),
    _importer("labelstudio", (".json",), "Label Studio JSON tasks", "labelstudio", sniffs=True),
    _importer("qdc", (".qdc",), "REFI-QDA codebook: adds its codes as labels", "qdc", sniffs=True),
    _importer(
        "qdpx",
        (".qdpx",),
        "REFI-QDA project (text sources and their codings)",
        "qdpx",
        sniffs=True,
    ),
    _importer(
        "qualcoder",
        (".qda",),
        "QualCoder project (its .qda folder or data.qda)",
        "qualcoder_project",
        sniffs=True,
    ),
    # exporters
    _exporter(
        "brat",
        "",
        "brat standoff: a folder of .txt and .ann files with annotation.conf",
        "brat",
    ),
    _exporter(
        "claims",
        ".csv",
        "Claims table: one row per claim with its actors (CSV)",
        "claims",
        streams=True,
    ),
    _exporter(
        "claims-xlsx", ".xlsx", "Claims table: one row per claim with its actors (Excel)", "claims"
    ),
    _exporter("codebook", ".yaml", "The project's codebook as YAML", "codebook_yaml", streams=True),
    _exporter("csv", ".csv", "One row per annotation (UTF-8 with BOM)", "csv_table", streams=True),
    _exporter("dna", ".dna", "DNA 3.0 file (Discourse Network Analyzer, rDNA)", "dna"),
    _exporter(
        "doccano", ".jsonl", "doccano JSONL: text, spans and labels", "doccano", streams=True
    ),
    _exporter(
        "jsonl",
        ".jsonl",
        "Annotator JSONL: lossless, for moving work between projects",
        "jsonl",
        streams=True,
    ),
    _exporter(
        "labelstudio",
        ".json",
        "Label Studio JSON tasks (spans, notes, attributes, relations)",
        "labelstudio",
        streams=True,
    ),
    _exporter(
        "network",
        ".graphml",
        "Discourse networks: actor-issue and actor-actor GraphML, plus edge lists (CSV)",
        "network",
    ),
    _exporter("qdc", ".qdc", "REFI-QDA codebook (the labels as codes)", "qdc"),
    _exporter("qdpx", ".qdpx", "REFI-QDA project for MAXQDA, NVivo, ATLAS.ti, QualCoder", "qdpx"),
    _exporter(
        "qdpx-nvivo", ".qdpx", "REFI-QDA project for NVivo (positions in UTF-16 units)", "qdpx"
    ),
    _exporter(
        "report-html",
        ".html",
        "Readable report: each document highlighted, with its annotations (HTML)",
        "report_html",
        streams=True,
    ),
    _exporter(
        "xlsx", ".xlsx", "Excel workbook: annotations with attributes, and the codebook", "xlsx"
    ),
)
