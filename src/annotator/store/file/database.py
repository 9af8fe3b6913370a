"""sqlite-utils' :class:`Database` over a project's connection, imported lean.

The store uses sqlite-utils for its transactions (``db.atomic()``); a project opened
read-only writes nothing, so ``annotator list`` or ``export`` never import it, and
when it is imported, what it imports that the store never uses is left out:

- numpy and pandas, which it imports (when installed) only to map their types to
  column types: the store never hands it such values;
- dateutil's parser, for its date recipes: loaded on first use;
- plugins of other installed packages (finding them reads every package's metadata).

Together these cost every start of the command 0.15-0.5 s.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

_LEFT_OUT = ("numpy", "pandas")
# (click, for its command line, cannot wait: on Python 3.11 a second `import click`
# runs a lazy module at once)
_ON_FIRST_USE = ("dateutil.parser",)


def database(conn: sqlite3.Connection) -> Database:
    """A :class:`sqlite_utils.Database` over *conn*, without plugins."""
    if "sqlite_utils" not in sys.modules:
        _import_sqlite_utils()
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


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
