"""Readable text in the document view: line and paragraph spacing, a size, a longest
line, find hits that show on every label colour.

``QPlainTextEdit`` (the only Qt text widget that does not lay out a whole document
at once) ignores block margins and line heights, so paragraph spacing is an empty
display-only *spacer* block between paragraphs (view_blocks) drawn in a font
``paragraph_spacing`` times the text's size: a fraction of a line high. Line spacing
is kept by the document's layout (:class:`SpacedLines`): each block is laid out by Qt
as before, then its lines are moved apart, once per layout, when Qt first asks for
the block's rectangle (painting, the cursor and clicks all read the lines from there).
The longest line is kept by viewport margins that centre the text column.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPen,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLayout,
)
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit

from annotator.gui.actions import add_action

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from annotator.gui.main_window import MainWindow
    from annotator.gui.settings import Settings
    from annotator.gui.view.document_view import DocumentView

READABLE_POINTS = 12.0  # the view's default size: readable on a laptop screen
PARAGRAPH_SPACING = 0.5  # lines between paragraphs by default, as the report has
LINE_SPACING = 1.0  # a line's height in its font's line heights (1: as the font has it)
MAX_LINE_SPACING = 3.0
LINE_SPACING_SETTING = "view/line_spacing"
HIT_BACKGROUND = QColor("#ffe066")
HIT_OUTLINE = QColor("#1a1a1a")


def hit_format() -> QTextCharFormat:
    """Find hits: black on yellow inside a dark outline, so that a hit stands out on
    every label colour (even a yellow one) and on a plain background."""
    fmt = QTextCharFormat()
    fmt.setBackground(HIT_BACKGROUND)
    fmt.setForeground(QColor("#000000"))
    fmt.setProperty(QTextFormat.Property.OutlinePen, QPen(HIT_OUTLINE, 1.5))
    return fmt


class SpacedLines(QPlainTextDocumentLayout):
    """The plain text layout with room between lines: each line of a block moved down
    by ``(factor - 1)`` times its own height (above it, so the block's rectangle, which
    Qt measures from its top left corner, holds every gap). Qt keeps a block's layout
    until the text, the width or a block's formats change; a layout Qt made again has
    its first line at the top, and is spaced again when its rectangle is asked for."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.factor = LINE_SPACING

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out when it is not
        if self.factor == 1.0:  # the default: nothing to move (set_line_spacing lays
            return rect  # every block out again when the factor changes)
        layout = block.layout()
        n = layout.lineCount()
        if n == 0 or self.spaced(layout):
            return rect
        y = 0.0
        for i in range(n):
            line = layout.lineAt(i)
            y += (self.factor - 1.0) * line.height()
            line.setPosition(QPointF(line.x(), y))
            y += line.height()
        return super().blockBoundingRect(block)

    def spaced(self, layout: QTextLayout) -> bool:
        """Whether *layout*'s first line sits where this spacing puts it. Qt keeps line
        positions in 1/64 of a pixel, cut off, not rounded: with a tolerance of 0.01 a
        line whose gap is not a multiple of 1/64 (a 9 px empty paragraph at 1.3: 2.7
        stored as 2.6875) was never taken as spaced, and spaced again at every call."""
        first = layout.lineAt(0)
        return abs(first.y() - (self.factor - 1.0) * first.height()) <= 1 / 32


def install_line_spacing(view: QPlainTextEdit) -> None:
    """Give a new view a document laid out by :class:`SpacedLines` (before anything
    else is set on its document)."""
    document = QTextDocument(view)
    document.setDocumentLayout(SpacedLines(document))
    view.setDocument(document)


def set_line_spacing(view: QPlainTextEdit, factor: float) -> None:
    """Lines *factor* font line heights apart (1 to MAX_LINE_SPACING); the text, the
    spans and the position shown stay."""
    layout = view.document().documentLayout()
    if not isinstance(layout, SpacedLines):
        return
    factor = max(1.0, min(MAX_LINE_SPACING, float(factor)))
    if factor == layout.factor:
        return
    top = view.firstVisibleBlock().position()
    layout.factor = factor
    document = view.document()
    document.markContentsDirty(0, document.characterCount())  # laid out again, lazily
    cursor = QTextCursor(document)
    cursor.setPosition(top)
    view.verticalScrollBar().setValue(cursor.block().firstLineNumber())
    view.viewport().update()


def line_spacing_of(view: QPlainTextEdit) -> float:
    layout = view.document().documentLayout()
    return layout.factor if isinstance(layout, SpacedLines) else LINE_SPACING


def stored_line_spacing(settings: Settings) -> float:
    try:
        value = float(settings._s.value(LINE_SPACING_SETTING, LINE_SPACING))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return LINE_SPACING
    return max(1.0, min(MAX_LINE_SPACING, value))


def store_line_spacing(settings: Settings, factor: float) -> None:
    settings._s.setValue(LINE_SPACING_SETTING, float(factor))  # the window's one QSettings


@dataclass(frozen=True)
class Reading:
    """How the view lays out the text (kept in the settings by whoever offers them)."""

    paragraph_spacing: float = PARAGRAPH_SPACING  # in lines; 0: none
    max_line_chars: int = 0  # average characters; 0: as wide as the window
    points: float = READABLE_POINTS

    @property
    def hit_format(self) -> QTextCharFormat:
        return hit_format()

    def changed(self, paragraph_spacing: float | None, max_line_chars: int | None) -> Reading:
        spacing = self.paragraph_spacing if paragraph_spacing is None else paragraph_spacing
        width = self.max_line_chars if max_line_chars is None else max_line_chars
        return replace(
            self,
            paragraph_spacing=max(0.0, min(3.0, float(spacing))),
            max_line_chars=max(0, int(width)),
        )

    def format_blocks(self, view: DocumentView) -> None:
        """Give the spacer blocks their height and keep the direction of paragraph
        pieces that start with a word of the other direction."""
        if not view.spacers and not view._directions:
            return
        doc = view.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        if view.spacers and self.paragraph_spacing > 0:
            small = QTextCharFormat()
            small.setFontPointSize(max(1.0, view.font().pointSizeF() * self.paragraph_spacing))
            for position in view.spacers:
                cursor.setPosition(position)
                cursor.setBlockCharFormat(small)
        for position, direction in view._directions:
            cursor.setPosition(position)
            block = QTextBlockFormat()
            block.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft
                if direction == "R"
                else Qt.LayoutDirection.LeftToRight
            )
            cursor.mergeBlockFormat(block)
        cursor.endEditBlock()

    def fit_width(self, view: DocumentView) -> None:
        """Centre a text column of at most ``max_line_chars`` characters."""
        left = right = 0
        if self.max_line_chars > 0:
            margin = 2 * view.document().documentMargin()
            scroll = view.verticalScrollBar()
            bar = scroll.sizeHint().width() if scroll.isVisible() else 0
            room = view.width() - 2 * view.frameWidth() - bar
            wanted = round(view.fontMetrics().averageCharWidth() * self.max_line_chars + margin)
            spare = max(0, room - wanted)
            left, right = spare // 2, spare - spare // 2
        extra_left, extra_right = view.mark_margins  # gui/marks' stripes, tags and arcs
        left, right = max(left, extra_left), max(right, extra_right)
        margins = view.viewportMargins()
        if (margins.left(), margins.right()) != (left, right):
            view.setViewportMargins(left, 0, right, 0)
            # QPlainTextEdit may keep lines wrapped for the old viewport's width (they run
            # under the margins, with a sideways scroll): a change of wrap mode re-wraps
            mode = view.lineWrapMode()
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            view.setLineWrapMode(mode)


# -- View menu -------------------------------------------------------------------------

LINE_WIDTH_CHARS = 80  # the longest line when "Limit line width" is on
SPACING_KEY = "Ctrl+Alt+P"
WIDTH_KEY = "Ctrl+Alt+W"


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class ReadingActions(QObject):
    """View > Paragraph spacing and View > Limit line width, kept in the settings and
    applied to the view at start (a Preferences dialog can set the values themselves
    through ``view.apply_reading_settings``)."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)  # kept alive by the window
        self.setObjectName("readingActions")
        self.window = window
        settings = window.settings
        self.spacing = settings.paragraph_spacing
        self.spacing_action = add_action(
            window,
            menu,
            tr("&Paragraph spacing"),
            self.toggle_spacing,
            SPACING_KEY,
            checkable=True,
        )
        self.width_action = add_action(
            window, menu, tr("Limit line &width"), self.toggle_width, WIDTH_KEY, checkable=True
        )
        self.spacing_action.setChecked(self.spacing > 0)
        self.width_action.setChecked(settings.max_line_chars > 0)
        window.view.apply_reading_settings(
            paragraph_spacing=self.spacing, max_line_chars=settings.max_line_chars
        )
        set_line_spacing(window.view, stored_line_spacing(settings))

    def toggle_spacing(self, on: bool) -> None:
        spacing = (self.spacing or PARAGRAPH_SPACING) if on else 0.0
        self.window.settings.paragraph_spacing = spacing
        self.window.view.apply_reading_settings(paragraph_spacing=spacing)

    def toggle_width(self, on: bool) -> None:
        chars = LINE_WIDTH_CHARS if on else 0
        self.window.settings.max_line_chars = chars
        self.window.view.apply_reading_settings(max_line_chars=chars)
