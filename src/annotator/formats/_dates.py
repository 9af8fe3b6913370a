"""Times written by other programs, as Annotator stores them (UTC ISO 8601, seconds)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_stamp(value: str | None) -> str | None:
    """A REFI-QDA ``xsd:dateTime`` as Annotator stores times (UTC ISO 8601, seconds);
    None when absent or not a date (the import's own time is used then)."""
    if not value or len(value) > 64:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # the schema's dates without a zone: taken as UTC
    return when.astimezone(UTC).isoformat(timespec="seconds")
