"""The document readers (DOCX, ODT, PDF, EPUB; HTML: test_html_reader.py) through the real import path.

Every fixture is made here, at test time, in tmp_path: zip archives with hand-written
XML, PDFs written byte by byte (with correct xref offsets) or by Qt. Each test imports
into a real project file and compares the stored text exactly.
"""

from __future__ import annotations

import zipfile
from html import escape
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.demo import sample_text
from annotator.formats.registry import import_paths, reader_for
from annotator.store import Project
from annotator.store.models import Document

PARAGRAPHS = sample_text().strip().split("\n")

# -- fixture builders (shared with test_readers_hostile.py) -------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def write_zip(path: Path, entries: dict[str, str | bytes], stored_first: str | None = None) -> Path:
    """A zip with *entries* in order; *stored_first* is written uncompressed, first
    (the ``mimetype`` of ODF and EPUB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if stored_first is not None:
            zf.writestr(stored_first, entries[stored_first], zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                zf.writestr(name, data)
    return path


def w_run(text: str) -> str:
    """A run of text, with tabs and line breaks as Word writes them."""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece, quote=False)}</w:t>')
    return f"<w:r><w:rPr><w:b/></w:rPr>{''.join(parts)}</w:r>"


def w_para(text: str) -> str:
    return (
        f"<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='720'/></w:tabs></w:pPr>{w_run(text)}</w:p>"
    )


def document_xml(body: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )


def core_xml(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
        'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org'
        f'/dc/elements/1.1/"><dc:title>{escape(title)}</dc:title></cp:coreProperties>'
    )


def make_docx(
    path: Path, body: str, title: str | None = None, extra: dict[str, str | bytes] | None = None
) -> Path:
    entries: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "word/document.xml": document_xml(body),
    }
    if title is not None:
        entries["docProps/core.xml"] = core_xml(title)
    entries.update(extra or {})
    return write_zip(path, entries)


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def make_odt(path: Path, body: str, title: str | None = None, kind: str = "text") -> Path:
    entries: dict[str, str | bytes] = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS}>'
        f"<office:body><office:{kind}>{body}</office:{kind}></office:body>"
        "</office:document-content>",
    }
    if title is not None:
        entries["meta.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODF_NS}>'
            f"<office:meta><dc:title>{escape(title)}</dc:title></office:meta>"
            "</office:document-meta>"
        )
    return write_zip(path, entries, stored_first="mimetype")


CONTAINER_XML = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def xhtml(title: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        f"<head><title>{escape(title)}</title></head><body>{body}</body></html>"
    )


def make_epub(
    path: Path,
    chapters: dict[str, str],
    spine: list[str],
    title: str = "",
    extra: dict[str, str | bytes] | None = None,
    manifest_extra: str = "",
    spine_extra: str = "",
) -> Path:
    """*chapters*: href (relative to OEBPS/) -> XHTML; *spine*: hrefs in reading order."""
    ids = {href: f"c{n}" for n, href in enumerate(chapters)}
    manifest = "".join(
        f'<item id="{ids[href]}" href="{escape(href.replace(" ", "%20"))}" '
        'media-type="application/xhtml+xml"/>'
        for href in chapters
    )
    itemrefs = "".join(f'<itemref idref="{ids[href]}"/>' for href in spine)
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/'
        f'1.1/"><dc:identifier id="id">urn:x</dc:identifier><dc:title>{escape(title)}'
        f"</dc:title></metadata><manifest>{manifest}{manifest_extra}</manifest>"
        f"<spine>{itemrefs}{spine_extra}</spine></package>"
    )
    entries: dict[str, str | bytes] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": CONTAINER_XML,
        "OEBPS/content.opf": opf,
    }
    entries.update({f"OEBPS/{href}": data for href, data in chapters.items()})
    entries.update(extra or {})
    return write_zip(path, entries, stored_first="mimetype")


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252")  # the font below uses WinAnsiEncoding
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(path: Path, pages: list[list[str] | None], title: str | None = None) -> Path:
    """A minimal PDF 1.4 by hand: one line of Helvetica per string, a grey rectangle and
    no text for a page given as None; the xref table has the real byte offsets."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled in below)
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    kids = []
    for lines in pages:
        if lines is None:
            ops = b"0.5 g 72 600 200 100 re f"
        else:
            shown = b" T* ".join(_pdf_string(line) + b" Tj" for line in lines)
            ops = b"BT /F1 11 Tf 14 TL 72 760 Td " + shown + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects))
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info = b""
    if title is not None:
        objects.append(b"<< /Title " + _pdf_string(title) + b" >>")
        info = b" /Info %d 0 R" % len(objects)
    path.write_bytes(pdf_file(objects, info, head=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"))
    return path


def pdf_file(objects: list[bytes], info: bytes = b"", head: bytes = b"%PDF-1.4\n") -> bytes:
    """A PDF file of *objects* (numbered from 1, the first the catalog), with its xref."""
    out = bytearray(head)
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info,
        xref,
    )
    return bytes(out)


def import_one(project: Project, path: Path) -> tuple[Document, str]:
    """Import *path* through the registry; return the new document and its stored text."""
    before = len(project.documents())
    report = import_paths(project, [path])
    assert report.documents == 1
    assert len(project.documents()) == before + 1
    doc = project.document(report.document_ids[0])
    text = project.text(doc)
    assert doc.source_name == path.name
    assert doc.length == len(text)
    return doc, text


# -- Word .docx --------------------------------------------------------------------


def test_docx_sample_article_and_structure(tmp_project: Project, tmp_path: Path) -> None:
    body = "".join(w_para(p) for p in PARAGRAPHS)
    body += w_para("a\ttab and\na break")
    # one paragraph split over runs, a hyperlink, a tracked insertion and deletion,
    # a field code whose result is kept, a footnote reference
    body += (
        "<w:p><w:r><w:t>Split </w:t></w:r><w:r><w:t>over runs,</w:t></w:r>"
        '<w:hyperlink r:id="rId9" xmlns:r="x"><w:r><w:t xml:space="preserve"> linked</w:t></w:r></w:hyperlink>'
        "<w:ins><w:r><w:t>, inserted</w:t></w:r></w:ins>"
        "<w:del><w:r><w:delText> deleted</w:delText></w:r></w:del>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t> 7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:noBreakHyphen/><w:t>x</w:t></w:r></w:p>'
    )
    body += "<w:p/>"  # an empty paragraph is an empty line
    body += (
        "<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>Chamber</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Votes</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>Senate</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>183</w:t></w:r></w:p><w:p><w:r><w:t>for</w:t></w:r></w:p></w:tc>"
        "</w:tr></w:tbl>"
    )
    body += "<w:sdt><w:sdtContent>" + w_para("In a content control") + "</w:sdtContent></w:sdt>"
    body += "<w:p/><w:p/>"  # trailing empty paragraphs are dropped
    path = make_docx(tmp_path / "resolution.docx", body, title="  France–Armenia\nresolution ")
    doc, text = import_one(tmp_project, path)
    assert text == "\n".join(
        [
            *PARAGRAPHS,
            "a\ttab and\na break",
            "Split over runs, linked, inserted 7\u2011x",
            "",
            "Chamber\tVotes",
            "Senate\t183 for",
            "In a content control",
        ]
    )
    assert doc.title == "France–Armenia resolution"


def test_docx_title_falls_back_to_file_stem(tmp_project: Project, tmp_path: Path) -> None:
    no_core = make_docx(tmp_path / "no core.docx", w_para("Text"))
    empty_title = make_docx(tmp_path / "empty title.docx", w_para("Text"), title=" ")
    assert import_one(tmp_project, no_core)[0].title == "no core"
    assert import_one(tmp_project, empty_title)[0].title == "empty title"


def test_docx_through_the_cli(
    tmp_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_docx(tmp_path / "cli.docx", "".join(w_para(p) for p in PARAGRAPHS), title="Via CLI")
    assert main(["import", str(tmp_project.path), str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "imported cli.docx as document 1 'Via CLI'" in out
    (doc,) = tmp_project.documents()
    assert tmp_project.text(doc) == "\n".join(PARAGRAPHS)


# -- OpenDocument .odt ------------------------------------------------------------


def test_odt_paragraphs_spaces_lists_tables(tmp_project: Project, tmp_path: Path) -> None:
    body = (
        "<text:sequence-decls><text:sequence-decl text:name='Table'/></text:sequence-decls>"
        '<text:h text:outline-level="1">France–Armenia <text:span>resolution</text:span></text:h>'
        + "".join(f"<text:p>{escape(p, quote=False)}</text:p>" for p in PARAGRAPHS)
        + "<text:p>\n   spaces<text:s text:c='3'/>kept, xml\n  space   collapsed"
        "<text:tab/>tab<text:line-break/>new line<text:note><text:note-citation>1</text:note-citation>"
        "<text:note-body><text:p>a footnote</text:p></text:note-body></text:note></text:p>"
        "<text:list><text:list-item><text:p>item one</text:p></text:list-item>"
        "<text:list-item><text:p>item two</text:p><text:list><text:list-item>"
        "<text:p>nested</text:p></text:list-item></text:list></text:list-item></text:list>"
        "<table:table><table:table-column table:number-columns-repeated='2'/>"
        "<table:table-header-rows><table:table-row><table:table-cell><text:p>Chamber</text:p>"
        "</table:table-cell><table:table-cell><text:p>Votes</text:p></table:table-cell>"
        "</table:table-row></table:table-header-rows>"
        "<table:table-row><table:table-cell><text:p>Senate</text:p></table:table-cell>"
        "<table:table-cell><text:p>183</text:p></table:table-cell></table:table-row></table:table>"
        "<text:p><office:annotation><text:p>a comment</text:p></office:annotation>"
        "After<draw:frame><draw:text-box><text:p>boxed</text:p></draw:text-box></draw:frame>.</text:p>"
        "<text:p/>"
    )
    path = make_odt(tmp_path / "resolution.odt", body, title="Résolution")
    doc, text = import_one(tmp_project, path)
    assert text == "\n".join(
        [
            "France–Armenia resolution",
            *PARAGRAPHS,
            "spaces   kept, xml space collapsed\ttab\nnew line",
            "item one",
            "item two",
            "nested",
            "Chamber\tVotes",
            "Senate\t183",
            "After.",
        ]
    )
    assert doc.title == "Résolution"
    no_meta = make_odt(tmp_path / "untitled.odt", "<text:p>Just text</text:p>")
    assert import_one(tmp_project, no_meta)[0].title == "untitled"


# -- PDF ---------------------------------------------------------------------------


def test_pdf_text_layer_page_by_page(tmp_project: Project, tmp_path: Path) -> None:
    pages: list[list[str] | None] = [
        PARAGRAPHS[0].split(", "),
        None,  # a page with a drawing and no text is left out
        ["France’s Senate (résumé) a\\b", "183 votes"],
    ]
    path = make_pdf(tmp_path / "two pages.pdf", pages, title="A PDF title")
    doc, text = import_one(tmp_project, path)
    assert (
        text
        == "\n".join(PARAGRAPHS[0].split(", "))
        + "\n\n"
        + "France’s Senate (résumé) a\\b\n183 votes"
    )
    assert doc.title == "A PDF title"
    untitled = make_pdf(tmp_path / "untitled.pdf", [["Text"]])
    assert import_one(tmp_project, untitled)[0].title == "untitled"


def test_pdf_written_by_qt(tmp_project: Project, tmp_path: Path, qapp: object) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPageSize, QPainter, QPdfWriter, QTextDocument

    lines = ["France’s Senate voted.", "Résumé of the talks: 183 votes.", "Հայաստան"]
    path = tmp_path / "qt.pdf"
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setTitle("Written by Qt")
    document = QTextDocument()
    document.setPlainText("\n".join(lines))
    painter = QPainter(writer)
    document.drawContents(painter, QRectF(0, 0, writer.width(), writer.height()))
    painter.end()
    del writer
    doc, text = import_one(tmp_project, path)
    assert text == "\n".join(lines)
    assert doc.title == "Written by Qt"


def test_pdf_with_empty_user_password_opens(tmp_project: Project, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", [["Restricted but readable"]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    restricted = tmp_path / "restricted.pdf"
    with restricted.open("wb") as fh:
        writer.write(fh)
    assert import_one(tmp_project, restricted)[1] == "Restricted but readable"


# -- EPUB --------------------------------------------------------------------------


def test_epub_spine_in_reading_order(tmp_project: Project, tmp_path: Path) -> None:
    chapters = {
        "text/chapter 2.xhtml": xhtml(
            "Two", "<h1>Chapter 2</h1>" + "".join(f"<p>{escape(p)}</p>" for p in PARAGRAPHS[6:])
        ),
        "text/chapter1.xhtml": xhtml(
            "One",
            "<nav epub:type='toc'><ol><li>NAV</li></ol></nav><h1>Chapter 1</h1>"
            + "".join(f"<p>{escape(p)}</p>" for p in PARAGRAPHS[:6]),
        ),
        "cover.xhtml": xhtml("Cover", "<div><img src='cover.jpg' alt='Cover'/></div>"),
        "notes.xhtml": xhtml("Notes", "<p>NOT IN THE READING ORDER</p>"),
    }
    path = make_epub(
        tmp_path / "book.epub",
        chapters,
        spine=["cover.xhtml", "text/chapter1.xhtml", "text/chapter 2.xhtml"],
        title="France & Armenia",
        spine_extra='<itemref idref="c3" linear="no"/>',
    )
    doc, text = import_one(tmp_project, path)
    expected_one = "\n\n".join(["Chapter 1", *PARAGRAPHS[:6]])
    expected_two = "\n\n".join(["Chapter 2", *PARAGRAPHS[6:]])
    assert text == expected_one + "\n\n" + expected_two
    assert doc.title == "France & Armenia"


# -- plain text in Windows-1252 (read by the text reader, same path) ---------------


def test_windows_1252_text_file(tmp_project: Project, tmp_path: Path) -> None:
    source = sample_text().replace("Senate", "Sénat") + "“Quoted” — café\r\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(source.encode("cp1252"))
    _, text = import_one(tmp_project, path)
    assert text == source.replace("\r\n", "\n")
    assert "France’s Sénat" in text and "“Quoted” — café" in text


def test_readers_are_registered_by_extension(tmp_path: Path) -> None:
    found = {
        ext: (fmt.name if (fmt := reader_for(tmp_path / f"x{ext}")) else None)
        for ext in (".html", ".HTM", ".docx", ".odt", ".pdf", ".epub")
    }
    assert found == {
        ".html": "html",
        ".HTM": "html",
        ".docx": "docx",
        ".odt": "odt",
        ".pdf": "pdf",
        ".epub": "epub",
    }
