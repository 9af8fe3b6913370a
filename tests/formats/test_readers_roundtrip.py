"""Generated paragraphs in every script survive the HTML and DOCX readers as documented."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.text import normalise
from annotator.formats.registry import Options, import_paths
from annotator.store import Project
from tests.formats.test_readers import make_docx, w_para
from tests.strategies import PIECES

# Prose in any script: no control characters (but tab and newline), no surrogates, no
# noncharacters (XML cannot hold them); the strategies' pieces for emoji, RTL, marks.
CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters="\r")
PARAGRAPH = st.lists(
    st.one_of(
        st.text(CHARS, max_size=8),
        st.sampled_from([p for p in PIECES if "\r" not in p]),
        st.sampled_from([" ", "\t", "\n", "  "]),
    ),
    max_size=8,
).map("".join)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _stored(project: Project, path: Path, options: Options | None = None) -> str:
    report = import_paths(project, [path], options=options)
    return project.text(report.document_ids[0])


@SETTINGS
@given(paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=6))
def test_html_paragraphs(tmp_project: Project, tmp_path: Path, paragraphs: list[str]) -> None:
    # HTML whitespace collapses; soft hyphens (hyphenation hints) are left out
    lines = [re.sub("[ \t\n\f]+", " ", p.replace("\u00ad", "")).strip(" ") for p in paragraphs]
    expected = normalise("\n\n".join(line for line in lines if line))
    path = tmp_path / "generated.html"
    path.write_text(
        "<html><head><title>t</title></head><body>"
        + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        + "<p>end</p></body></html>",
        "utf-8",
    )
    # the page's text as written (the article mode's is trafilatura's: it drops what it
    # takes for boilerplate, repeated paragraphs among them; test_html_reader.py)
    page = _stored(tmp_project, path, Options(html="page"))
    assert page == (expected + "\n\nend" if expected else "end")


@SETTINGS
@given(paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=6))
def test_docx_paragraphs(tmp_project: Project, tmp_path: Path, paragraphs: list[str]) -> None:
    path = make_docx(tmp_path / "generated.docx", "".join(w_para(p) for p in [*paragraphs, "end"]))
    lines = "\n".join([*paragraphs, "end"]).split("\n")
    while not lines[0].strip():
        lines.pop(0)
    assert _stored(tmp_project, path) == normalise("\n".join(lines))
