"""Entry point of the frozen application (PyInstaller): the ``annotator`` command."""

from __future__ import annotations

import sys

from annotator.cli import main

if __name__ == "__main__":
    sys.exit(main())
