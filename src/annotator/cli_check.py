"""``annotator check PROJECT``: one readable report on the health of a project file.

Exit codes: 0 when all is well, 1 when the check found problems (each is named in the
report), 2 for a user mistake (no such file, a folder, a file that is no project). The
check changes nothing (:mod:`annotator.store.file.health`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli_common import Handler, say
from annotator.store.file.health import Health, check_project
from annotator.store.file.schema import APPLICATION_ID, SCHEMA_VERSION
from annotator.store.file.schema_shape import listed

CHECK_COMMANDS: tuple[str, ...] = ("check",)
FOUND_PROBLEMS = 1


def add_check_commands(sub: Any) -> dict[str, Handler]:
    """Add ``check`` to *sub* (argparse subparsers); return its handler."""
    p = sub.add_parser(
        "check",
        help="check a project file: integrity, side files, lock, backups, version",
        description="Check a project file without changing it: SQLite's integrity check, "
        "side files (-wal, -shm) left while nobody has it open, who has it open, its "
        "automatic backups, its schema version and application id. Exit code 0 when all "
        "is well, 1 when problems were found, 2 when PROJECT is no project file.",
    )
    p.add_argument("project", type=Path)
    p.add_argument(
        "--quick",
        action="store_true",
        help="run SQLite's quick_check instead of the full integrity_check (faster on big "
        "files; does not check that indexes match their tables)",
    )
    return {"check": _check}


def _check(args: argparse.Namespace) -> int:
    health = check_project(args.project, quick=args.quick)
    print_health(health)
    return 0 if health.ok else FOUND_PROBLEMS


def print_health(health: Health) -> None:
    say(f"{health.path} ({_size(health.size)})")
    for topic, text in _lines(health):
        say(f"  {topic:<12} {text}")
    if health.ok:
        say("all is well")
        return
    say(f"{len(health.problems)} problem(s):")
    for problem in health.problems:
        say(f"  - {problem}")


def _lines(health: Health) -> list[tuple[str, str]]:
    check = health.check
    if health.integrity == ["ok"]:
        integrity = f"ok ({check})"
    else:
        integrity = f"DAMAGED ({check}): {'; '.join(health.integrity[:3])}"
    return [
        ("integrity", integrity),
        ("side files", _side_files(health)),
        ("lock", _lock(health)),
        ("backups", _backups(health)),
        ("schema", _schema(health)),
        ("application", _application(health)),
    ]


def _side_files(health: Health) -> str:
    if not health.side_files:
        return "none"
    files = ", ".join(f"{s.path.name} ({_size(s.size)})" for s in health.side_files)
    if health.in_use:
        return f"{files}: in use by the process that has the project open"
    return f"{files}: LEFT OVER (nobody has the project open)"


def _lock(health: Health) -> str:
    if health.holder is not None:
        return f"open for changes {health.holder.describe()}"
    if health.stale_lock is not None:
        return f"none (a stale lock file {health.stale_lock.name} is taken over on opening)"
    if health.in_use:
        return "none (open read-only by another program)"
    return "none"


def _backups(health: Health) -> str:
    folder = health.backup_folder
    if not health.backups:
        return f"none yet (they go to {folder})"
    newest = health.newest_backup
    when = newest.astimezone().strftime("%Y-%m-%d %H:%M") if newest else "?"
    unreadable = f", {health.unreadable_backups} unreadable" if health.unreadable_backups else ""
    return f"{health.backups}, newest {when}{unreadable}, in {folder}"


def _schema(health: Health) -> str:
    version = health.schema_version
    if version is None:
        return "unknown (the file cannot be read)"
    if version > SCHEMA_VERSION:
        return f"version {version}: NEWER than this Annotator (reads up to {SCHEMA_VERSION})"
    if health.missing:
        return f"version {version}, DAMAGED: lacks {listed(health.missing, 3)}"
    if version < SCHEMA_VERSION:
        return f"version {version} (upgraded to {SCHEMA_VERSION} when opened for changes)"
    return f"version {version} (this Annotator's)"


def _application(health: Health) -> str:
    app_id = health.application_id
    if app_id is None:
        return "unknown (the file cannot be read)"
    if app_id == APPLICATION_ID:
        return f"Annotator project ({app_id:#x})"
    return f"FOREIGN application id {app_id:#x} (Annotator's is {APPLICATION_ID:#x})"


def _size(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"
