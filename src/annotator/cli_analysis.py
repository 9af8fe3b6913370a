"""Subcommands for claim structure and analysis (relate, set, actor, stats).

``add_analysis_commands`` adds their parsers to the ``annotator`` parser and returns
their handlers; :mod:`annotator.cli` wires them in.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

Handler = Callable[[argparse.Namespace], int]

ANALYSIS_COMMANDS: tuple[str, ...] = ()


def add_analysis_commands(sub: Any) -> dict[str, Handler]:
    """Add the analysis subcommands to *sub* (argparse subparsers); return their handlers."""
    return {}
