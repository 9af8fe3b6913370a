"""Web pages: our HTML reader against trafilatura's defaults, on 990 real pages.

The pages and their expected snippets live in ``../shared/web-eval/`` (read from there,
never copied here; see its README): a 'with' snippet found in the extracted text is a
true positive, missing a false negative; a 'without' snippet present is a false
positive, absent a true negative (whitespace-normalised substring match). Both readers
run in the same process over the same bytes, page after page.

Goals: our F1 at least trafilatura's; no page that has an article refused; no teaser
(under :data:`TEASER_CHARS` characters that miss half of the 'with' snippets or more)
imported without a warning in the report.

``python -m benchmarks --only web`` (``--quick``: every tenth page);
``python -m benchmarks.web_eval [--quick] [--show N]`` prints the table alone, and with
``--show`` the N worst pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.common import ROOT, Row

EVAL_DIR = ROOT.parent / "shared" / "web-eval"
_SPACE = re.compile(r"\s+")
TEASER_CHARS = 500
"""A text this short that misses the article is a teaser (the old reader's were 16-494)."""


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0
    seconds: float = 0.0
    pages: int = 0
    refused: list[str] = field(default_factory=list)  # pages with 'with' snippets, no text
    missed_silently: list[str] = field(default_factory=list)  # a teaser, no warning
    per_page: list[tuple[str, float, str]] = field(default_factory=list)  # name, recall, why

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.seconds / self.pages if self.pages else 0.0


Extractor = Callable[[bytes, str], tuple[str, tuple[str, ...]]]
"""(page bytes, name) -> (text, warnings); raises on a refused page."""


def ours(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    from annotator.core.text import TextBudget
    from annotator.formats.html_reader import page_document

    doc = page_document(data, name, TextBudget(name), "article")
    return doc.text, doc.warnings


def trafilatura_defaults(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    import trafilatura

    return trafilatura.extract(data) or "", ()


def _norm(text: str) -> str:
    # canonically equivalent text is the same text: trafilatura normalises to NFC, we
    # keep the page's code points (DESIGN.md), the snippets are in either form
    return unicodedata.normalize("NFC", _SPACE.sub(" ", text).strip())


def score_page(
    score: Score, text: str, warned: bool, name: str, want: dict[str, list[str]]
) -> None:
    flat = _norm(text)
    found = 0
    for snippet in want.get("with", []):
        if _norm(snippet) in flat:
            score.tp += 1
            found += 1
        else:
            score.fn += 1
    for snippet in want.get("without", []):
        if _norm(snippet) in flat:
            score.fp += 1
        else:
            score.tn += 1
    total = len(want.get("with", []))
    recall = found / total if total else 1.0
    if total and recall < 0.5 and len(text.strip()) < TEASER_CHARS and not warned:
        score.missed_silently.append(name)
    score.per_page.append((name, recall, "warned" if warned else ""))


def load(quick: bool) -> list[tuple[str, bytes, dict[str, list[str]]]]:
    expectations = json.loads((EVAL_DIR / "expectations.json").read_text("utf-8"))
    pages = []
    for n, want in enumerate(expectations.values()):
        if quick and n % 10:
            continue
        data = gzip.decompress((EVAL_DIR / "pages" / f"{want['file']}.gz").read_bytes())
        pages.append((want["file"], data, want))
    return pages


def evaluate(quick: bool) -> tuple[Score, Score]:
    from annotator.core.errors import AnnotatorError

    pages = load(quick)
    mine, theirs = Score(), Score()
    for n, (name, data, want) in enumerate(pages):
        # alternate which runs first, so neither profits from a warm cache
        order = [(mine, ours), (theirs, trafilatura_defaults)]
        for score, extract in order if n % 2 else reversed(order):
            t0 = time.perf_counter()
            try:
                text, warnings = extract(data, name)
            except AnnotatorError as exc:
                text, warnings = "", (str(exc),)
                if want.get("with"):
                    score.refused.append(f"{name}: {exc}")
            score.seconds += time.perf_counter() - t0
            score.pages += 1
            score_page(score, text, bool(warnings) and score is mine, name, want)
    return mine, theirs


def run(quick: bool) -> list[Row]:
    if not (EVAL_DIR / "expectations.json").is_file():
        print(f"web: skipped, {EVAL_DIR} is absent", file=sys.stderr)
        return [Row("web pages: F1 vs trafilatura", "skipped", "-", "-", ">= 1.00", None)]
    mine, theirs = evaluate(quick)
    notes = [
        f"ours: precision {mine.precision:.3f}, recall {mine.recall:.3f}, F1 {mine.f1:.3f}, "
        f"{mine.ms_per_page:.0f} ms/page; trafilatura defaults: precision "
        f"{theirs.precision:.3f}, recall {theirs.recall:.3f}, F1 {theirs.f1:.3f}, "
        f"{theirs.ms_per_page:.0f} ms/page ({mine.pages} pages)",
        f"refused pages with an article: {len(mine.refused)}; teasers without a warning: "
        f"{len(mine.missed_silently)} (trafilatura's teasers: {len(theirs.missed_silently)}); "
        f"pages imported with a warning: {sum(1 for p in mine.per_page if p[2])}",
    ]
    ratio = mine.f1 / theirs.f1 if theirs.f1 else 0.0
    return [
        Row(
            "web pages: F1 vs trafilatura defaults",
            f"{mine.f1:.3f}",
            f"{theirs.f1:.3f}",
            f"{ratio:.3f}x",
            ">= 1.00x",
            ratio >= 1.0,
            notes,
        ),
        Row(
            "web pages: refused / silent teasers",
            f"{len(mine.refused)} / {len(mine.missed_silently)}",
            "0 / 0",
            "-",
            "0 / 0",
            not mine.refused and not mine.missed_silently,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    from benchmarks.common import format_table

    parser = argparse.ArgumentParser(prog="python -m benchmarks.web_eval")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="print the N worst pages")
    args = parser.parse_args(argv)
    if not (EVAL_DIR / "expectations.json").is_file():
        print(f"skipped: {EVAL_DIR} is absent", file=sys.stderr)
        return 0
    mine, theirs = evaluate(args.quick)
    ratio = mine.f1 / theirs.f1 if theirs.f1 else 0.0
    print(
        format_table(
            [
                Row(
                    "F1", f"{mine.f1:.3f}", f"{theirs.f1:.3f}", f"{ratio:.3f}x", ">= 1", ratio >= 1
                ),
                Row(
                    "precision", f"{mine.precision:.3f}", f"{theirs.precision:.3f}", "-", "-", None
                ),
                Row("recall", f"{mine.recall:.3f}", f"{theirs.recall:.3f}", "-", "-", None),
                Row(
                    "ms/page",
                    f"{mine.ms_per_page:.0f}",
                    f"{theirs.ms_per_page:.0f}",
                    "-",
                    "-",
                    None,
                ),
            ]
        )
    )
    print(f"refused with an article: {mine.refused}")
    print(f"teasers without a warning: {mine.missed_silently}")
    warned = [name for name, _, why in mine.per_page if why]
    print(f"pages with a warning: {len(warned)} (of {mine.pages})")
    if args.show:
        theirs_recall = {name: r for name, r, _ in theirs.per_page}
        worst = sorted(mine.per_page, key=lambda p: p[1] - theirs_recall[p[0]])[: args.show]
        for name, recall, why in worst:
            print(f"{recall:.2f} (trafilatura {theirs_recall[name]:.2f}) {why} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
