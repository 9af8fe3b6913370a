"""What is known about a document besides its text (``document_info``): its memo, the
GUID another program gave it (REFI-QDA sources), the web address it was fetched from and
the SHA-256 of the HTML fetched there."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from annotator.core.errors import InputError
from annotator.store.models import Document

if TYPE_CHECKING:
    from annotator.store.project import Project

MAX_MEMO = 1_000_000


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    memo: str = ""
    guid: str | None = None
    url: str | None = None
    fetched_sha256: str | None = None
    position: int | None = None  # the order the user gave the documents (None: by id)


FIELDS = tuple(f.name for f in fields(DocumentInfo))


def read_info(project: Project, document_id: int) -> DocumentInfo:
    row = project.execute(
        f"SELECT {', '.join(FIELDS)} FROM document_info WHERE document_id = ?",
        (document_id,),
    ).fetchone()
    return DocumentInfo(*row) if row else DocumentInfo()


def write_info(project: Project, document_id: int, changes: dict[str, object]) -> None:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InputError(f"a document has no field '{sorted(unknown)[0]}'")
    memo = changes.get("memo")
    if "memo" in changes and (not isinstance(memo, str) or len(memo) > MAX_MEMO):
        raise InputError(f"a memo is text of up to {MAX_MEMO:,} characters")
    project.document(document_id)  # one line for a document that is not there
    current = read_info(project, document_id)
    values = {name: changes.get(name, getattr(current, name)) for name in FIELDS}
    with project.transaction():
        project.execute(
            f"INSERT INTO document_info(document_id, {', '.join(FIELDS)}) "
            f"VALUES (?{', ?' * len(FIELDS)}) ON CONFLICT(document_id) DO UPDATE SET "
            + ", ".join(f"{name} = excluded.{name}" for name in FIELDS),
            (document_id, *(values[name] for name in FIELDS)),
        )


class DocumentInfoMixin:
    """Memos and document info methods of ``Project``."""

    if TYPE_CHECKING:

        def setting(self, key: str, default: str | None = None) -> str | None: ...
        def set_setting(self, key: str, value: str) -> None: ...

    @property
    def memo(self) -> str:
        """The project's memo (what the study is, how it is coded)."""
        return self.setting("memo") or ""

    def set_memo(self, text: str) -> None:
        self.set_setting("memo", text)

    def document_info(self, document: int | Document) -> DocumentInfo:
        """A document's memo, GUID, web address, fetched-page hash and place in the order."""
        return read_info(self, _id(document))  # type: ignore[arg-type]

    def set_document_info(self, document: int | Document, **changes: object) -> None:
        """Change the given fields of a document's :class:`DocumentInfo`."""
        write_info(self, _id(document), changes)  # type: ignore[arg-type]


def _id(document: int | Document) -> int:
    return document if isinstance(document, int) else document.id
