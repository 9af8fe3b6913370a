"""Decoding, checking and normalisation of document text (DESIGN.md, "Text and offsets").

The normalised text is what every offset indexes: decoded, BOM dropped, and
``\\r\\n``, ``\\r``, U+2028 and U+2029 turned into ``\\n``. Nothing else changes.

Three rules every document reader shares live here, so no reader can differ:

- :func:`decode`: bytes to text. UTF-8 that is valid but for a few bytes stays UTF-8
  (those bytes become U+FFFD, with a warning); another encoding is guessed only when
  the guess is confident, and the guess is named in a warning.
- :func:`check_text`: what text is refused as binary (also where documents enter the
  store, so importers of annotated files follow it too).
- :class:`TextBudget`: how much text one file may give, and how long reading it may
  take (documents built to explode: ODT space runs, PDF pages sharing one stream).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import time
from itertools import islice

from annotator.core.errors import FormatError

_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029")
# Control characters that never occur in prose: C0 but tab, newline, CR and form feed,
# and DEL. NUL is refused wherever it is; the others when they are more than a few
# (more than 2, and more than one in 200 characters): a stray one is kept as written.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ESCAPED = re.compile("[\udc80-\udcff]")  # an undecodable byte, after "surrogateescape"
_NON_ASCII = bytes(range(128, 256))

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

MAX_TEXT_CHARS = 200 * 2**20
"""The most text one file may give (characters; each is at least one byte in UTF-8)."""
MAX_READ_SECONDS = 120.0
"""The longest one file may take to read."""

VALID_PER_STRAY = 2
"""Bytes that are not valid UTF-8 are replaced (and the text stays UTF-8) when the
non-ASCII bytes that are valid UTF-8 are at least this many times as many (each valid
character is two bytes or more, and a legacy code page seldom makes one by chance)..."""
STRAY_SHARE = 0.01
"""...or when no other encoding is a confident guess and they are at most this share of
all bytes; otherwise the file is refused."""
SHOWN_POSITIONS = 5
"""How many byte positions a warning about replaced bytes names."""


def normalise(text: str) -> str:
    """Return *text* with a leading BOM dropped and every line break made ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _LINE_BREAKS.sub("\n", text)


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of a normalised text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_text(text: str, name: str) -> None:
    """Refuse *text* that is not prose, with a :class:`FormatError` naming *name*.

    Refused: any NUL character; other control characters (C0 but tab, newline, carriage
    return and form feed; DEL) when there are more than 2 of them and more than one in
    200 characters. C1 controls (U+0080 to U+009F) are kept. One scan at C speed when
    the text holds no control character.
    """
    if "\x00" in text:
        raise FormatError(_binary(name, "it contains NUL characters"))
    first = _CONTROL.search(text)
    if first is None:
        return
    count = len(_CONTROL.findall(text, first.start()))
    if count > max(2, len(text) // 200):
        raise FormatError(_binary(name, f"it contains {count:,} control characters"))


def _binary(name: str, why: str) -> str:
    return f"{name} looks like a binary file, not text ({why})"


class TextBudget:
    """What reading one file may produce: at most *limit* characters of text, within
    *seconds*. Readers feed it as they produce text (:meth:`add`, :meth:`take`) and call
    :meth:`tick` in long loops; past either bound it raises :class:`FormatError`, one
    line naming the file and the bound, so a document built to explode stops early."""

    def __init__(self, name: str, *, limit: int | None = None, seconds: float | None = None):
        self.name = name
        self.limit = MAX_TEXT_CHARS if limit is None else limit
        self.seconds = MAX_READ_SECONDS if seconds is None else seconds
        self.used = 0
        self._deadline = time.monotonic() + self.seconds

    def add(self, count: int) -> None:
        """Count *count* more characters of text; check both bounds."""
        self.used += count
        if self.used > self.limit:
            raise FormatError(
                f"{self.name} gives more than {_amount(self.limit)} of text (a document built "
                f"to explode?); Annotator imports texts up to {_amount(self.limit)}"
            )
        if time.monotonic() > self._deadline:
            raise FormatError(
                f"{self.name} takes more than {self.seconds:g} s to read (a document built "
                "to stall the reader?); Annotator stopped reading it"
            )

    def take(self, text: str) -> str:
        """Count *text* and return it."""
        self.add(len(text))
        return text

    def tick(self) -> None:
        """Check the time only."""
        self.add(0)


def _amount(chars: int) -> str:
    if chars >= 2**20 and chars % 2**20 == 0:
        return f"{chars // 2**20} MB"
    return f"{chars:,} characters"


def decode(data: bytes, name: str = "file", warnings: list[str] | None = None) -> tuple[str, str]:
    """Decode *data* to text and return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken as they are. UTF-8
    with a few invalid bytes stays UTF-8, the bytes replaced by U+FFFD; a legacy
    encoding is used only when guessed with confidence. Each of these is said in a
    warning appended to *warnings* (one line, naming *name*). Empty, binary and
    unrecognisable input raise :class:`FormatError` naming *name*.
    """
    if not data.strip():
        raise FormatError(f"{name} is empty: there is no text to import")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise FormatError(
                    f"{name} starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start})"
                ) from None
            check_text(text, name)
            return text, encoding
    if b"\x00" in data:  # before guessing: a guess could read NULs as UTF-16
        raise FormatError(_binary(name, "it contains NUL bytes"))
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding, warning = _decode_not_utf8(data, name)
        if warnings is not None:
            warnings.append(warning)
    check_text(text, name)
    return text, encoding


def _decode_not_utf8(data: bytes, name: str) -> tuple[str, str, str]:
    """``(text, encoding, warning)`` for *data* that is not valid UTF-8."""
    escaped = data.decode("utf-8", "surrogateescape")  # one U+DCxx per stray byte
    stray = len(data) - len(escaped.encode("utf-8", "ignore"))
    non_ascii = len(data) - len(data.translate(None, _NON_ASCII))
    if non_ascii - stray >= VALID_PER_STRAY * stray:
        return _utf8_replaced(data, escaped, stray, name)
    guess = _guess(data)
    if guess is not None:
        text, encoding = guess
        return text, encoding, f"{name}: read as {_label(encoding)} (guessed; it is not UTF-8)"
    if stray <= STRAY_SHARE * len(data):
        return _utf8_replaced(data, escaped, stray, name)
    raise FormatError(
        f"{name}: the text encoding could not be recognised; save it as UTF-8 and import it again"
    )


def _utf8_replaced(data: bytes, escaped: str, count: int, name: str) -> tuple[str, str, str]:
    offsets: list[int] = []  # byte offsets of the first stray bytes
    done_chars = done_bytes = 0
    for found in islice(_ESCAPED.finditer(escaped), SHOWN_POSITIONS):
        done_bytes += len(escaped[done_chars : found.start()].encode("utf-8", "surrogateescape"))
        done_chars = found.start()
        offsets.append(done_bytes)
    where = ", ".join(str(o) for o in offsets)
    if count > len(offsets):
        where = f"the first at bytes {where}"
    else:
        where = f"at byte{'s' if count > 1 else ''} {where}"
    one = count == 1
    warning = (
        f"{name}: {count:,} byte{' is' if one else 's are'} not valid UTF-8 ({where}); "
        f"read as UTF-8 with U+FFFD in {'its' if one else 'their'} place"
    )
    return data.decode("utf-8", "replace"), "utf-8", warning


def _label(encoding: str) -> str:
    """The usual name of a codec: ``windows-1252``, ``koi8-r``, ``iso8859-2``..."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return encoding
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    return name


# A Latin-1 symbol between two letters betrays a Central European (cp1250) text
# read as cp1252: "wi³asny" for "własny".
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][\u00a1-\u00bf\u00d7\u00f7][^\W\d_]")

MAX_CHAOS = 0.1
"""charset-normalizer's guess counts as confident when its text is this little 'messy'..."""
MIN_COHERENCE = 0.2
"""...this much like a language it knows..."""
MIN_EVIDENCE = 8
"""...and built on at least this many non-ASCII bytes."""


def _looks_western(text: str) -> bool:
    """True when a cp1252 reading is plausible: mostly ASCII letters, accents here and
    there (Cyrillic read as cp1252 is nearly all accents), no symbols inside words."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    accented = sum(1 for c in letters if not c.isascii())
    return accented / len(letters) < 0.5 and not _SYMBOL_IN_WORD.search(text)


def _guess(data: bytes) -> tuple[str, str] | None:
    """A confident reading of *data* in a legacy encoding, or None."""
    from charset_normalizer import from_bytes

    # Windows-1252 is the legacy encoding of most Western news text, and the detector
    # often mistakes it for a Baltic or Central European code page: try it first.
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _looks_western(western):
        return western, "cp1252"

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    if (
        best.chaos > MAX_CHAOS
        or best.coherence < MIN_COHERENCE
        or len(data) - len(data.translate(None, _NON_ASCII)) < MIN_EVIDENCE
    ):
        return None
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None
