"""The project file: schema, migrations and the :class:`Project` API. All SQL lives here."""

import sys


def _import_sqlite_utils() -> None:
    """Import sqlite-utils without numpy and pandas. It imports them, when installed, only
    to map their types to column types; the store never hands it such values, and the
    two cost every command's start 0.1-0.5 s. Imported later (the agreement measures),
    numpy is itself."""
    kept = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in kept:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed" to importers
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in kept:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


_import_sqlite_utils()

from annotator.store.models import Actor, Annotation, Document, Relation, Removed  # noqa: E402
from annotator.store.project import Project  # noqa: E402

__all__ = ["Actor", "Annotation", "Document", "Project", "Relation", "Removed"]
