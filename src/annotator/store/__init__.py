"""The project file: schema, migrations and the :class:`Project` API. All SQL lives here."""

import importlib.util
import sys

# What sqlite-utils imports that the store never uses: numpy and pandas (only to map
# their types to column types) are left out, and dateutil's parser (for its date
# recipes) is loaded on first use. Together they cost every command's start 0.15-0.5 s.
# (click, for its command line, cannot wait: on Python 3.11 a second `import click`
# loads a lazy module at once.)
_LEFT_OUT = ("numpy", "pandas")
_ON_FIRST_USE = ("dateutil.parser",)


def _on_first_use(name: str) -> None:
    """Import *name* as a module whose code runs when an attribute is first read
    (:class:`importlib.util.LazyLoader`)."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


def _import_sqlite_utils() -> None:
    left_out = [name for name in _LEFT_OUT if name not in sys.modules]
    for name in left_out:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed" to importers
    try:
        for name in _ON_FIRST_USE:
            _on_first_use(name)
        import sqlite_utils  # noqa: F401
    finally:
        for name in left_out:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


_import_sqlite_utils()

from annotator.store.models import Actor, Annotation, Document, Relation, Removed  # noqa: E402
from annotator.store.project import Project  # noqa: E402

__all__ = ["Actor", "Annotation", "Document", "Project", "Relation", "Removed"]
