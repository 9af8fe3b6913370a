"""Subcommands for the automatic backups of a project (backups, restore-backup).

``add_safety_commands`` adds their parsers to the ``annotator`` parser and returns
their handlers; :mod:`annotator.cli` wires them in.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli_common import Handler, say
from annotator.core.errors import InputError
from annotator.store.file.backup import Backup, backup_dir, list_backups, restore_backup

SAFETY_COMMANDS: tuple[str, ...] = ("backups", "restore-backup")


def add_safety_commands(sub: Any) -> dict[str, Handler]:
    """Add the backup subcommands to *sub* (argparse subparsers); return their handlers."""
    p = sub.add_parser(
        "backups",
        help="list the automatic backups of a project",
        description="List the automatic backups of a project, newest first "
        "(one is taken when the project is opened for changes and the newest is over a "
        "day old; the last 7 are kept).",
    )
    p.add_argument("project", type=Path)
    p = sub.add_parser(
        "restore-backup",
        help="put a backup in place of a project",
        description="Replace a project with one of its backups (N as numbered by "
        "'annotator backups'). The current file is backed up first.",
    )
    p.add_argument("project", type=Path)
    p.add_argument("number", type=int, metavar="N", help="the backup's number (1 = newest)")
    return {"backups": _backups, "restore-backup": _restore}


def _describe(backup: Backup) -> tuple[str, str, str]:
    when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    size = f"{backup.size / 2**20:.1f} MB" if backup.size >= 2**20 else f"{backup.size // 1024} KB"
    count = "unreadable" if backup.annotations is None else f"{backup.annotations} annotations"
    return when, size, count


def _backups(args: argparse.Namespace) -> int:
    backups = list_backups(args.project)
    if not backups:
        say(f"no backups of {args.project} yet (they are kept in {backup_dir(args.project)})")
        return 0
    for n, backup in enumerate(backups, start=1):
        when, size, count = _describe(backup)
        say(f"{n:>2}  {when}  {size:>9}  {count:<18}  {backup.path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    backups = list_backups(args.project)
    if not backups:
        raise InputError(f"there are no backups of {args.project}")
    if not 1 <= args.number <= len(backups):
        raise InputError(
            f"there is no backup {args.number} of {args.project.name}: "
            f"choose 1 to {len(backups)} (see annotator backups {args.project})"
        )
    chosen = backups[args.number - 1]
    saved = restore_backup(chosen, args.project)
    when, _size, count = _describe(chosen)
    say(f"restored {args.project} from the backup of {when} ({count})")
    if saved is not None:
        say(f"the version it replaced is kept as {saved.path}")
    return 0
