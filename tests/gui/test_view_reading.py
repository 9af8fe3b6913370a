"""Readable text: a readable default size, a little space between paragraphs, an
optional longest line, all from the View menu's keys, with offsets unchanged."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from annotator.core.spans import Span
from annotator.gui.view.document_view import DocumentView
from annotator.gui.view.view_reading import LINE_WIDTH_CHARS, READABLE_POINTS
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle

TEXT = (
    "France's Senate voted on Tuesday. 👍🏽 The unions demand more.\n"
    "قال البرلمان الفرنسي إن فرنسا تدعم\n"
    "\n"
    "A third paragraph after an empty line, with 𠀋 in it.\n"
)


def paragraphs_shown(view: DocumentView) -> list[str]:
    block, out = view.document().firstBlock(), []
    while block.isValid():
        out.append(block.text())
        block = block.next()
    return out


def test_the_default_size_is_readable(qtbot: QtBot) -> None:
    view = DocumentView()
    qtbot.addWidget(view)
    assert view.font().pointSizeF() >= READABLE_POINTS


def test_paragraphs_get_a_little_space_and_offsets_stay(qtbot: QtBot) -> None:
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.show()
    view.set_labels({1: "#e69f00"}, {1: "claim"})
    view.set_document(TEXT, [Span(1, 34, 70, 1)])
    view.repaint()
    shown = paragraphs_shown(view)
    # a spacer between two paragraphs; none next to the empty line the text has
    assert shown == [
        TEXT.split("\n")[0],
        "",
        TEXT.split("\n")[1],
        "",
        TEXT.split("\n")[3],
        "",
    ]
    line = view.blockBoundingRect(view.document().firstBlock()).height()
    spacer = view.blockBoundingRect(view.document().findBlockByNumber(1)).height()
    assert 0.25 * line < spacer < 0.8 * line
    view.select_range(20, 100)
    assert view.selected_range() == (20, 100)
    assert view.selected_text() == TEXT[20:100]
    view.apply_reading_settings(paragraph_spacing=0)
    assert paragraphs_shown(view) == TEXT.split("\n")
    assert view.selected_range() == (20, 100)  # the selection stays on the same text
    assert [s.start for s in view.spans_at(40)] == [34]


def test_view_menu_keys_change_spacing_and_line_width(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "read.annot"
    with Project.create(path) as project:
        project.add_document(TEXT * 40, "long")
    window = open_window(qtbot, path)
    window.resize(1800, 760)
    settle()
    view = window.view
    blocks = view.document().blockCount()
    key(qtbot, window, "Ctrl+Alt+P")
    assert not window.settings.paragraph_spacing
    assert view.document().blockCount() < blocks  # no spacers
    key(qtbot, window, "Ctrl+Alt+P")
    assert window.settings.paragraph_spacing > 0
    assert view.document().blockCount() == blocks
    wide = view.viewport().width()
    key(qtbot, window, "Ctrl+Alt+W")
    assert window.settings.max_line_chars == LINE_WIDTH_CHARS
    assert view.reading.max_line_chars == LINE_WIDTH_CHARS
    view.apply_reading_settings(max_line_chars=30)  # narrower than this test's screen
    settle()
    chars = view.viewport().width() / view.fontMetrics().averageCharWidth()
    assert view.viewport().width() < wide
    assert 30 - 1 < chars < 30 + 6  # the text column (plus the document margins)
    key(qtbot, window, "Ctrl+Alt+W")
    assert window.settings.max_line_chars == 0
    settle()
    assert view.viewport().width() == wide


def test_line_spacing_stays_put_at_every_factor_and_back(qtbot: QtBot) -> None:
    """Every laid-out block is taken as spaced once spaced (its gap kept in Qt's 1/64
    px, cut off: 2.7 px became 2.6875 and a 0.01 tolerance spaced it again at every
    call), and going back to 1.0 puts every line back at the top of its block."""
    from annotator.gui.view.view_reading import SpacedLines, set_line_spacing

    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.set_document("\n".join(f"Paragraph {i}. " + "Words again. " * 40 for i in range(60)), [])
    qtbot.waitExposed(view)
    layout = view.document().documentLayout()
    assert isinstance(layout, SpacedLines)
    for factor in (1.3, 1.05, 1.45, 2.0, 1.0, 1.15, 1.0):
        set_line_spacing(view, factor)
        bar = view.verticalScrollBar()
        for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 8)):
            bar.setValue(value)
            settle()
        block, laid_out = view.document().firstBlock(), 0
        while block.isValid():
            lines = block.layout()
            if lines.lineCount():
                laid_out += 1
                layout.blockBoundingRect(block)
                assert layout.spaced(lines), (factor, block.blockNumber(), lines.lineAt(0).y())
                gap = (factor - 1.0) * lines.lineAt(0).height()
                assert gap - 1 / 32 <= lines.lineAt(0).y() <= gap + 1 / 32
            block = block.next()
        assert laid_out > 20
