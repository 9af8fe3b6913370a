"""The window's keys: rebindable (kept in the settings), and working in line edits.

Every menu action has an id (its object name, see :func:`annotator.gui.actions.add_action`);
``Shortcuts`` remembers each one's default keys, applies the user's own from the settings
and changes them (Help > Keyboard shortcuts). A label's hotkey comes from the codebook
and is not bound here.

A line edit claims some keys with modifiers for itself (on X11, Ctrl+E moves to the end
of the line), so File > Export died while the corpus search had the focus. ``KeysFreer``
gives such keys back to the window's actions, except the editing keys the line edit
really needs (copy, paste, undo, moving and selecting by word or line...).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

Portable = QKeySequence.SequenceFormat.PortableText
# not the line keys: on X11 they are Emacs letters too (Ctrl+E is MoveToEndOfLine);
# Home, End, Shift+Home... have no Ctrl or Alt, so they stay the line edit's anyway
EDITING_KEYS = tuple(
    getattr(QKeySequence.StandardKey, name)
    for name in [
        "Copy",
        "Cut",
        "Paste",
        "Undo",
        "Redo",
        "SelectAll",
        "Delete",
        "Backspace",
        "DeleteStartOfWord",
        "DeleteEndOfWord",
        "MoveToNextChar",
        "MoveToPreviousChar",
        "MoveToNextWord",
        "MoveToPreviousWord",
        "SelectNextChar",
        "SelectPreviousChar",
        "SelectNextWord",
        "SelectPreviousWord",
    ]
)


def tr(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


def keys_text(sequences: list[QKeySequence]) -> str:
    """``"Ctrl+E; Ctrl+Shift+E"`` (portable text, as the settings keep it)."""
    return "; ".join(s.toString(Portable) for s in sequences if not s.isEmpty())


def parse_keys(text: str) -> list[QKeySequence]:
    return [QKeySequence(part.strip()) for part in text.split(";") if part.strip()]


class Shortcuts:
    """Default and user keys of the window's rebindable actions."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.defaults: dict[str, list[QKeySequence]] = {
            a.objectName(): list(a.shortcuts()) for a in self.actions()
        }
        for action in self.actions():
            chosen = window.settings.shortcut(action.objectName())
            if chosen is not None:
                action.setShortcuts(parse_keys(chosen))

    def actions(self) -> list[QAction]:
        return [
            a
            for a in self.window.actions()
            if a.objectName().startswith(("action-", "toggle-")) and a.text()
        ]

    def find(self, action_id: str) -> QAction | None:
        return next((a for a in self.actions() if a.objectName() == action_id), None)

    def user_of(self, sequence: QKeySequence, but: QAction | None = None) -> QAction | None:
        """The window's action (a label's hotkey too) already bound to *sequence*."""
        for action in self.window.actions():
            if action is not but and any(s == sequence for s in action.shortcuts()):
                return action
        return None

    def problem(self, action: QAction, sequence: QKeySequence) -> str | None:
        """Why *sequence* cannot be bound to *action* (None: it can)."""
        if sequence.isEmpty():
            return None
        combo = sequence[0]  # type: ignore[index]
        modifiers = combo.keyboardModifiers() & ~Qt.KeyboardModifier.KeypadModifier
        bare = modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        if bare and not (Qt.Key.Key_F1 <= combo.key() <= Qt.Key.Key_F35):
            return tr("%s alone is typed as text or used by a label's hotkey") % sequence.toString(
                QKeySequence.SequenceFormat.NativeText
            )
        other = self.user_of(sequence, action)
        if other is not None:
            return tr("%s is already the key of “%s”") % (
                sequence.toString(QKeySequence.SequenceFormat.NativeText),
                other.text().replace("&", ""),
            )
        return None

    def bind(self, action: QAction, sequence: QKeySequence) -> str | None:
        """Make *sequence* the key of *action* (kept in the settings); return the
        problem instead when it cannot be."""
        problem = self.problem(action, sequence)
        if problem is not None:
            return problem
        keys = [] if sequence.isEmpty() else [sequence]
        action.setShortcuts(keys)
        self._store(action)
        return None

    def restore_default(self, action: QAction) -> None:
        action.setShortcuts(self.defaults.get(action.objectName(), []))
        self._store(action)

    def _store(self, action: QAction) -> None:
        action_id = action.objectName()
        chosen = keys_text(list(action.shortcuts()))
        default = keys_text(self.defaults.get(action_id, []))
        self.window.settings.set_shortcut(action_id, None if chosen == default else chosen)


class KeysFreer(QObject):
    """Watches the focused line edit, spin box or combo box of the window: a window
    action's keys win over its own use of them, unless they are editing keys (see the
    module's docstring). It is installed on that one widget while it has the focus, not on
    the application, so the events of everything else (painting, timers, the view's keys)
    never reach Python here."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.watched: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)  # gone with this object
            self._focus_changed(None, app.focusWidget())

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.watched is not None:
            with contextlib.suppress(RuntimeError):  # the widget was deleted with its filter
                self.watched.removeEventFilter(self)
            self.watched = None
        if (
            isinstance(new, QLineEdit | QAbstractSpinBox | QComboBox)
            and new.window() is self.window
        ):
            new.installEventFilter(self)
            self.watched = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        mods = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if not mods or any(event.matches(k) for k in EDITING_KEYS):
            return False
        pressed = QKeySequence(event.keyCombination())
        for action in self.window.actions():
            if action.isEnabled() and any(s == pressed for s in action.shortcuts()):
                event.ignore()
                return True  # not overridden: the window's shortcut runs
        return False
