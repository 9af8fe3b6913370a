"""Annotator: annotate public claims in news and policy texts."""

from __future__ import annotations

__all__ = ["__version__"]
_version: str | None = None


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata on first use: importing
    :mod:`importlib.metadata` costs a command that never shows the version 0.03 s."""
    global _version
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _version is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            _version = version("annotator")
        except PackageNotFoundError:  # running from a source tree that was never installed
            _version = "0.0.0+source"
    return _version
