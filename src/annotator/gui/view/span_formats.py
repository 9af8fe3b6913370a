"""The character formats that paint spans: one per combination of layers, blended once.

With dense overlaps nearly every piece of text is covered by a new combination of
labels; blending colours in Python for each piece was three quarters of a scrolled
page. :class:`SpanFormats` blends each combination once and keeps the formats in a
bounded LRU keyed by the sorted set of labels (and the innermost label, whose colour
the underline takes), so the same labels always look the same whichever span is outer.

Labels >= 0 are the current coder's labels (a blended background; from two layers on
an underline in the innermost label's colour, wavy from three); labels < 0 stand for
another coder's shown layer, ``-1 - place``, drawn as an underline in that layer's
colour and line style only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from PySide6.QtGui import QColor, QTextCharFormat

from annotator.core.spans import Span

LAYER_ALPHA = 0.34  # how much of a label's colour each layer blends in
MAX_PULL = 0.5  # however deep an overlap, the text stays on a light background


def pull(n: int) -> float:
    """How far *n* layers move the base towards their mean colour."""
    return min(MAX_PULL, 1.0 - (1.0 - LAYER_ALPHA) ** n)


MAX_FORMATS = 4096  # combinations kept (a page rarely shows more than a few hundred)
UNKNOWN = QColor("#888888")
QUANTUM = 8  # blended channels are rounded to this step
SINGLE = int(QTextCharFormat.UnderlineStyle.SingleUnderline.value)
WAVE = int(QTextCharFormat.UnderlineStyle.WaveUnderline.value)
UNDERLINES = (
    QTextCharFormat.UnderlineStyle.SingleUnderline,
    QTextCharFormat.UnderlineStyle.DashUnderline,
    QTextCharFormat.UnderlineStyle.DotLine,
    QTextCharFormat.UnderlineStyle.DashDotLine,
    QTextCharFormat.UnderlineStyle.WaveUnderline,
)  # other coders' layers, by their place (with their colour)


def blend(base: QColor, over: QColor, alpha: float) -> QColor:
    return QColor(
        round(base.red() + (over.red() - base.red()) * alpha),
        round(base.green() + (over.green() - base.green()) * alpha),
        round(base.blue() + (over.blue() - base.blue()) * alpha),
    )


def _quantise(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    """Colours a reader cannot tell apart (within QUANTUM / 2 per channel) made one, so
    that neighbouring pieces share a format and deep overlaps do not make a new one each."""
    return (
        min(255, (rgb[0] + QUANTUM // 2) // QUANTUM * QUANTUM),
        min(255, (rgb[1] + QUANTUM // 2) // QUANTUM * QUANTUM),
        min(255, (rgb[2] + QUANTUM // 2) // QUANTUM * QUANTUM),
    )


def label_runs(spans: Sequence[Span], lo: int, hi: int) -> list[tuple[int, int, tuple[int, ...]]]:
    """``(start, end, labels outermost first)`` for each covered piece of ``[lo, hi)``:
    the sweep of :func:`annotator.core.layers.segments` (outer = earlier, then longer),
    with the labels only and neighbours of the same labels merged (what the view paints)."""
    order = sorted(
        (s for s in spans if s.start < hi and s.end > lo),
        key=lambda s: (s.start, s.start - s.end, s.id),
    )
    if not order:
        return []
    edges = sorted({max(lo, s.start) for s in order} | {min(hi, s.end) for s in order})
    out: list[tuple[int, int, tuple[int, ...]]] = []
    active: list[Span] = []  # in outer-first order: spans join in that order
    j, n = 0, len(order)
    previous: tuple[int, ...] = ()
    for k in range(len(edges) - 1):
        a = edges[k]
        while j < n and max(lo, order[j].start) <= a:
            active.append(order[j])
            j += 1
        active = [s for s in active if s.end > a]
        if not active:
            previous = ()
            continue
        labels = tuple([s.label for s in active])
        b = edges[k + 1]
        if labels == previous and out[-1][1] == a:
            out[-1] = (out[-1][0], b, labels)
        else:
            out.append((a, b, labels))
        previous = labels
    return out


class SpanFormats:
    """Formats for label combinations, blended on first use and kept in a bounded LRU."""

    def __init__(self, limit: int = MAX_FORMATS) -> None:
        self.limit = limit
        self.base = QColor("#ffffff")
        self.colours: dict[int, QColor] = {}
        self.layer_looks: list[tuple[QColor, QTextCharFormat.UnderlineStyle]] = []
        self._rgb: dict[int, tuple[int, int, int]] = {}
        self._cache: OrderedDict[tuple[int, ...], QTextCharFormat] = OrderedDict()
        self._looks: dict[tuple[object, ...], QTextCharFormat] = {}
        self._pull: list[float] = []
        self.blended = 0  # combinations blended so far (a public count for tests)

    def __len__(self) -> int:
        return len(self._cache)

    def reset(
        self,
        base: QColor | None = None,
        colours: dict[int, QColor] | None = None,
        layer_looks: list[tuple[QColor, QTextCharFormat.UnderlineStyle]] | None = None,
    ) -> None:
        """New colours (any argument given); every format is blended again on use."""
        if base is not None:
            self.base = QColor(base)
        if colours is not None:
            self.colours = colours
        if layer_looks is not None:
            self.layer_looks = layer_looks
        self._rgb = {k: (c.red(), c.green(), c.blue()) for k, c in self.colours.items()}
        self._cache.clear()
        self._looks.clear()

    def colour(self, label: int) -> QColor:
        return self.colours.get(label, UNKNOWN)

    def for_labels(self, labels: tuple[int, ...]) -> QTextCharFormat:
        """The format for a piece covered by *labels*, outermost first."""
        cache = self._cache
        fmt = cache.get(labels)
        if fmt is not None:
            cache.move_to_end(labels)
            return fmt
        fmt = self._make(labels)
        cache[labels] = fmt
        if len(cache) > self.limit:
            cache.popitem(last=False)
        return fmt

    def pieces(
        self, spans: Sequence[Span], lo: int, hi: int
    ) -> list[tuple[int, int, QTextCharFormat]]:
        """``(start, end, format)`` for each covered piece of ``[lo, hi)``, neighbours of
        one format merged: the sweep of :func:`label_runs` keeping the sums of the
        layers' colours as spans come and go, so that each piece costs a lookup by
        (colour sums, layers, innermost colour) whatever the depth of the overlap."""
        order = sorted(
            (s for s in spans if s.start < hi and s.end > lo),
            key=lambda s: (s.start, s.start - s.end, s.id),
        )
        if not order:
            return []
        if order[0].label < 0 or any(s.label < 0 for s in order):  # other coders' layers
            return [(a, b, self.for_labels(labels)) for a, b, labels in label_runs(order, lo, hi)]
        rgb, grey = self._rgb, (UNKNOWN.red(), UNKNOWN.green(), UNKNOWN.blue())
        colours = [rgb.get(s.label, grey) for s in order]
        ending: dict[int, list[int]] = {}  # edge -> places (in order) of spans ending there
        for place, s in enumerate(order):
            ending.setdefault(min(hi, s.end), []).append(place)
        starts = [max(lo, s.start) for s in order]
        edges = sorted(set(starts) | ending.keys())
        base_r, base_g, base_b = self.base.red(), self.base.green(), self.base.blue()
        weights = self._weights(len(order))
        looks = self._looks
        half, q = QUANTUM // 2, QUANTUM
        out: list[tuple[int, int, QTextCharFormat]] = []
        active: list[int] = []  # places in order: outer first, as spans join in order
        r = g = b = n = 0
        j, count = 0, len(order)
        for k in range(len(edges) - 1):
            a = edges[k]
            for place in ending.get(a, ()):
                active.remove(place)
                c = colours[place]
                r, g, b, n = r - c[0], g - c[1], b - c[2], n - 1
            while j < count and starts[j] <= a:
                active.append(j)
                c = colours[j]
                r, g, b, n = r + c[0], g + c[1], b + c[2], n + 1
                j += 1
            if not n:
                continue
            # the blend of background() from the running sums, quantised as _quantise
            w = weights[n]
            background = (
                min(255, int(base_r + (r - n * base_r) * w + 0.5 + half) // q * q),
                min(255, int(base_g + (g - n * base_g) * w + 0.5 + half) // q * q),
                min(255, int(base_b + (b - n * base_b) * w + 0.5 + half) // q * q),
            )
            underline = (
                None if n == 1 else (self._rgba(colours[active[-1]]), SINGLE if n == 2 else WAVE)
            )
            fmt = looks.get((background, underline))
            if fmt is None:
                fmt = self._look(background, underline)
            end = edges[k + 1]
            if out and out[-1][2] is fmt and out[-1][1] == a:
                out[-1] = (out[-1][0], end, fmt)
            else:
                out.append((a, end, fmt))
        return out

    def _weights(self, depth: int) -> list[float]:
        """How far *n* layers pull the base towards their mean colour, divided by n."""
        while len(self._pull) <= depth:
            n = len(self._pull)
            self._pull.append(pull(n) / n if n else 0.0)
        return self._pull

    def _rgba(self, rgb: tuple[int, int, int]) -> int:
        return 0xFF000000 | (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]

    def _look(
        self, background: tuple[int, int, int] | None, underline: tuple[int, int] | None
    ) -> QTextCharFormat:
        """The one format of a look (combinations that look the same share it)."""
        look = (background, underline)
        fmt = self._looks.get(look)
        if fmt is None:
            self.blended += 1
            fmt = QTextCharFormat()
            if background is not None:
                fmt.setBackground(QColor(*background))
            if underline is not None:
                fmt.setUnderlineColor(QColor.fromRgba(underline[0]))
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle(underline[1]))
            if len(self._looks) >= self.limit:
                self._looks.clear()
            self._looks[look] = fmt
        return fmt

    def background(self, labels: Sequence[int]) -> tuple[int, int, int]:
        """The blended background of the current coder's *labels* (order does not
        matter): the base moved towards the labels' mean colour, further with each
        layer: one layer is ``LAYER_ALPHA`` of its colour, more up to ``MAX_PULL``."""
        n = len(labels)
        rgb = self._rgb
        grey = (UNKNOWN.red(), UNKNOWN.green(), UNKNOWN.blue())
        cols = [rgb.get(label, grey) for label in labels]
        weight = pull(n) / n
        base = self.base
        return (
            int(base.red() + (sum(c[0] for c in cols) - n * base.red()) * weight + 0.5),
            int(base.green() + (sum(c[1] for c in cols) - n * base.green()) * weight + 0.5),
            int(base.blue() + (sum(c[2] for c in cols) - n * base.blue()) * weight + 0.5),
        )

    def _make(self, labels: tuple[int, ...]) -> QTextCharFormat:
        """Blend once per combination; combinations that look the same share a format."""
        mine = [label for label in labels if label >= 0]
        others = [-1 - label for label in labels if label < 0]
        background = _quantise(self.background(mine)) if mine else None
        underline: tuple[int, int] | None = None  # (colour rgba, style number)
        if others and self.layer_looks:  # another coder's span: their colour and line
            line, style = self.layer_looks[others[-1] % len(self.layer_looks)]
            underline = (line.rgba(), int(style.value))
        elif len(mine) > 1:
            wavy = QTextCharFormat.UnderlineStyle.WaveUnderline
            single = QTextCharFormat.UnderlineStyle.SingleUnderline
            underline = (
                self.colour(mine[-1]).rgba(),
                int((single if len(mine) == 2 else wavy).value),
            )
        return self._look(background, underline)
