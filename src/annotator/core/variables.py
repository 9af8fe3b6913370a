"""Document variables: typed facts about a document (date, outlet, country, author).

Values are kept as canonical text, so they sort and compare in SQL and come out of every
export the same way: a number as its shortest form ("3", "2.5"), a date as ISO 8601
("2024-03-01", or "2024-03-01T09:30:00Z" with a time, always in UTC), a boolean as
"true"/"false", text as it is (one line at most 10,000 characters).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

from annotator.core.errors import InputError

VARIABLE_TYPES = ("text", "number", "date", "boolean")
MAX_VALUE = 10_000
VARIABLE_KEY_RE = re.compile(r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,62}[^\s\x00-\x1f\x7f])?$")

_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def check_key(key: str) -> str:
    if not isinstance(key, str) or not VARIABLE_KEY_RE.match(key):
        raise InputError(
            f"'{key}' cannot be a variable name (1 to 64 characters on one line, "
            "without surrounding spaces)"
        )
    return key


def normalise(kind: str, value: object) -> str:
    """*value* as the canonical text of a *kind* variable, or :class:`InputError`."""
    if kind not in VARIABLE_TYPES:
        raise InputError(f"a variable type is one of {', '.join(VARIABLE_TYPES)}, not '{kind}'")
    if kind == "text":
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if len(text) > MAX_VALUE:
            raise InputError(f"a variable's text may be up to {MAX_VALUE:,} characters")
        if _CONTROL.search(text) or "\n" in text or "\r" in text:
            raise InputError("a variable's text is one line without control characters")
        return text
    if kind == "number":
        return _number(value)
    if kind == "date":
        return _date(value)
    return _boolean(value)


def _number(value: object) -> str:
    if isinstance(value, bool):
        raise InputError(f"'{value}' is no number")
    if isinstance(value, int):
        return str(value)
    try:
        number = float(str(value).strip().replace("_", "x"))
    except ValueError:
        raise InputError(f"'{_short(value)}' is no number") from None
    if not math.isfinite(number):
        raise InputError(f"'{_short(value)}' is no finite number")
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return repr(number)


def _date(value: object) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        if _DATE.match(text):
            return dt.date.fromisoformat(text).isoformat()
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"'{_short(value)}' is no date (write it as 2024-03-01 or 2024-03-01T09:30:00Z)"
        ) from None
    return _date(parsed)


def _boolean(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().casefold()
    if text in _TRUE:
        return "true"
    if text in _FALSE:
        return "false"
    raise InputError(f"'{_short(value)}' is no yes/no value (true or false)")


def guess_type(values: Iterable[object]) -> str:
    """The narrowest type every one of *values* fits: boolean values in Python, then
    date, number, text (a column of "0"/"1" is a number, not a yes/no)."""
    items = list(values)
    if not items:
        return "text"
    if all(isinstance(v, bool) for v in items):
        return "boolean"
    for kind in ("date", "number"):
        try:
            for v in items:
                if isinstance(v, bool):
                    raise InputError("a yes/no value")
                normalise(kind, v)
        except InputError:
            continue
        return kind
    return "text"


def parse_assignment(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` -> (key, value); a missing ``=`` is one line of error."""
    key, sep, value = text.partition("=")
    if not sep:
        raise InputError(
            f"'{_short(text)}' is no assignment: write KEY=VALUE, e.g. outlet=Le Monde"
        )
    return check_key(key.strip()), value.strip()


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"
