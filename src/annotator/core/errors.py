"""The project's documented error types.

Every user mistake or bad input raises a subclass of :class:`AnnotatorError` with a
message written for the person who made it; the CLI prints it on one line and the
window shows it in a dialog. Anything else escaping is a bug.
"""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base class of every error meant for the user."""


class InputError(AnnotatorError):
    """A value given by the user does not fit (offsets out of range, unknown label...)."""


class FormatError(AnnotatorError):
    """A file to import cannot be read: wrong encoding, binary, empty, malformed."""


class CodebookError(AnnotatorError):
    """A codebook is malformed; the message names the line when it is known."""

    def __init__(self, message: str, line: int | None = None, source: str | None = None):
        self.message = message
        self.line = line
        self.source = source
        where = ""
        if source and line:
            where = f"{source}, line {line}: "
        elif line:
            where = f"line {line}: "
        elif source:
            where = f"{source}: "
        super().__init__(where + message)


class ProjectError(AnnotatorError):
    """The project file cannot be used: missing, corrupt, newer, locked or read-only."""


class ProjectLockedError(ProjectError):
    """Another process has the project open for writing.

    ``holder`` describes who (an :class:`annotator.store.file.lock.LockHolder`), so the
    window can say so and offer to open the project read-only instead.
    """

    def __init__(self, message: str, holder: object = None):
        super().__init__(message)
        self.holder = holder


class ProjectMovedError(ProjectError):
    """The open project file was moved, deleted or replaced; the change was not saved.

    ``moved_to`` is where the open file is now (None when it was deleted or replaced):
    the window offers to go on working there, or to save a copy elsewhere.
    """

    def __init__(self, message: str, moved_to: object = None):
        super().__init__(message)
        self.moved_to = moved_to


class ProjectDamagedError(ProjectError):
    """The open project file was damaged (overwritten, cut short) by another program.

    No more writes go to it; a copy of what is open can still be saved elsewhere.
    """
