"""E-books (``.epub``): the chapters of the spine, in reading order.

``META-INF/container.xml`` names the package (OPF) file; its spine lists the XHTML
chapters in reading order. Each chapter goes through the HTML-to-text conversion of
web pages' page mode (:mod:`annotator.formats._html_text`), without navigation, headers,
footers, asides and forms (``BOOK_SKIPPED``); chapters are separated by a blank
line, and chapters without text (a cover picture) are left out, as are spine entries
marked ``linear="no"`` (notes, pop-ups). The title is the OPF's ``dc:title``. DRM-
protected books are refused.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget
from annotator.formats._html_text import BOOK_SKIPPED, decode_html, html_to_text
from annotator.formats._zipsafe import SafeZip, local
from annotator.formats.registry import DocumentText, reader

CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/html"})


@reader("epub", (".epub",), "E-book (.epub): the chapters in reading order")
def read_epub(path: Path, budget: TextBudget) -> DocumentText:
    name = path.name
    with SafeZip(path, "EPUB e-book") as archive:
        if archive.has("META-INF/encryption.xml") and _drm(archive.xml("META-INF/encryption.xml")):
            raise FormatError(f"{name} is protected by DRM; Annotator cannot read its text")
        container = archive.xml("META-INF/container.xml", "it is not an EPUB e-book")
        opf_name = _package_path(container)
        if opf_name is None:
            raise FormatError(f"{name}: META-INF/container.xml names no package (.opf) file")
        opf_name = archive.resolve("", opf_name)
        package = archive.xml(opf_name, "the container names it, but it is missing")
        chapters: list[str] = []
        warnings: list[str] = []
        for entry in _spine(package, opf_name, archive):
            data = archive.read(entry, "the spine lists it, but it is missing")
            page = html_to_text(
                decode_html(data, f"{name}: {entry}", warnings), budget, BOOK_SKIPPED
            )
            if page.text.strip():
                chapters.append(page.text)
                budget.add(2)  # the blank line between chapters
        title = _title(package)
    if not chapters:
        raise FormatError(f"{name} holds no text (its chapters are empty or pictures)")
    return DocumentText(
        title=title or path.stem,
        text="\n\n".join(chapters),
        source_name=name,
        warnings=tuple(warnings),
    )


def _package_path(container: Element) -> str | None:
    rootfiles = [el for el in container.iter(f"{{{CONTAINER}}}rootfile") if el.get("full-path")]
    for el in rootfiles:
        if el.get("media-type") == "application/oebps-package+xml":
            return el.get("full-path")
    return rootfiles[0].get("full-path") if rootfiles else None


def _spine(package: Element, opf_name: str, archive: SafeZip) -> list[str]:
    """The entry names of the spine's (X)HTML documents, in reading order."""
    manifest: dict[str, tuple[str, str]] = {}
    for item in package.iter(f"{{{OPF}}}item"):
        item_id, href = item.get("id"), item.get("href")
        if item_id and href:
            manifest[item_id] = (href, (item.get("media-type") or "").strip().lower())
    spine = next(package.iter(f"{{{OPF}}}spine"), None)
    if spine is None:
        raise FormatError(f"{archive.name}: {opf_name} has no spine (no reading order)")
    entries: dict[str, None] = {}  # in order, each once
    for ref in spine.iter(f"{{{OPF}}}itemref"):
        if (ref.get("linear") or "yes").strip().lower() == "no":
            continue
        idref = ref.get("idref") or ""
        if idref not in manifest:
            raise FormatError(
                f"{archive.name}: the spine names '{idref}', which is not in the manifest"
            )
        href, media_type = manifest[idref]
        if media_type not in _HTML_TYPES:
            continue
        url = urlsplit(href)
        if url.scheme or url.netloc:
            continue  # a remote resource: never fetched
        entries.setdefault(archive.resolve(opf_name, unquote(url.path)))
    return list(entries)


def _title(package: Element) -> str:
    for el in package.iter(f"{{{DC}}}title"):
        title = " ".join("".join(el.itertext()).split())
        if title:
            return title
    return ""


def _drm(encryption: Element) -> bool:
    """True when content files are encrypted (font obfuscation alone is harmless)."""
    fonts = {
        "http://www.idpf.org/2008/embedding",
        "http://ns.adobe.com/pdf/enc#RC",
    }
    for el in encryption.iter():
        if local(el.tag)[1] == "EncryptionMethod" and el.get("Algorithm") not in fonts:
            return True
    return False
