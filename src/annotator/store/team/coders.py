"""Coders of a project: who is coding now, who has coded, and blind mode.

Every annotation records its coder (the ``annotator`` column); a coder's annotations
form a layer. The current coder is a project setting, chosen by the user (the window
asks on first use); until then the operating-system user is used and
:meth:`Coders.chosen` is None. In blind mode a coder sees only their own layer: the
table, the view and the statistics count only the current coder's annotations
(:meth:`Coders.only`), until blind mode is switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.errors import InputError

if TYPE_CHECKING:
    from annotator.store.project import Project

CODER_SETTING = "annotator"
BLIND_SETTING = "blind"


@dataclass(frozen=True, slots=True)
class Coder:
    name: str
    annotations: int
    current: bool


class Coders:
    """The project's coders (a part of :class:`~annotator.store.project.Project`)."""

    def __init__(self, project: Project) -> None:
        self._project = project

    def chosen(self) -> str | None:
        """The coder the user chose for this project, or None (never asked yet)."""
        return self._project.setting(CODER_SETTING)

    def current(self) -> str:
        return self._project.annotator

    def set_current(self, name: str) -> None:
        self._project.annotator = name  # checked and stored by the project

    def all(self) -> list[Coder]:
        """Every coder with annotations, and the current one, by name."""
        current = self.current()
        counts = dict(
            self._project.execute(
                "SELECT annotator, count(*) FROM annotations GROUP BY annotator"
            ).fetchall()
        )
        counts.setdefault(current, 0)
        return [
            Coder(name, counts[name], name == current)
            for name in sorted(counts, key=lambda n: (n.casefold(), n))
        ]

    @property
    def blind(self) -> bool:
        return self._project.setting(BLIND_SETTING) == "1"

    def set_blind(self, on: bool) -> None:
        if self._project.read_only:
            raise InputError(f"{self._project.path.name} is open read-only")
        self._project.set_setting(BLIND_SETTING, "1" if on else "0")

    def only(self) -> str | None:
        """The coder whose layer alone may be shown and counted (blind mode), else None."""
        return self.current() if self.blind else None
