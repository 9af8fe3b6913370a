"""Documents built to explode or to stall, and files that are not files.

Every reader feeds one :class:`annotator.core.text.TextBudget` as it produces text: a
file that would give more than the limit (200 MB of text) or take longer than the time
bound is refused with one message naming the file and the bound, and nothing in the
project changes. The bombs here are real files: an ODT whose ``content.xml`` repeats
``<text:s text:c="10000"/>`` (a few KB giving 400 million characters), and a PDF whose
1,200 pages all draw one shared content stream. They are imported through the CLI in a
child process, so time and peak memory are measured on the real thing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget
from annotator.formats.registry import READERS, import_paths, load_formats, read_document
from annotator.store import Project
from tests.formats.test_readers import (
    make_docx,
    make_epub,
    make_odt,
    make_pdf,
    pdf_file,
    w_para,
    write_zip,
    xhtml,
)

# -- builders --------------------------------------------------------------------


def space_bomb_odt(path: Path, runs: int = 40_000) -> Path:
    """An ODT of a few KB: *runs* ``<text:s text:c="10000"/>`` in 40 paragraphs
    (content.xml stays under the zip bomb check's 1 MB floor)."""
    per = runs // 40
    body = "".join(
        "<text:p>Boom" + '<text:s text:c="10000"/>' * per + "</text:p>" for _ in range(40)
    )
    return make_odt(path, body)


def shared_stream_pdf(path: Path, pages: int, lines: int, width: int = 60) -> Path:
    """A PDF whose *pages* pages all draw one Flate-compressed content stream of
    *lines* lines of *width* letters: a small file giving pages x lines x width
    characters."""
    line = b"(" + b"A" * width + b") Tj T*"
    ops = b"BT /F1 11 Tf 14 TL 72 760 Td " + b" ".join([line] * lines) + b" ET"
    packed = zlib.compress(ops, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed),
    ]
    kids = []
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    path.write_bytes(pdf_file(objects))
    return path


def _state(project_path: Path) -> list[tuple[object, str]]:
    with Project.open(project_path, read_only=True) as project:
        return [(doc, project.text(doc)) for doc in project.documents()]


def _cli_import(project: Path, *args: str, timeout: float = 120) -> tuple[int, str, float, int]:
    """Run ``annotator import`` in a child; (exit code, stderr, seconds, peak RSS MB)."""
    code = (
        "import resource, sys\n"
        "from annotator.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
        "print(peak, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code, "import", str(project), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    seconds = time.monotonic() - start
    *lines, peak = done.stderr.splitlines()
    return done.returncode, "\n".join(lines) + "\n", seconds, int(peak)


def _baseline_peak(tmp_path: Path) -> int:
    """Peak RSS (MB) of the same command importing a small text into a new project: the
    interpreter and the imports, which a bomb's memory is measured over."""
    small, other = tmp_path / "small.txt", tmp_path / "other.annot"
    small.write_text("A short text.\n", encoding="utf-8")
    Project.create(other).close()
    return _cli_import(other, str(small))[3]


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="tester") as project:
        project.add_document("Already here before the import.", "existing")
    return path


# -- amplification bombs ---------------------------------------------------------


def test_odt_space_bomb_is_refused_fast_in_little_memory(
    project_path: Path, tmp_path: Path
) -> None:
    bomb = space_bomb_odt(tmp_path / "bomb.odt")
    assert bomb.stat().st_size < 10_000  # 400 million characters' worth of spaces
    before = _state(project_path)

    rc, err, seconds, peak_mb = _cli_import(project_path, str(bomb))
    baseline_mb = _baseline_peak(tmp_path)

    assert rc == 2
    assert err == (
        "annotator: error: bomb.odt gives more than 200 MB of text (a document built to "
        "explode?); Annotator imports texts up to 200 MB\n"
    )
    assert seconds < 30
    # what the bomb adds to the process: the 200 MB text budget and its pieces at most
    # (it was 1.3 GB and more, or out of memory); measured against the same command on
    # a small file, so the interpreter and the imports do not count
    assert peak_mb - baseline_mb < 350, (peak_mb, baseline_mb)
    assert _state(project_path) == before


def test_pdf_pages_sharing_one_stream_are_refused_fast(project_path: Path, tmp_path: Path) -> None:
    # 1,200 pages x 183,000 characters: 220 million characters from 160 KB; pypdf
    # takes 0.12 s a page, so reading every page took 2.5 minutes.
    bomb = shared_stream_pdf(tmp_path / "bomb.pdf", pages=1200, lines=3000)
    assert bomb.stat().st_size < 200_000
    before = _state(project_path)

    rc, err, seconds, peak_mb = _cli_import(project_path, str(bomb))
    baseline_mb = _baseline_peak(tmp_path)

    assert rc == 2
    assert err == (
        "annotator: error: bomb.pdf gives more than 200 MB of text (a document built to "
        "explode?); Annotator imports texts up to 200 MB\n"
    )
    assert seconds < 30
    assert peak_mb - baseline_mb < 500, (peak_mb, baseline_mb)  # over the same small import
    assert _state(project_path) == before


def test_pages_sharing_a_stream_under_the_limit_give_their_text_each_time(
    tmp_project: Project, tmp_path: Path
) -> None:
    pdf = shared_stream_pdf(tmp_path / "three.pdf", pages=3, lines=2, width=5)
    import_paths(tmp_project, [pdf])
    doc = tmp_project.documents()[-1]
    assert tmp_project.text(doc) == "\n\n".join(["AAAAA\nAAAAA"] * 3)


def test_a_slow_pdf_stops_at_the_deadline_between_pages(tmp_path: Path) -> None:
    # 400 different pages of 300 lines each: about 10 ms a page to extract.
    pages = [[f"Page {n} line {i} of the long report" for i in range(300)] for n in range(400)]
    pdf = make_pdf(tmp_path / "slow.pdf", pages)
    start = time.monotonic()
    with pytest.raises(FormatError) as caught:
        read_document(pdf, budget=TextBudget("slow.pdf", seconds=0.5))
    assert time.monotonic() - start < 3
    assert str(caught.value) == (
        "slow.pdf takes more than 0.5 s to read (a document built to stall the reader?); "
        "Annotator stopped reading it"
    )


def test_a_slow_web_page_stops_at_the_deadline(tmp_path: Path) -> None:
    page = tmp_path / "slow.html"
    page.write_text("<html><body>" + "<p>A <b>paragraph</b> of text.</p>" * 300_000, "utf-8")
    start = time.monotonic()
    with pytest.raises(FormatError, match=r"slow\.html takes more than 0\.2 s to read"):
        read_document(page, budget=TextBudget("slow.html", seconds=0.2))
    assert time.monotonic() - start < 3


# One budget, one message, every reader: each file holds 2,000 characters of text.
LONG = "Senate " * 286


def _txt(path: Path) -> Path:
    path.write_text(LONG, "utf-8")
    return path


def _html(path: Path) -> Path:
    path.write_text(f"<html><body><p>{LONG}</p></body></html>", "utf-8")
    return path


def _docx(path: Path) -> Path:
    return make_docx(path, w_para(LONG))


def _odt(path: Path) -> Path:
    return make_odt(path, f"<text:p>{LONG}</text:p>")


def _epub(path: Path) -> Path:
    return make_epub(path, {"one.xhtml": xhtml("One", f"<p>{LONG}</p>")}, ["one.xhtml"])


def _pdf(path: Path) -> Path:
    return make_pdf(path, [[LONG[i : i + 100] for i in range(0, len(LONG), 100)]])


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "text": _txt,
    "markdown": _txt,
    "html": _html,
    "html-page": _html,
    "docx": _docx,
    "odt": _odt,
    "epub": _epub,
    "pdf": _pdf,
}
SUFFIX = {"text": ".txt", "markdown": ".md", "html-page": ".html"}


def test_every_reader_is_covered() -> None:
    load_formats()
    assert set(READERS) == set(BUILDERS)


@pytest.mark.parametrize("fmt", sorted(BUILDERS))
def test_every_reader_stops_at_the_budget_with_one_message(tmp_path: Path, fmt: str) -> None:
    path = BUILDERS[fmt](tmp_path / f"long{SUFFIX.get(fmt, '.' + fmt)}")
    assert len(read_document(path, READERS[fmt]).text) >= 1990  # within the default budget
    with pytest.raises(FormatError) as caught:
        read_document(path, READERS[fmt], budget=TextBudget(path.name, limit=1000))
    assert str(caught.value) == (
        f"{path.name} gives more than 1,000 characters of text (a document built to "
        "explode?); Annotator imports texts up to 1,000 characters"
    )


# -- files that are not files ----------------------------------------------------


def test_named_pipe_is_refused_before_reading(project_path: Path, tmp_path: Path) -> None:
    for name in ("x.txt", "x.html", "x.pdf", "x.docx", "x.jsonl"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        for extra in ([], ["--format", "html"]):
            rc, err, _, _ = _cli_import(project_path, str(fifo), *extra, timeout=20)
            assert rc == 2, err
            assert err == (
                f"annotator: error: {name} is not a regular file (a named pipe, a device or "
                "a socket); Annotator imports files and folders only\n"
            )


@pytest.mark.parametrize("fmt", ["text", "html", "pdf", "docx", "odt", "epub", "jsonl"])
def test_device_is_refused_before_reading(project_path: Path, fmt: str) -> None:
    before = _state(project_path)
    rc, err, _, _ = _cli_import(project_path, "/dev/zero", "--format", fmt, timeout=20)
    assert rc == 2
    assert err == (
        "annotator: error: zero is not a regular file (a named pipe, a device or a socket); "
        "Annotator imports files and folders only\n"
    )
    assert _state(project_path) == before


def test_read_document_refuses_a_pipe_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    errors: list[BaseException] = []

    def read() -> None:
        try:
            read_document(fifo, READERS["html"])
        except BaseException as exc:
            errors.append(exc)

    load_formats()
    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # blocked in open(): unblock it, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a named pipe blocked")
    assert len(errors) == 1 and isinstance(errors[0], FormatError)
    assert "not a regular file" in str(errors[0])


# -- XML that declares an encoding that does not exist ---------------------------


def _declaring(path: Path, plain: Path, part: str, label: bytes) -> Path:
    """*plain* with the XML declaration of its entry *part* naming encoding *label*."""
    with zipfile.ZipFile(plain) as src:
        entries: dict[str, str | bytes] = {name: src.read(name) for name in src.namelist()}
    data = entries[part]
    assert isinstance(data, bytes) and b'encoding="UTF-8"' in data
    entries[part] = data.replace(b'encoding="UTF-8"', b'encoding="' + label + b'"', 1)
    first = "mimetype" if "mimetype" in entries else None
    return write_zip(path, entries, stored_first=first)


def _docx_encoding(path: Path) -> Path:
    plain = make_docx(path.with_name("plain.docx"), w_para("Hello"))
    return _declaring(path, plain, "word/document.xml", b"UTF-0")


def _odt_encoding(path: Path) -> Path:
    plain = make_odt(path.with_name("plain.odt"), "<text:p>Hello</text:p>")
    return _declaring(path, plain, "content.xml", b"UTF-0")


def _epub_encoding(path: Path) -> Path:
    plain = make_epub(
        path.with_name("plain.epub"), {"one.xhtml": xhtml("One", "<p>Hello</p>")}, ["one.xhtml"]
    )
    return _declaring(path, plain, "OEBPS/content.opf", b"klingon")


@pytest.mark.parametrize(
    ("name", "build", "part"),
    [
        ("odd.docx", _docx_encoding, "word/document.xml"),
        ("odd.odt", _odt_encoding, "content.xml"),
        ("odd.epub", _epub_encoding, "OEBPS/content.opf"),
    ],
)
def test_xml_declaring_an_unknown_encoding_is_one_line(
    tmp_project: Project, tmp_path: Path, name: str, build: Callable[[Path], Path], part: str
) -> None:
    path = build(tmp_path / name)
    before = [(d, tmp_project.text(d)) for d in tmp_project.documents()]
    with pytest.raises(FormatError) as caught:
        import_paths(tmp_project, [path])
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert part in message
    assert message.endswith("declares a text encoding that does not exist")
    assert [(d, tmp_project.text(d)) for d in tmp_project.documents()] == before
