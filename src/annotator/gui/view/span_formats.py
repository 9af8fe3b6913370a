"""The character formats that paint spans: one per combination of layers, blended once.

With dense overlaps nearly every piece of text is covered by a new combination of
labels; blending colours in Python for each piece was three quarters of a scrolled
page. :class:`SpanFormats` blends each combination once and keeps the formats in a
bounded LRU keyed by the sorted set of labels (and the innermost label, whose colour
the underline takes), so the same labels always look the same whichever span is outer.
The view's per-block sweep (:meth:`SpanFormats.pieces_of`) goes further: it reads the
spans as columns, keeps the active layers' colours as one packed integer sum and looks
each piece up by that sum and the innermost colour (100,000 spans over 20 labels on a
100 KB text: 1.5 ms a block of 1,250 spans, against 3.4 ms for touching() and a sweep
over Span objects with tuples of sums).

Labels >= 0 are the current coder's labels (a blended background; from two layers on
an underline in the innermost label's colour, wavy from three); labels < 0 stand for
another coder's shown layer, ``-1 - place``, drawn as an underline in that layer's
colour and line style only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from operator import neg

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
FIELD = 32  # bits per channel sum in a sweep key (any depth of overlap fits)
MASK = (1 << FIELD) - 1
COUNT = 1 << (3 * FIELD)  # one layer, in a packed colour sum
ROUND = 0.5 + QUANTUM // 2  # round to the nearest, then to the nearest QUANTUM step
MEMO_LIMIT = 65536  # sweep keys remembered (colour sums and innermost colour -> format)


def packed(rgb: tuple[int, int, int]) -> int:
    """A colour as one term of a sweep's sum: the count, then each channel."""
    return COUNT | (rgb[0] << (2 * FIELD)) | (rgb[1] << FIELD) | rgb[2]


GREY_PACKED = packed((UNKNOWN.red(), UNKNOWN.green(), UNKNOWN.blue()))
GREY_RGB = UNKNOWN.rgb() & 0xFFFFFF
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
        self._packed: dict[int, int] = {}  # label -> packed() colour
        self._inner: dict[int, int] = {}  # label -> 0xRRGGBB
        self._memo: dict[int, QTextCharFormat] = {}  # sweep key -> format
        self._base = (255, 255, 255)  # the base colour's channels
        self._cache: OrderedDict[tuple[int, ...], QTextCharFormat] = OrderedDict()
        self._looks: OrderedDict[tuple[object, ...], QTextCharFormat] = OrderedDict()
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
        self._base = (self.base.red(), self.base.green(), self.base.blue())
        self._packed = {k: packed(rgb) for k, rgb in self._rgb.items()}
        self._inner = {k: (r << 16) | (g << 8) | b for k, (r, g, b) in self._rgb.items()}
        self._cache.clear()
        self._looks.clear()
        self._memo.clear()

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
        one format merged (the pieces of :func:`label_runs`, each in its labels' look)."""
        inside = [s for s in spans if s.start < hi and s.end > lo]
        if any(s.label < 0 for s in inside):  # other coders' layers: looks by label sets
            return [(a, b, self.for_labels(labels)) for a, b, labels in label_runs(inside, lo, hi)]
        return self.pieces_of(
            [s.id for s in inside],
            [s.start for s in inside],
            [s.end for s in inside],
            [s.label for s in inside],
            lo,
            hi,
        )

    def pieces_of(
        self,
        ids: Sequence[int],
        starts: Sequence[int],
        ends: Sequence[int],
        labels: Sequence[int],
        lo: int,
        hi: int,
    ) -> list[tuple[int, int, QTextCharFormat]]:
        """:meth:`pieces` of the current coder's spans given as columns (each overlapping
        ``[lo, hi)``, any order; :meth:`SpanIndex.columns`).

        One sweep over two sorted streams, the spans' starts (outer first: earlier, then
        longer) and their ends, keeping one integer: the sum of the active spans' colours
        packed with their count (:data:`COUNT`). That sum and the innermost span's colour
        decide the look, so each piece costs a dictionary lookup whatever the depth of
        the overlap; a sum seen for the first time is blended once (:meth:`_from_key`)."""
        if not ids:
            return []
        rows = sorted(zip(starts, map(neg, ends), ids, labels, strict=True))  # outer first
        count = len(rows)
        begin = [r[0] for r in rows]
        k = 0
        while k < count and begin[k] < lo:
            begin[k] = lo
            k += 1
        finish = [-r[1] if -r[1] < hi else hi for r in rows]
        order = [r[3] for r in rows]
        packed, inner = self._packed, self._inner
        sums = [packed.get(label, GREY_PACKED) for label in order]
        inners = [inner.get(label, GREY_RGB) for label in order]
        leaving = sorted(range(count), key=finish.__getitem__)
        leave_at = [finish[p] for p in leaving]
        memo = self._memo
        out_a: list[int] = []
        out_b: list[int] = []
        out_f: list[QTextCharFormat] = []
        active: list[int] = []  # places in rows: outer first, as spans join in that order
        total = 0
        i = k = 0
        at = begin[0]
        while True:
            while k < count and leave_at[k] <= at:
                place = leaving[k]
                k += 1
                active.remove(place)
                total -= sums[place]
            while i < count and begin[i] <= at:
                active.append(i)
                total += sums[i]
                i += 1
            if i < count:
                step = begin[i]
                if k < count and leave_at[k] < step:
                    step = leave_at[k]
            elif k < count:
                step = leave_at[k]
            else:
                break
            if total:
                key = (total << 24) | inners[active[-1]]
                fmt = memo.get(key)
                if fmt is None:
                    fmt = self._from_key(key)
                if out_f and out_f[-1] is fmt and out_b[-1] == at:
                    out_b[-1] = step
                else:
                    out_a.append(at)
                    out_b.append(step)
                    out_f.append(fmt)
            at = step
        return list(zip(out_a, out_b, out_f, strict=True))

    def _from_key(self, key: int) -> QTextCharFormat:
        """The look of a sweep key: the blend of background() from the packed sums,
        quantised as _quantise; from two layers an underline in the innermost colour."""
        total = key >> 24
        n = total >> (3 * FIELD)
        pulls = self._pull if n < len(self._pull) else self._weights(n)
        w = pulls[n]
        base_r, base_g, base_b = self._base
        q = QUANTUM
        background = (
            min(
                255,
                int(base_r + (((total >> (2 * FIELD)) & MASK) - n * base_r) * w + ROUND) // q * q,
            ),
            min(255, int(base_g + (((total >> FIELD) & MASK) - n * base_g) * w + ROUND) // q * q),
            min(255, int(base_b + ((total & MASK) - n * base_b) * w + ROUND) // q * q),
        )
        look = (
            background,
            None if n == 1 else (0xFF000000 | (key & 0xFFFFFF), SINGLE if n == 2 else WAVE),
        )
        fmt = self._looks.get(look)
        if fmt is None:
            fmt = self._look(*look)
        memo = self._memo
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = fmt
        return fmt

    def _weights(self, depth: int) -> list[float]:
        """How far *n* layers pull the base towards their mean colour, divided by n."""
        while len(self._pull) <= depth:
            n = len(self._pull)
            self._pull.append(pull(n) / n if n else 0.0)
        return self._pull

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
            if len(self._looks) >= self.limit:  # the oldest look goes (pieces may keep it)
                self._looks.popitem(last=False)
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
