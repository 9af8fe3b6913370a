"""Safe reading of zip-based documents (.docx, .odt, .epub) and the XML inside them.

A hostile archive is refused as a whole, before anything is read from it: entries whose
names leave the archive's folder (absolute paths, ``..``), archives that would unpack
to more than :data:`MAX_TOTAL` bytes, and entries compressed more than
:data:`MAX_RATIO` times (zip bombs). XML is parsed only with ``defusedxml``: entity
declarations (billion laughs, external entities) are refused. Every problem becomes a
:class:`FormatError` that names the file and says what is wrong.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from types import TracebackType
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from annotator.core.errors import FormatError

MAX_TOTAL = 200 * 1024 * 1024
"""Refuse archives whose entries add up to more than this, uncompressed (bytes)."""
MAX_RATIO = 100
"""Refuse entries that unpack to more than this many times their compressed size..."""
RATIO_FLOOR = 1024 * 1024
"""...once they are larger than this (small entries of repeated markup may compress well)."""

_DRIVE = re.compile(r"^[A-Za-z]:")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def escapes_folder(name: str) -> bool:
    """True when the entry name *name* is absolute or climbs out with ``..``."""
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return True
    return ".." in unified.split("/")


class SafeZip:
    """A zip archive that passed the checks; read entries with :meth:`read` / :meth:`xml`.

    *kind* names the format in messages, e.g. ``"Word .docx"``.
    """

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.name = path.name
        self.kind = kind
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise FormatError(self._not_zip_message()) from None
        except (OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise FormatError(f"{self.name}: the {kind} file cannot be opened ({exc})") from None
        try:
            self._check()
        except BaseException:
            self._zip.close()
            raise
        self._names = {info.filename for info in self._zip.infolist()}

    def _not_zip_message(self) -> str:
        try:
            with self.path.open("rb") as fh:
                head = fh.read(8)
        except OSError:
            head = b""
        if not head:
            return f"{self.name} is empty: there is no text to import"
        if head == _OLE2:
            return (
                f"{self.name} is an old binary Office file or a password-protected one, "
                f"not a {self.kind} file; save it (without a password) as {self.kind} "
                "and import that"
            )
        return f"{self.name} is not a valid {self.kind} file (it is not a zip archive)"

    def _check(self) -> None:
        total = 0
        for info in self._zip.infolist():
            if escapes_folder(info.filename):
                raise FormatError(
                    f"{self.name} holds an entry whose name leaves its folder "
                    f"('{info.filename}'); refusing the whole file"
                )
            total += info.file_size
            if total > MAX_TOTAL:
                raise FormatError(
                    f"{self.name} would unpack to more than {MAX_TOTAL // 2**20} MB "
                    "(a zip bomb?); refusing to read it"
                )
            if info.file_size > RATIO_FLOOR and (
                info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO
            ):
                raise FormatError(
                    f"{self.name}: the entry '{info.filename}' is compressed more than "
                    f"{MAX_RATIO} times (a zip bomb?); refusing to read it"
                )

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str, what: str | None = None) -> bytes:
        """The bytes of entry *name*; *what* explains a missing entry in the message."""
        if name not in self._names:
            missing = f"{self.name} has no {name}"
            raise FormatError(f"{missing}: {what}" if what else missing)
        if escapes_folder(name):  # only reachable for names built by a caller
            raise FormatError(f"{self.name}: the entry '{name}' leaves its folder")
        try:
            with self._zip.open(name) as fh:
                # zipfile stops at the declared size (checked above) and checks the CRC.
                return fh.read(MAX_TOTAL + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise FormatError(f"{self.name}: the entry '{name}' is damaged ({exc})") from None
        except NotImplementedError:
            raise FormatError(
                f"{self.name}: the entry '{name}' uses a compression Annotator cannot unpack"
            ) from None
        except RuntimeError:  # zipfile: "File ... is encrypted, password required"
            raise FormatError(
                f"{self.name} is password-protected; remove the protection and import it again"
            ) from None

    def xml(self, name: str, what: str | None = None) -> Element:
        """Entry *name* parsed as XML (with ``defusedxml``)."""
        return parse_xml(self.read(name, what), f"{self.name}: {name}")

    def resolve(self, base: str, href: str) -> str:
        """The entry name of *href*, relative to the entry *base* ("" for the archive's
        root); a reference that leaves the archive is refused."""
        leaves = FormatError(
            f"{self.name}: the reference '{href}' in {base or 'the archive'} leaves the archive"
        )
        unified = href.replace("\\", "/")
        if unified.startswith("/") or _DRIVE.match(unified):
            raise leaves
        parts: list[str] = []
        for part in [*base.split("/")[:-1], *unified.split("/")]:
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    raise leaves
                parts.pop()
            else:
                parts.append(part)
        if not parts:
            raise leaves
        return "/".join(parts)


def parse_xml(data: bytes, where: str) -> Element:
    """Parse *data* with ``defusedxml``; *where* (``"file.docx: word/document.xml"``)
    starts every error message."""
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException:
        raise FormatError(
            f"{where} declares XML entities (an 'XML bomb' or a reference to an outside "
            "file); Annotator refuses such files"
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        reason = str(exc).split(":")[0]  # expat's "mismatched tag: line 1, column 5"
        raise FormatError(
            f"{where} is not well-formed XML ({reason} at line {line}, column {column + 1})"
        ) from None
    except RecursionError:
        raise FormatError(f"{where} is nested too deeply to read") from None
    except LookupError:
        raise FormatError(f"{where} declares a text encoding that does not exist") from None


def local(tag: object) -> tuple[str, str]:
    """``(namespace, local name)`` of an element tag (``("", "")`` for comments and PIs)."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag
