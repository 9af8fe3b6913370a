"""Hostile and broken documents: each gives one clear FormatError and changes nothing.

Every case is built at test time and imported twice into a project that already holds
the sample article: through ``import_paths`` (a FormatError naming the file) and
through the CLI (exit code 2, one line on stderr). The project's documents and texts
are compared before and after.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import FormatError
from annotator.formats.registry import import_paths
from annotator.store import Project
from tests.formats.test_readers import (
    CONTAINER_XML,
    CONTENT_TYPES,
    document_xml,
    make_docx,
    make_epub,
    make_odt,
    make_pdf,
    w_para,
    write_zip,
    xhtml,
)

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10))
    + '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)
EXTERNAL = '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _bomb_docx(path: Path) -> Path:
    body = "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>"
    return write_zip(
        path,
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "word/document.xml": document_xml(body, BILLION_LAUGHS),
        },
    )


def _external_docx(path: Path) -> Path:
    body = "<w:p><w:r><w:t>&secret;</w:t></w:r></w:p>"
    return write_zip(
        path,
        {"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": document_xml(body, EXTERNAL)},
    )


def _external_title_docx(path: Path) -> Path:
    core = (
        '<?xml version="1.0"?><!DOCTYPE cp [<!ENTITY t SYSTEM "http://example.invalid/x">]>'
        '<cp:coreProperties xmlns:cp="urn:cp" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>&t;</dc:title></cp:coreProperties>"
    )
    return make_docx(path, w_para("Text"), extra={"docProps/core.xml": core})


def _escaping_docx(path: Path) -> Path:
    return make_docx(path, w_para("Text"), extra={"../../evil.txt": "owned"})


def _absolute_docx(path: Path) -> Path:
    return make_docx(path, w_para("Text"), extra={"/etc/cron.d/evil": "owned"})


def _escaping_epub(path: Path) -> Path:
    chapters = {"one.xhtml": xhtml("One", "<p>Text</p>")}
    return make_epub(path, chapters, ["one.xhtml"], extra={"OEBPS/../../../evil.xhtml": "x"})


def _epub_spine_leaves(path: Path) -> Path:
    chapters = {"one.xhtml": xhtml("One", "<p>Text</p>")}
    return make_epub(
        path,
        chapters,
        ["one.xhtml"],
        manifest_extra='<item id="out" href="../../outside.xhtml" media-type="application/xhtml+xml"/>',
        spine_extra='<itemref idref="out"/>',
    )


def _epub_opf_entities(path: Path) -> Path:
    opf = f'<?xml version="1.0"?>{BILLION_LAUGHS}<package xmlns="http://www.idpf.org/2007/opf">&lol9;</package>'
    return write_zip(
        path,
        {
            "mimetype": "application/epub+zip",
            "META-INF/container.xml": CONTAINER_XML,
            "OEBPS/content.opf": opf,
        },
        stored_first="mimetype",
    )


def _epub_missing_chapter(path: Path) -> Path:
    epub = make_epub(path, {"one.xhtml": xhtml("One", "<p>Text</p>")}, ["one.xhtml"])
    with zipfile.ZipFile(epub) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "OEBPS/one.xhtml"}
    path.unlink()
    return write_zip(path, entries, stored_first="mimetype")


def _ratio_bomb_docx(path: Path) -> Path:
    # 20 MB of zeros deflate to about 20 kB: a ratio near 1000
    return make_docx(path, w_para("Text"), extra={"word/media/fill.bin": bytes(20 * 2**20)})


def _total_bomb_docx(path: Path) -> Path:
    """Entries that claim (in the central directory) to unpack to 201 MB in all."""
    extra: dict[str, str | bytes] = {f"word/media/{n}.bin": b"x" for n in range(201)}
    make_docx(path, w_para("Text"), extra=extra)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length].startswith(b"word/media/"):
            struct.pack_into("<I", data, at + 24, 2**20)  # uncompressed size: 1 MB
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))
    return path


def _odt_bomb(path: Path) -> Path:
    entries: dict[str, str | bytes] = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": f'<?xml version="1.0"?>{BILLION_LAUGHS}<doc>&lol9;</doc>',
    }
    return write_zip(path, entries, stored_first="mimetype")


def _odt_spreadsheet(path: Path) -> Path:
    return make_odt(path, "<table:table/>", kind="spreadsheet")


def _not_a_zip_docx(path: Path) -> Path:
    path.write_text("This is plain text saved with the wrong name.\n", "utf-8")
    return path


def _old_word_doc(path: Path) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return path


def _xlsx_named_docx(path: Path) -> Path:
    return write_zip(path, {"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": "<workbook/>"})


def _malformed_docx(path: Path) -> Path:
    return write_zip(path, {"word/document.xml": "<w:document><w:body><w:p></w:body>"})


def _binary_txt(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _scanned_pdf(path: Path) -> Path:
    return make_pdf(path, [None, None])


def _password_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(path.with_name("plain.pdf"), [["Secret text"]])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="open sesame", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def _damaged_pdf(path: Path) -> Path:
    good = make_pdf(path.with_name("good.pdf"), [["Text"]]).read_bytes()
    path.write_bytes(good[: len(good) // 3])
    return path


def _html_only_scripts(path: Path) -> Path:
    path.write_text(
        "<html><head><script>alert(1)</script></head><body><nav>Home</nav>"
        "<footer>©</footer></body></html>",
        "utf-8",
    )
    return path


# (file name, builder, words the message must contain)
CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("escape.docx", _escaping_docx, "leaves its folder"),
    ("absolute.docx", _absolute_docx, "leaves its folder"),
    ("escape.epub", _escaping_epub, "leaves its folder"),
    ("spine-escape.epub", _epub_spine_leaves, "leaves the archive"),
    ("laughs.docx", _bomb_docx, "XML bomb"),
    ("external.docx", _external_docx, "outside file"),
    ("external-title.docx", _external_title_docx, "docProps/core.xml declares XML entities"),
    ("laughs.epub", _epub_opf_entities, "XML bomb"),
    ("laughs.odt", _odt_bomb, "XML bomb"),
    ("ratio.docx", _ratio_bomb_docx, "zip bomb"),
    ("total.docx", _total_bomb_docx, "more than 200 MB"),
    ("binary.txt", _binary_txt, "binary"),
    ("empty.txt", _empty, "empty"),
    ("empty.html", _empty, "empty"),
    ("empty.docx", _empty, "empty"),
    ("empty.odt", _empty, "empty"),
    ("empty.epub", _empty, "empty"),
    ("empty.pdf", _empty, "empty"),
    ("text.docx", _not_a_zip_docx, "not a zip archive"),
    ("old.docx", _old_word_doc, "old binary Office file"),
    ("workbook.docx", _xlsx_named_docx, "has no word/document.xml"),
    ("malformed.docx", _malformed_docx, "not well-formed XML (unbound prefix at line 1, column 1)"),
    ("sheet.odt", _odt_spreadsheet, "not an OpenDocument text"),
    ("missing-chapter.epub", _epub_missing_chapter, "has no OEBPS/one.xhtml: the spine lists it"),
    ("scan.pdf", _scanned_pdf, "has no text layer (a scanned PDF?); run OCR first"),
    ("locked.pdf", _password_pdf, "protected by a password"),
    ("damaged.pdf", _damaged_pdf, "damaged"),
    ("menus.html", _html_only_scripts, "no article text"),
]


def _state(project: Project) -> list[tuple[object, str]]:
    return [(doc, project.text(doc)) for doc in project.documents()]


@pytest.mark.parametrize(("name", "build", "words"), CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_refused_and_changes_nothing(
    sample_project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    build: Callable[[Path], Path],
    words: str,
) -> None:
    path = build(tmp_path / name)
    before = _state(sample_project)
    assert len(before) == 1

    with pytest.raises(FormatError) as caught:
        import_paths(sample_project, [path])
    message = str(caught.value)
    assert name in message
    assert words in message
    assert "\n" not in message
    assert _state(sample_project) == before

    assert main(["import", str(sample_project.path), str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"annotator: error: {message}\n"
    assert _state(sample_project) == before
