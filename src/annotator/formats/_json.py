"""JSON for the formats that read it (Label Studio, doccano, JSONL): one parse whose
every failure is a :class:`FormatError` naming the file and the line.

Python's ``json`` lets three kinds of hostile input out as something else: nesting
deeper than the interpreter's recursion limit (``RecursionError``), an integer of more
than 4,300 digits (``ValueError`` from Python's integer parsing limit) and an unpaired
surrogate escape such as ``"\\ud800"`` (parsed, then ``UnicodeEncodeError`` when SQLite
stores it). Each is found here; where it is in the file is looked up only then.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from annotator.core.errors import FormatError

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_PAIR = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_LONG_NUMBER = re.compile(rb"[0-9]{4300,}")
_MAX_DEPTH = 500  # nesting that is reported (Python's own limit is about 1,000)


def where(name: str, data: bytes, pos: int, line: int | None) -> str:
    """``"NAME, line N"``: *line* for a file read line by line, else the line of *pos*."""
    if line is None:
        line = data.count(b"\n", 0, max(pos, 0)) + 1
    return f"{name}, line {line}"


def loads(data: bytes, name: str, line: int | None = None) -> Any:
    """Parse *data* (UTF-8 JSON: a whole file, or its line *line*)."""
    try:
        obj = json.loads(data)
    except UnicodeDecodeError as exc:
        at = where(name, data, exc.start, line)
        raise FormatError(f"{at}: not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        at = f"{name}, line {line if line is not None else exc.lineno}"
        raise FormatError(f"{at}: not valid JSON ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        at = where(name, data, _too_deep(data), line)
        raise FormatError(f"{at}: the JSON is nested too deeply to be read") from None
    except ValueError:  # Python's limit on the digits of an integer
        found = _LONG_NUMBER.search(data)
        at = where(name, data, found.start() if found else 0, line)
        raise FormatError(
            f"{at}: a number of {len(found.group()) if found else 'over 4300'} digits "
            "is too long to be a number"
        ) from None
    refuse_lone_surrogates(data, obj, name, line)
    return obj


def fast_loader() -> Callable[[bytes], Any]:
    """orjson's ``loads`` when it is installed (it parses 2-3 times faster, which large
    JSONL imports feel), else the standard library's; both raise ``JSONDecodeError``."""
    try:
        from orjson import loads as orjson_loads
    except ImportError:
        return json.loads
    return orjson_loads  # type: ignore[no-any-return]


def loads_with(loader: Callable[[bytes], Any], data: bytes, name: str, line: int) -> Any:
    """*loader* on line *line* of file *name*: the standard library's goes through
    :func:`loads`; orjson refuses surrogates, deep nesting and long numbers itself, and
    its errors are worded here."""
    if loader is json.loads:
        return loads(data, name, line)
    try:
        return loader(data)
    except json.JSONDecodeError as exc:
        if "UTF-8" in exc.msg:  # orjson's way of saying it
            raise FormatError(f"{name}, line {line}: not valid UTF-8") from None
        raise FormatError(
            f"{name}, line {line}: not valid JSON ({exc.msg}, column {exc.colno})"
        ) from None


def refuse_lone_surrogates(data: bytes, obj: Any, name: str, line: int | None = None) -> None:
    """Raise :class:`FormatError` when parsed JSON holds an unpaired surrogate escape
    (such as ``\\ud800``): Python's parser lets it through, but it is not text and
    SQLite cannot store it. Costs one regex scan unless such an escape is there."""
    if not _SURROGATE_ESCAPE.search(data):
        return
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return
    pos = _lone_surrogate(data)
    raise FormatError(
        f"{where(name, data, pos, line)}: holds an unpaired surrogate escape "
        "(\\ud800-\\udfff), which is not text"
    ) from None


def _lone_surrogate(data: bytes) -> int:
    """Where the first escape that is not half of a pair is (0 when unsure)."""
    at = 0
    while found := _SURROGATE_ESCAPE.search(data, at):
        pair = _PAIR.match(data, found.start())
        if pair is None and not _is_low_after_pair(data, found.start()):
            return found.start()
        at = pair.end() if pair else found.end()
    return 0


def _is_low_after_pair(data: bytes, pos: int) -> bool:
    return pos >= 6 and _PAIR.match(data, pos - 6) is not None


def _too_deep(data: bytes) -> int:
    """Where the nesting first passes :data:`_MAX_DEPTH` (strings skipped), else 0."""
    depth, in_string, escaped = 0, False, False
    for pos, byte in enumerate(data):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > _MAX_DEPTH:
                return pos
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return 0
