"""A dense page's coding margin costs little (issue 14 item 3, issue 13): the notes of
a page's spans are read in one query and kept within a bound, a span's rows come
from lines read once per paint and are exactly what the cursor says, and the
stripes' columns are what the first-free-column rule gives."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

import annotator.gui.marks as marks_module
from annotator.core.spans import Span
from annotator.gui.main_window import MainWindow
from annotator.gui.marks.geometry import LineRows, line_bottom, line_top, visible_range
from annotator.gui.marks.stripes import MAX_COLUMNS, StripeMargin, coded_rows, pack
from annotator.gui.view.view_reading import set_line_spacing
from annotator.store import Project
from tests.gui.helpers import key, open_window, settle

WORDS = [
    "the",
    "senate",
    "calls",
    "for",
    "release",
    "of",
    "all",
    "prisoners",
    "held",
    "without",
    "trial",
]


def dense_text(seed: int, paragraphs: int) -> str:
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        out.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))))
    return "\n\n".join(out)


@pytest.fixture
def dense(tmp_path: Path) -> tuple[Path, dict[int, str]]:
    """A document of 60 paragraphs with 4,000 spans over 4 labels, every 7th with a
    note; the notes by annotation id."""
    path = tmp_path / "dense.annot"
    text = dense_text(14, 60)
    rng = random.Random(13)
    labels = ["actor", "demand", "claim", "allegation"]
    spans = []
    for i in range(4_000):
        start = rng.randrange(0, len(text) - 40)
        spans.append(
            (start, start + rng.randint(1, 40), rng.choice(labels), f"n{i}" if i % 7 == 0 else None)
        )
    with Project.create(path) as project:
        doc = project.add_document(text, "dense")
        project.annotate_many(doc, spans)
        notes = {
            a_id: note
            for a_id, note in project.execute(
                "SELECT id, note FROM annotations WHERE note IS NOT NULL"
            )
        }
    return path, notes


def margin(window: MainWindow) -> StripeMargin:
    stripes = window.view.findChild(StripeMargin, "codingStripes")
    assert stripes is not None
    return stripes


def shown_margin(qtbot: QtBot, path: Path) -> tuple[MainWindow, StripeMargin]:
    """The window on *path*, its first screen settled, and its coding margin."""
    window = open_window(qtbot, path)
    settle()
    return window, margin(window)


def count_note_queries(window: MainWindow) -> list[str]:
    """The statements reading notes from now on (sqlite3's trace callback)."""
    seen: list[str] = []
    project = window.session.project
    assert project is not None
    conn: sqlite3.Connection = project._conn  # type: ignore[attr-defined]
    conn.set_trace_callback(lambda sql: seen.append(sql) if "note" in sql else None)
    return seen


def test_a_dense_page_reads_its_notes_in_one_query_and_shows_each(
    qtbot: QtBot, dense: tuple[Path, dict[int, str]]
) -> None:
    path, notes = dense
    window, stripes = shown_margin(qtbot, path)
    seen = count_note_queries(window)
    for _ in range(3):
        key(qtbot, window, "PgDown")
        settle()
        seen.clear()
        window.marks.notes.clear()  # nothing known: every span on the page is asked for
        stripes.repaint()
        assert len(stripes.drawn) > 150  # a dense page
        assert len(seen) <= 2, seen
        for s in stripes.drawn:  # and each span's note is the stored one
            assert stripes.note_of(s.id) == notes.get(s.id)
            assert stripes.tag_of(s).endswith("*") == (s.id in notes)


def test_the_notes_kept_stay_bounded_while_scrolling(
    qtbot: QtBot, dense: tuple[Path, dict[int, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(marks_module, "NOTES_KEPT", 1_500, raising=False)
    path, notes = dense
    window, stripes = shown_margin(qtbot, path)
    for _ in range(12):
        key(qtbot, window, "PgDown")
        stripes.repaint()
        assert len(window.marks.notes) <= 1_500 + len(stripes.drawn)
    key(qtbot, window, "Ctrl+Home")
    stripes.repaint()
    assert len(window.marks.notes) <= 1_500 + len(stripes.drawn)
    assert all(stripes.note_of(s.id) == notes.get(s.id) for s in stripes.drawn)


def test_a_note_edited_shows_at_once_without_a_query_per_span(
    qtbot: QtBot, dense: tuple[Path, dict[int, str]]
) -> None:
    from tests.gui.helpers import when_modal

    path, notes = dense
    window, stripes = shown_margin(qtbot, path)
    stripes.repaint()
    plain = next(s for s in stripes.drawn if s.id not in notes and s.top >= 0)
    window.select_annotation(plain.id)
    settle()

    def write(dialog: object) -> None:
        from PySide6.QtWidgets import QPlainTextEdit

        editor = dialog.findChild(QPlainTextEdit)  # type: ignore[attr-defined]
        editor.setPlainText("seen at once")
        dialog.accept()  # type: ignore[attr-defined]

    seen = count_note_queries(window)
    when_modal(write)
    key(qtbot, window, "F2")
    stripes.repaint()
    assert stripes.note_of(plain.id) == "seen at once"
    assert stripes.tag_of(next(s for s in stripes.drawn if s.id == plain.id)).endswith("*")
    # the edit and the panels read the edited span; the margin reads the page at once
    batches = [q for q in seen if "json_each" in q]
    assert 1 <= len(batches) <= 2, seen
    assert all(str(plain.id) in q for q in seen if q not in batches), seen


def long_text() -> str:
    """Wrapped lines, emoji and Arabic (astral and right-to-left), a paragraph longer
    than a display block (split by display-only breaks), empty paragraphs."""
    line = "Marché 🇫🇷 واحد اثنان 👩‍👩‍👧 release of prisoners, tout de suite. "
    return "\n\n".join([line * 8, line * 70, "", "short", line * 3 + "😀" * 40, "\n\n\n", line * 5])


@pytest.mark.parametrize("spacing", [1.0, 1.7])
def test_line_rows_are_what_the_cursor_says_for_every_position(
    qtbot: QtBot, tmp_path: Path, spacing: float
) -> None:
    path = tmp_path / "rows.annot"
    text = long_text()
    with Project.create(path) as project:
        doc = project.add_document(text, "rows")
        project.annotate(doc, 0, 5, "actor")
    window = open_window(qtbot, path)
    view = window.view
    set_line_spacing(view, spacing)
    settle()
    assert view.offsets.inserted > 0  # the long paragraph is split for display
    bar = view.verticalScrollBar()
    for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 9)):
        bar.setValue(value)
        settle()
        rows = LineRows(view)
        lo, hi = visible_range(view)
        for position in range(lo, min(hi + 1, len(text))):
            assert rows.top(position) == line_top(view, position), position
            assert rows.bottom(position) == line_bottom(view, position), position


def reference_pack(spans: list[tuple[str, Span]]) -> list[int]:
    """The first-free-column rule, spelled out (the margin's first version)."""
    out: list[int] = []
    base = 0
    for coder in dict.fromkeys(c for c, _ in spans):
        ends: list[int] = []
        columns = {}
        for _, span in (p for p in spans if p[0] == coder):
            for i, end in enumerate(ends):
                if end <= span.start:
                    ends[i] = span.end
                    column = i
                    break
            else:
                ends.append(span.end)
                column = len(ends) - 1
            columns[span.id] = min(MAX_COLUMNS - 1, base + column)
        out += [columns[s.id] for c, s in spans if c == coder]
        base += len(ends)
    order = {(c, s.id): i for i, (c, s) in enumerate(spans)}
    flat = [
        (c, s.id) for coder in dict.fromkeys(c for c, _ in spans) for c, s in spans if c == coder
    ]
    result = [0] * len(spans)
    for (c, s_id), column in zip(flat, out, strict=True):
        result[order[(c, s_id)]] = column
    return result


def test_columns_are_the_first_free_column_of_each_layer() -> None:
    from annotator.core.spans import SpanIndex

    rng = random.Random(7)
    for trial in range(30):
        mine = SpanIndex(
            Span(i, s, s + rng.randint(1, 30), rng.randrange(4))
            for i, s in enumerate(rng.randrange(200) for _ in range(rng.randint(0, 120)))
        )
        theirs = SpanIndex(
            Span(1000 + i, s, s + rng.randint(1, 30), rng.randrange(4))
            for i, s in enumerate(rng.randrange(200) for _ in range(rng.randint(0, 60)))
        )
        coded = coded_rows(mine, "me", 40, 160) + coded_rows(theirs, "you", 40, 160)
        coded.sort()
        as_spans = [(c[4], Span(c[2], c[0], -c[1], c[3])) for c in coded]
        assert pack(coded) == reference_pack(as_spans), trial


def test_a_stripe_still_selects_its_span_on_a_dense_page(
    qtbot: QtBot, dense: tuple[Path, dict[int, str]]
) -> None:
    path, _ = dense
    _window, stripes = shown_margin(qtbot, path)
    stripes.repaint()
    first = next(s for s in stripes.drawn if s.top >= 0 and s.column == 0)
    under = stripes.stripes_at(QPoint(stripes.stripe_x(0) + 1, first.top + 1))
    assert first.id in {s.id for s in under}


def test_a_page_seen_again_reuses_its_stripes_until_a_span_changes(
    qtbot: QtBot, dense: tuple[Path, dict[int, str]]
) -> None:
    from tests.gui.helpers import drag_select

    path, _ = dense
    window, stripes = shown_margin(qtbot, path)
    stripes.repaint()
    first = stripes.drawn
    key(qtbot, window, "PgDown")
    stripes.repaint()
    key(qtbot, window, "PgUp")
    stripes.repaint()
    assert stripes.drawn is first  # the same screen: laid out once
    drag_select(qtbot, window.view, 10, 14)
    key(qtbot, window, "3")
    settle()
    stripes.repaint()
    assert stripes.drawn is not first
    before = {s.id for s in first}
    added = [s for s in stripes.drawn if s.id not in before]
    assert len(added) == 1 and len(stripes.drawn) == len(first) + 1  # shown at once
    key(qtbot, window, "Ctrl+Z")
    settle()
    stripes.repaint()
    assert {s.id for s in stripes.drawn} == before


def fresh_layout(stripes: StripeMargin) -> list[object]:
    """The screen's stripes laid out now, from nothing (what a paint without any kept
    layout would draw)."""
    view = stripes.view
    rows = LineRows(view)
    _key, lo, hi, below = stripes._page(view.firstVisibleBlock().position(), rows)
    return list(stripes._layout(lo, hi, rows, below))


@pytest.mark.parametrize("spacing", [1.0, 1.7])
def test_page_down_finds_its_stripes_laid_out_in_idle_time_and_exact(
    qtbot: QtBot, dense: tuple[Path, dict[int, str]], spacing: float
) -> None:
    path, _ = dense
    window = open_window(qtbot, path)
    set_line_spacing(window.view, spacing)
    settle()
    stripes = margin(window)
    stripes.repaint()
    reused, pages = stripes.reused, 8
    for _ in range(pages):
        qtbot.waitUntil(lambda: not window.view.blocks.idle and not stripes._next_page.isActive())
        predicted = stripes.predicted
        key(qtbot, window, "PgDown")
        stripes.repaint()
        assert stripes.drawn == fresh_layout(stripes)  # kept or not, what a fresh one is
        assert stripes.predicted >= predicted
    assert stripes.reused - reused >= pages - 1  # all but from the first screen
    assert stripes.predicted >= pages - 1
    reused = stripes.reused
    for _ in range(pages // 2):  # back up: the pages above were laid out too
        qtbot.waitUntil(lambda: not window.view.blocks.idle and not stripes._next_page.isActive())
        key(qtbot, window, "PgUp")
        stripes.repaint()
        assert stripes.drawn == fresh_layout(stripes)
    assert stripes.reused - reused >= pages // 2


def test_the_lines_after_page_down_and_up_are_guessed_from_the_layout(
    qtbot: QtBot, dense: tuple[Path, dict[int, str]]
) -> None:
    from annotator.gui.marks.geometry import (
        lines_after_page_down,
        lines_after_page_up,
        screen_lines,
    )

    path, _ = dense
    window = open_window(qtbot, path)
    view = window.view
    key(qtbot, window, "PgDown")  # off the text's first screen (its top margin)
    hits = 0
    for _ in range(10):
        guess = lines_after_page_down(view)
        key(qtbot, window, "PgDown")
        assert guess is not None
        first, lines = guess
        assert first == view.firstVisibleBlock().position()
        hits += lines == screen_lines(view)
    assert hits == 10
    hits = 0
    for _ in range(8):  # and back up
        up = lines_after_page_up(view)
        key(qtbot, window, "PgUp")
        assert up is not None
        assert up[0] == view.firstVisibleBlock().position()
        hits += up[1] == screen_lines(view)
    assert hits == 8
    view.moveCursor(view.textCursor().MoveOperation.End)
    settle()
    at_end = lines_after_page_down(view)  # the last screen: Page Down leaves it
    key(qtbot, window, "PgDown")
    assert at_end is None or at_end[1] == screen_lines(view)
    view.moveCursor(view.textCursor().MoveOperation.Start)
    settle()
    assert lines_after_page_up(view) is None  # nothing above the first
