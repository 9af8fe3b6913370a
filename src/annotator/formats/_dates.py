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


def refi_stamp(stored: str) -> str:
    """A stored time as REFI-QDA writes it: UTC with ``Z`` (``2024-05-01T09:30:00Z``).

    QualCoder appends ``Z`` to whatever it read, so a ``+00:00`` we wrote came back from
    it as the schema-invalid ``+00:00Z``; a time that does not parse is written as now."""
    when = utc_stamp(stored) or datetime.now(UTC).isoformat(timespec="seconds")
    return when.removesuffix("+00:00") + "Z"
