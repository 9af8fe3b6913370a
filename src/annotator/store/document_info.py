"""What is known about a document besides its text (``document_info``): its memo, the
GUID another program gave it (REFI-QDA sources), the web address it was fetched from and
the SHA-256 of the HTML fetched there."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from annotator.core.errors import InputError

if TYPE_CHECKING:
    from annotator.store.project import Project

MAX_MEMO = 1_000_000


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    memo: str = ""
    guid: str | None = None
    url: str | None = None
    fetched_sha256: str | None = None


FIELDS = tuple(f.name for f in fields(DocumentInfo))


def read_info(project: Project, document_id: int) -> DocumentInfo:
    row = project.execute(
        "SELECT memo, guid, url, fetched_sha256 FROM document_info WHERE document_id = ?",
        (document_id,),
    ).fetchone()
    return DocumentInfo(*row) if row else DocumentInfo()


def write_info(project: Project, document_id: int, changes: dict[str, str | None]) -> None:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InputError(f"a document has no field '{sorted(unknown)[0]}'")
    memo = changes.get("memo")
    if "memo" in changes and (memo is None or len(memo) > MAX_MEMO):
        raise InputError(f"a memo is text of up to {MAX_MEMO:,} characters")
    project.document(document_id)  # one line for a document that is not there
    current = read_info(project, document_id)
    values = {name: changes.get(name, getattr(current, name)) for name in FIELDS}
    with project.transaction():
        project.execute(
            "INSERT INTO document_info(document_id, memo, guid, url, fetched_sha256) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET "
            "memo = excluded.memo, guid = excluded.guid, url = excluded.url, "
            "fetched_sha256 = excluded.fetched_sha256",
            (document_id, *(values[name] for name in FIELDS)),
        )
