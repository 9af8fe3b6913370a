"""Dense overlaps: each combination of layers is blended once, the formats are bounded,
and what is painted is the blend of the labels that meet (checked on real pixels)."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QTextCharFormat, QTextCursor
from pytestqt.qtbot import QtBot

from annotator.core.spans import Span
from annotator.gui.view.document_view import DocumentView
from annotator.gui.view.span_formats import LAYER_ALPHA, MAX_PULL, QUANTUM, SpanFormats, label_runs
from annotator.gui.view.view_reading import HIT_BACKGROUND
from annotator.store.codebook.codebook_tables import EXTRA_COLOURS

BASE = QColor("#ffffff")
COLOURS = {1: QColor("#e69f00"), 2: QColor("#56b4e9"), 3: QColor("#009e73")}
CODEBOOK = ("#0072b2", "#e69f00", "#009e73", "#cc79a7")


def formats(limit: int = 4096) -> SpanFormats:
    f = SpanFormats(limit)
    f.reset(BASE, dict(COLOURS), [])
    return f


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def close(a: tuple[int, int, int], b: tuple[int, int, int], slack: int = QUANTUM) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b, strict=True))


def expected(*labels: int) -> tuple[int, int, int]:
    """The base moved towards the labels' mean colour by 1 - (1 - alpha)^n, at most
    MAX_PULL (deep overlaps stay light enough to read)."""
    n = len(labels)
    pull = min(MAX_PULL, 1 - (1 - LAYER_ALPHA) ** n)
    mean = [sum(rgb(COLOURS[k])[c] for k in labels) / n for c in range(3)]
    return tuple(round(rgb(BASE)[c] + (mean[c] - rgb(BASE)[c]) * pull) for c in range(3))  # type: ignore[return-value]


def test_one_layer_is_its_colour_blended_in() -> None:
    f = formats()
    for label, colour in COLOURS.items():
        got = rgb(f.for_labels((label,)).background().color())
        want = tuple(round(255 + (x - 255) * LAYER_ALPHA) for x in rgb(colour))
        assert close(got, want)  # type: ignore[arg-type]
        assert f.for_labels((label,)).underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline


def test_an_overlap_keeps_the_colours_of_the_labels_that_meet() -> None:
    f = formats()
    two = f.for_labels((1, 2))
    assert close(rgb(two.background().color()), expected(1, 2))
    # the same labels nested the other way round: the same colour, the inner one's line
    other = f.for_labels((2, 1))
    assert rgb(other.background().color()) == rgb(two.background().color())
    assert two.underlineColor() == COLOURS[2] and other.underlineColor() == COLOURS[1]
    assert two.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    three = f.for_labels((1, 2, 3))
    assert close(rgb(three.background().color()), expected(1, 2, 3))
    assert three.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline


def test_each_combination_is_blended_once() -> None:
    f = formats()
    for _ in range(50):
        f.for_labels((1, 2))
        f.for_labels((1, 2, 3))
    assert f.blended == 2


def test_the_formats_are_bounded() -> None:
    f = formats(limit=64)
    labels = {k: QColor(c) for k, c in enumerate(EXTRA_COLOURS)}
    f.reset(colours=labels)
    for a in range(len(labels)):
        for b in range(len(labels)):
            for c in range(len(labels)):
                f.for_labels((a, b, c))
    assert len(f) <= 64
    assert len(f._looks) <= 64


def test_runs_say_which_labels_meet_outermost_first() -> None:
    spans = [Span(1, 0, 10, 1), Span(2, 3, 6, 2), Span(3, 5, 12, 3)]
    assert label_runs(spans, 0, 12) == [
        (0, 3, (1,)),
        (3, 5, (1, 2)),
        (5, 6, (1, 2, 3)),
        (6, 10, (1, 3)),
        (10, 12, (3,)),
    ]
    assert label_runs(spans, 4, 8) == [(4, 5, (1, 2)), (5, 6, (1, 2, 3)), (6, 8, (1, 3))]


@pytest.fixture
def view(qtbot: QtBot) -> DocumentView:
    v = DocumentView()
    qtbot.addWidget(v)
    v.resize(900, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def pixel_at(view: DocumentView, image: QImage, position: int) -> tuple[int, int, int]:
    """The colour in the middle of the cell of the (blank) character at *position*."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(position))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.offsets.to_utf16(position + 1))
    right = view.cursorRect(cursor)
    point = QPoint((left.left() + right.left()) // 2, left.center().y() - 2)
    ratio = image.devicePixelRatio()
    return rgb(image.pixelColor(round(point.x() * ratio), round(point.y() * ratio)))


def test_painted_overlaps_show_the_blend(view: DocumentView) -> None:
    text = "x" + " " * 60 + "x"
    view.set_labels({k: c.name() for k, c in COLOURS.items()}, {1: "a", 2: "b", 3: "c"})
    base = rgb(view.palette().color(view.palette().ColorRole.Base))
    view.set_document(text, [Span(1, 5, 40, 1), Span(2, 20, 30, 2)])
    view.repaint()
    image = view.viewport().grab().toImage()
    one = tuple(round(base[c] + (rgb(COLOURS[1])[c] - base[c]) * LAYER_ALPHA) for c in range(3))
    assert close(pixel_at(view, image, 10), one)  # type: ignore[arg-type]
    assert close(pixel_at(view, image, 25), view.formats.background([1, 2]), QUANTUM + 2)
    assert close(pixel_at(view, image, 50), base, 2)


@pytest.mark.parametrize("colour", sorted(set(CODEBOOK + EXTRA_COLOURS)))
def test_find_hits_show_on_every_label_colour(view: DocumentView, colour: str) -> None:
    text = "x" + " " * 60 + "x"
    view.set_labels({1: colour}, {1: "a"})
    view.set_document(text, [Span(1, 5, 50, 1)])
    view.set_hits([(20, 30)])
    view.repaint()
    image = view.viewport().grab().toImage()
    assert close(pixel_at(view, image, 25), rgb(HIT_BACKGROUND), 2)
    # a yellow label's blend is close to the hit's yellow: a dark outline draws its edge
    assert _outlined(view, image)


def _outlined(view: DocumentView, image: QImage) -> bool:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(20))
    rect = view.cursorRect(cursor)
    ratio = image.devicePixelRatio()
    y = round(rect.center().y() * ratio)
    darkest = min(
        sum(rgb(image.pixelColor(round(x * ratio), y)))
        for x in range(rect.left() - 2, rect.left() + 3)
    )
    return darkest < 200


def test_the_running_sweep_paints_what_the_labels_say() -> None:
    """pieces() keeps colour sums as spans come and go; it must give each piece the
    very format that the labels covering it get."""
    rng = random.Random(4)
    f = formats()
    spans = []
    for i in range(3000):
        a = rng.randrange(0, 5000)
        spans.append(Span(i, a, a + rng.randrange(1, 60), rng.randrange(1, 4)))
    for lo, hi in ((0, 5060), (1000, 1400), (2500, 2501)):
        runs = label_runs(spans, lo, hi)
        pieces = f.pieces(spans, lo, hi)
        cover: list[tuple[int, int, QTextCharFormat]] = []
        for a, b, labels in runs:  # neighbours of one look are merged by pieces()
            fmt = f.for_labels(labels)
            if cover and cover[-1][2] is fmt and cover[-1][1] == a:
                cover[-1] = (cover[-1][0], b, fmt)
            else:
                cover.append((a, b, fmt))
        assert [(a, b) for a, b, _ in pieces] == [(a, b) for a, b, _ in cover]
        assert all(p[2] is c[2] for p, c in zip(pieces, cover, strict=True))
