"""Team > Curate this document…: the coders' spans side by side, curated by keyboard.

One lane (row) per coder and one column per candidate (:mod:`annotator.core.curation`),
coloured by status; the last lane is the curated layer, ordinary annotations whose
coder is the curator ("curation" unless changed in the window). Every step is an undo
command on the window's one undo stack (:mod:`annotator.gui.team.curation_commands`).

Keys (also listed in the window): Left/Right, Tab/Shift+Tab move between candidates,
Up/Down between coders, N to the next candidate not decided yet; Enter or A accepts
the current coder's span, Ctrl+Shift+A every complete agreement not curated yet;
R, Del or Backspace rejects the candidate (its curated span goes; the rejection is kept
in the project file); a label's hotkey relabels the curated span, L picks any label
for it by typing (:class:`~annotator.gui.team.label_picker.LabelPicker`), Alt+Right/
Alt+Left widen/narrow its end by a word and Alt+Up/Alt+Down its start
(as in the main window); F6 curates the main window's document; Ctrl+Z undoes,
Ctrl+Shift+Z or Ctrl+Y redoes; Esc closes.

An accepted span comes with its note, attributes, actor link and its relations to
curated spans (:mod:`annotator.store.team.curation_copy`); the preview lists what each span
carries. Accepting all complete agreements takes the first coder's span of each, and
says on how many another coder's attributes, actor link or note differ; Enter on that
coder's lane then takes theirs. The view follows the main
window's document: when the main window shows another document that two or more
coders marked, the view curates that one; otherwise it says which document it still
shows, and F6 (or Team > Curate this document…) switches once there is one to curate.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement.units import CodedSpan
from annotator.core.curation import CURATOR, Candidate, candidates, check_curator
from annotator.core.errors import AnnotatorError, ProjectError
from annotator.core.snapping import resized
from annotator.gui.editing.commands import UpdateAnnotation
from annotator.gui.team.curation_commands import (
    Curate,
    accept_all_text,
    accept_text,
    reject_text,
)
from annotator.gui.team.curation_details import carried, carried_html
from annotator.gui.team.curation_model import (
    STATUS_COLOURS,
    STATUS_SIGNS,
    CurationModel,
    status_name,
)
from annotator.gui.team.label_picker import LabelPicker
from annotator.store.team.curation_copy import is_copy_of
from annotator.store.team.curation_marks import rejected

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

CONTEXT = 160  # code points of text shown before and after the candidate

KEYS_HELP = (
    "←/→, Tab: candidates · ↑/↓: coders · N: next undecided · Enter or A: accept · "
    "Ctrl+Shift+A: accept all complete agreements · R or Del: reject · label key or L: relabel · "
    "Alt+←/→, Alt+↑/↓: resize · F6: the main window's document · Ctrl+Z: undo · "
    "Esc: close"
)


def tr(text: str) -> str:
    return QCoreApplication.translate("curation", text)


class LaneTable(QTableView):
    """The lanes; Tab and Shift+Tab move between candidates, letters do not search."""

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        cursor = QAbstractItemView.CursorAction
        if action == cursor.MoveNext:
            action = cursor.MoveRight
        elif action == cursor.MovePrevious:
            action = cursor.MoveLeft
        return super().moveCursor(action, modifiers)

    def keyboardSearch(self, search: str) -> None:  # A, N, R are commands here
        return


class CurationView(QWidget):
    """The curation window of one document (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("curationView")
        self.window_ = window
        self.session = window.session
        self.document_id: int | None = None
        self._curator = CURATOR
        self.text = ""
        self.setWindowTitle(tr("Curation"))
        self.resize(1100, 560)

        self.title = QLabel(self)
        self.title.setObjectName("curationTitle")
        self.curator_edit = QLineEdit(CURATOR, self)
        self.curator_edit.setObjectName("curatorName")
        self.curator_edit.setAccessibleName(tr("Coder of the curated layer"))
        self.curator_edit.setMaximumWidth(200)
        self.curator_edit.editingFinished.connect(self._curator_edited)
        curator_label = QLabel(tr("Curated &layer:"), self)
        curator_label.setBuddy(self.curator_edit)
        legend = QLabel(
            "  ".join(
                f'<span style="background:{colour}">&nbsp;{STATUS_SIGNS[s]} '
                f"{html.escape(status_name(s))}&nbsp;</span>"
                for s, colour in STATUS_COLOURS.items()
            ),
            self,
        )
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(legend)
        top.addWidget(curator_label)
        top.addWidget(self.curator_edit)

        self.model = CurationModel()
        self.table = LaneTable(self)
        self.table.setObjectName("curationLanes")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(True)
        self.table.horizontalHeader().setDefaultSectionSize(190)
        self.table.verticalHeader().setDefaultSectionSize(54)
        self.table.doubleClicked.connect(lambda _index: self.accept_current())
        self.table.selectionModel().currentChanged.connect(self._current_changed)

        self.preview = QTextBrowser(self)
        self.preview.setObjectName("curationPreview")
        self.preview.setMaximumHeight(120)
        self.summary = QLabel(self)
        self.summary.setObjectName("curationSummary")
        self.message = QLabel(self)
        self.message.setObjectName("curationMessage")
        self.follow_note = QLabel(self)
        self.follow_note.setObjectName("curationFollowNote")
        self.follow_note.setStyleSheet("background: #f8e2a6; padding: 3px")
        self.follow_note.hide()
        keys = QLabel(tr(KEYS_HELP), self)
        keys.setWordWrap(True)
        keys.setStyleSheet("color: #444444")

        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.follow_note)
        column.addWidget(self.table, 1)
        column.addWidget(self.preview)
        column.addWidget(self.summary)
        column.addWidget(self.message)
        column.addWidget(keys)

        self.actions_: dict[str, QAction] = {}
        self._act(
            "accept", tr("Accept this coder's span"), self.accept_current, ["Return", "Enter", "A"]
        )
        self._act(
            "acceptAll", tr("Accept all complete agreements"), self.accept_all, ["Ctrl+Shift+A"]
        )
        self._act(
            "reject", tr("Reject this candidate"), self.reject_current, ["R", "Del", "Backspace"]
        )
        self._act("nextOpen", tr("Next undecided candidate"), self.next_open, ["N"])
        self._act("relabel", tr("Relabel the curated span…"), self.pick_label, ["L"])
        self._act(
            "widenEnd",
            tr("Widen end by a word"),
            lambda: self.resize_curated("end", 1),
            ["Alt+Right"],
        )
        self._act(
            "narrowEnd",
            tr("Narrow end by a word"),
            lambda: self.resize_curated("end", -1),
            ["Alt+Left"],
        )
        self._act(
            "widenStart",
            tr("Widen start by a word"),
            lambda: self.resize_curated("start", 1),
            ["Alt+Up"],  # as in the main window (Alt+Shift+arrows switch layouts)
        )
        self._act(
            "narrowStart",
            tr("Narrow start by a word"),
            lambda: self.resize_curated("start", -1),
            ["Alt+Down"],
        )
        close = QAction(tr("Close"), self)
        close.setShortcut(QKeySequence("Esc"))
        close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        close.triggered.connect(self.close)
        self.addAction(close)
        stack = self.session.undo_stack
        undo = stack.createUndoAction(self, tr("&Undo"))
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        redo = stack.createRedoAction(self, tr("&Redo"))
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for name, action in (("undo", undo), ("redo", redo)):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
            self.actions_[name] = action
        self.label_actions: list[QAction] = []

        self._refresh_soon = QTimer(self)
        self._refresh_soon.setSingleShot(True)
        self._refresh_soon.setInterval(0)
        self._refresh_soon.timeout.connect(self.refresh)
        for signal in (
            self.session.annotationsAdded,
            self.session.annotationsRemoved,
            self.session.annotationChanged,
            stack.indexChanged,
        ):
            signal.connect(self._changed)
        self.session.projectClosed.connect(self._project_closed)
        self._follow_soon = QTimer(self)
        self._follow_soon.setSingleShot(True)
        self._follow_soon.setInterval(0)
        self._follow_soon.timeout.connect(self.follow_window)
        window.document_list.selectionModel().currentChanged.connect(
            lambda *_args: self._follow_soon.start()
        )
        follow = QAction(tr("Curate the main window's document"), self)
        follow.setObjectName("curation_follow")
        follow.setShortcut(QKeySequence("F6"))
        follow.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        follow.triggered.connect(self.follow_window)
        self.addAction(follow)
        self.actions_["follow"] = follow

    def _project_closed(self) -> None:
        self.document_id = None
        self.close()

    def follow_window(self) -> None:
        """Curate the main window's document, or say why this one is still shown."""
        wanted = self.window_.document_id
        if (
            not self.isVisible()
            or self.session.project is None
            or wanted is None
            or self.document_id is None
        ):
            return
        if wanted == self.document_id:
            self.follow_note.hide()
            return
        project = self.session.require()
        coders = self.coders(self._spans(wanted))
        if len(coders) >= 2:
            self.follow_note.hide()
            self.set_document(wanted)
            return
        have = tr("only %s's spans") % coders[0] if coders else tr("no coder's spans")
        self.follow_note.setText(
            tr("The main window shows “%s” (%s): still curating “%s”")
            % (project.document(wanted).title, have, project.document(self.document_id).title)
        )
        self.follow_note.show()

    def _changed(self, *_args: object) -> None:
        self._refresh_soon.start()  # not start(msec): the signals' arguments are no delay

    def _act(self, name: str, text: str, slot: Callable[[], object], keys: list[str]) -> QAction:
        """An action whose keys work in the lanes (the name field keeps Return, A, R…)."""
        action = QAction(text, self.table)
        action.setObjectName(f"curation_{name}")
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.table.addAction(action)
        self.actions_[name] = action
        return action

    # -- the document ----------------------------------------------------------------

    def set_document(self, document_id: int) -> None:
        """Curate *document_id* (its coders are those with spans in it, but the curator)."""
        project = self.session.require()
        self.document_id = document_id
        self.follow_note.hide()
        self.text = project.text(document_id)
        self.title.setText(tr("<b>%s</b>") % html.escape(project.document(document_id).title))
        self.setWindowTitle(tr("Curation — %s") % project.document(document_id).title)
        self._build_label_actions()
        self.refresh()
        self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus()

    def _build_label_actions(self) -> None:
        for action in self.label_actions:
            self.table.removeAction(action)
            action.deleteLater()
        self.label_actions = []
        for label in self.session.require().labels():
            if not label.hotkey:
                continue
            action = QAction(tr("Relabel curated span as %s") % label.name, self.table)
            action.setShortcut(QKeySequence(label.hotkey))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(
                lambda _checked=False, key=label.key: self.relabel_curated(key)
            )
            self.table.addAction(action)
            self.label_actions.append(action)

    @property
    def curator(self) -> str:
        return self._curator

    def _curator_edited(self) -> None:
        """A new name for the curated layer: never one of the coders shown, never empty."""
        try:
            name = check_curator(self.curator_edit.text(), self.model.coders)
        except AnnotatorError as exc:
            self.say(str(exc))
            self.curator_edit.setText(self._curator)
            return
        if name != self._curator:
            self._curator = name
            self.say("")
            self.refresh()

    def _spans(self, document_id: int | None = None) -> list[CodedSpan]:
        document = self.document_id if document_id is None else document_id
        assert document is not None
        return [
            CodedSpan(a.id, a.document_id, a.start, a.end, a.label, a.annotator)
            for a in self.session.require().annotations(document)
        ]

    def coders(self, spans: list[CodedSpan] | None = None) -> list[str]:
        """The coders of the document's spans (the curator is not one of them)."""
        names = {s.coder for s in (self._spans() if spans is None else spans)}
        names.discard(self.curator)
        return sorted(names, key=lambda n: (n.casefold(), n))

    def refresh(self) -> None:
        """Read the document's spans again and rebuild the lanes, keeping the place."""
        self._refresh_soon.stop()  # this is the refresh the changes asked for
        if self.document_id is None or self.session.project is None:
            return
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        here = self.model.candidate(current.column()) if current.isValid() else None
        spans = self._spans()
        coders = self.coders(spans)
        found = candidates(spans, coders, self.curator)
        try:
            marks = rejected(self.session.require(), self.document_id, self.curator)
        except ProjectError as exc:
            marks = set()
            self.say(str(exc))
        self.model.reset(coders, self.curator, found, marks, self.text)
        self.summary.setText(self.model.summary())
        if not found:
            self.preview.setPlainText(tr("No coder has marked anything in this document."))
            return
        column = self._column_of(here) if here is not None else 0
        self.table.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1), column))
        self._show_preview()

    def _column_of(self, candidate: Candidate) -> int:
        for i, c in enumerate(self.model.candidates):
            if c.key == candidate.key or (c.key & candidate.key):
                return i
        starts = [c.start for c in self.model.candidates]
        return max(0, min(len(starts) - 1, sum(1 for s in starts if s < candidate.start)))

    # -- where the cursor is -----------------------------------------------------------

    def current(self) -> tuple[int, Candidate | None]:
        index = self.table.currentIndex()
        if not index.isValid():
            return -1, None
        return index.row(), self.model.candidate(index.column())

    def _current_changed(
        self, current: QModelIndex | QPersistentModelIndex, _previous: object
    ) -> None:
        self._show_preview()
        candidate = self.model.candidate(current.column()) if current.isValid() else None
        window = self.window_
        if candidate is not None and window.document_id == self.document_id:
            window.view.select_range(candidate.start, candidate.end)

    def _show_preview(self) -> None:
        row, candidate = self.current()
        if candidate is None:
            self.preview.clear()
            return
        span = self.model.span_at(row, self.table.currentIndex().column())
        a, b = (span.start, span.end) if span is not None else (candidate.start, candidate.end)
        lo, hi = max(0, a - CONTEXT), min(len(self.text), b + CONTEXT)
        body = (
            ("…" if lo > 0 else "")
            + html.escape(self.text[lo:a])
            + f'<b style="background:{STATUS_COLOURS[candidate.status]}">'
            + html.escape(self.text[a:b])
            + "</b>"
            + html.escape(self.text[b:hi])
            + ("…" if hi < len(self.text) else "")
        )
        lines = [
            f"{html.escape(c)}: {html.escape(s.label)} {s.start}–{s.end}{carried_html(self.session.require(), s.id)}"
            for c, s in candidate.spans.items()
        ]
        lines += [f"{html.escape(c)}: —" for c in candidate.missing]
        lines += [
            f"{html.escape(self.curator)}: {html.escape(s.label)} {s.start}–{s.end}"
            f"{carried_html(self.session.require(), s.id)}"
            for s in candidate.curated
        ]
        self.preview.setHtml(f"<p>{body}</p><p>{'<br>'.join(lines)}</p>")

    def say(self, message: str) -> None:
        self.message.setText(message)

    def _step(self, columns: int = 1) -> None:
        index = self.table.currentIndex()
        column = min(index.column() + columns, self.model.columnCount() - 1)
        self.table.setCurrentIndex(self.model.index(index.row(), column))

    def next_open(self) -> None:
        row, _ = self.current()
        column = self.table.currentIndex().column()
        count = len(self.model.candidates)
        for k in range(1, count + 1):
            i = (column + k) % count
            if not self.model.is_done(self.model.candidates[i]):
                self.table.setCurrentIndex(self.model.index(max(row, 0), i))
                return
        self.say(tr("Every candidate is decided"))

    # -- steps -------------------------------------------------------------------------

    def _run(self, command: Curate | UpdateAnnotation) -> bool:
        self.say("")
        return self.session.run(command)

    def accept_current(self) -> None:
        """Accept the span of the coder whose lane the cursor is on (then the next candidate)."""
        row, candidate = self.current()
        if candidate is None or self.document_id is None:
            return
        if row >= len(self.model.coders):
            self.say(tr("This is the curated layer: move to a coder's lane (Up) to accept"))
            return
        coder = self.model.coders[row]
        span = candidate.spans.get(coder)
        if span is None:
            self.say(tr("%s did not mark this candidate") % coder)
            return
        if len(candidate.curated) == 1 and is_copy_of(
            self.session.require(), candidate.curated[0].id, span.id, self.curator
        ):
            self.say(tr("Already accepted"))
            self._step()
            return
        command = Curate(
            self.session,
            self.document_id,
            self.curator,
            accept_text(coder, span.label),
            accept=[span.id],
            remove=[s.id for s in candidate.curated],
            mark=(candidate.start, candidate.end) if self.model.is_rejected(candidate) else None,
            rejected=False,
        )
        if self._run(command):
            self.refresh()
            self._step()

    def accept_all(self) -> None:
        """Accept every complete agreement that has no curated span and is not rejected."""
        if self.document_id is None:
            return
        project = self.session.require()
        spans: list[int] = []  # the first coder's span of each (the spans are equal)
        differ = 0  # of which the coders' attributes, actor links or notes are not
        for candidate in self.model.candidates:
            agreed = candidate.agreed
            if agreed is not None and not self.model.is_done(candidate):
                spans.append(agreed.id)
                differ += len({carried(project, s.id) for s in candidate.spans.values()}) > 1
        if not spans:
            self.say(tr("No complete agreement is left to accept"))
            return
        command = Curate(
            self.session, self.document_id, self.curator, accept_all_text(len(spans)), accept=spans
        )
        if self._run(command):
            self.refresh()
            message = tr("Accepted %d complete agreements") % len(spans)
            if differ:
                message += tr(
                    " with %s's attributes and links; on %d of them another coder's differ "
                    "(see the preview)"
                ) % (self.model.coders[0], differ)
            self.say(message)

    def reject_current(self) -> None:
        """Reject the candidate: its curated spans go, and it is marked as decided."""
        _row, candidate = self.current()
        if candidate is None or self.document_id is None:
            return
        if self.model.is_rejected(candidate) and not candidate.curated:
            self.say(tr("Already rejected"))
            self._step()
            return
        command = Curate(
            self.session,
            self.document_id,
            self.curator,
            reject_text(),
            remove=[s.id for s in candidate.curated],
            mark=(candidate.start, candidate.end),
        )
        if self._run(command):
            self.refresh()
            self._step()

    def _curated(self) -> CodedSpan | None:
        _row, candidate = self.current()
        if candidate is None or not candidate.curated:
            self.say(tr("Nothing is curated here yet: accept a coder's span first (Enter)"))
            return None
        return candidate.curated[0]

    def relabel_curated(self, key: str) -> None:
        span = self._curated()
        if span is None or span.label == key:
            return
        before = self.session.require().annotation(span.id)
        self._run(UpdateAnnotation(self.session, before, label=key, text=tr("Relabel as %s") % key))
        self.refresh()

    def pick_label(self) -> None:
        """L: choose any label of the codebook for the curated span, by typing."""
        span = self._curated()
        if span is None:
            return
        key, ok = LabelPicker.get_label(self, self.session.require().labels(), span.label)
        if ok:
            self.relabel_curated(key)

    def resize_curated(self, edge: str, direction: int) -> None:
        span = self._curated()
        if span is None:
            return
        start, end = resized(self.text, span.start, span.end, edge, direction)
        if (start, end) == (span.start, span.end) or start >= end:
            return
        before = self.session.require().annotation(span.id)
        self._run(
            UpdateAnnotation(
                self.session, before, start=start, end=end, text=tr("Resize annotation")
            )
        )
        self.refresh()
