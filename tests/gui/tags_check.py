"""Run by tests/gui/test_tags_fit.py under a real X server (xvfb-run) of a given size:
opens the window as a first start would (its default docks open), and prints as JSON
whether the label tags show beside the text, before and after they are switched off
and on again with their key. Usage: ``python -m tests.gui.tags_check PROJECT OUT_DIR``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.gui.marks import TAGS_KEY
from annotator.gui.marks.stripes import StripeMargin
from tests.gui.real_screen import press as real_press
from tests.gui.real_screen import shown_window, spin


def main(project: Path, out: Path) -> None:
    window = shown_window(project, 0.8)
    stripes = window.view.findChild(StripeMargin, "codingStripes")
    assert stripes is not None
    seen: dict[str, object] = {"screen": window.screen().availableGeometry().width()}

    def look(step: str) -> None:
        spin()
        image = stripes.grab().toImage()
        room = stripes.tag_room()
        inked = sum(  # dark pixels of the tags' text, left of the stripes
            1
            for x in range(room)
            for y in range(image.height())
            if image.pixelColor(x, y).lightness() < 160
        )
        seen[step] = {
            "tag_room": room,
            "tags_drawn": [stripes.tag_of(s) for s in stripes.drawn] if room else [],
            "inked": inked,
            "line_chars": window.view.viewport().width()
            // window.view.fontMetrics().averageCharWidth(),
            "docks": sorted(k for k, d in window.docks.items() if d.isVisible()),
            "text_width": window.centralWidget().width(),
            "window_width": window.frameGeometry().width(),
        }

    def press(sequence: str) -> None:
        real_press(window.view, sequence)

    look("first")
    window.grab().save(str(out / "tags.png"))
    press(TAGS_KEY)
    look("tags off")
    press(TAGS_KEY)
    look("tags on again")
    print(json.dumps(seen))
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
