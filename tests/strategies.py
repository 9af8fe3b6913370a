"""Hypothesis strategies for generated projects, shared by round-trip tests.

``project_contents()`` draws documents in many scripts (with CRLF sources),
overlapping and nested spans of every label, notes with newlines and quotes,
attributes and relations that fit the default codebook. ``build_project`` writes
them into a real project file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from annotator.core.text import normalise
from annotator.store import Project

PIECES = (
    "France",
    "Senate",
    "Հայաստան",
    "Ազգային ժողով",
    "البرلمان",
    "فرنسا",
    "שלום",
    "👍🏽",
    "👩‍👩‍👧",
    "🇫🇷",
    "e\u0301",
    "a\u00a0b",
    "𠀋",
    '"quoted"',
    "comma, here",
    "tab\there",
    "=SUM(A1)",
    "\r\n",
    "\n",
    "\r",
    " ",
    ".",
)

NOTES = st.one_of(
    st.none(),
    st.sampled_from(
        ["", "a note", 'with "quotes"', "two\nlines", "comma, and ; semi", "=1+1", "👍🏽 Հայ عربى"]
    ),
    st.text(min_size=1, max_size=30).filter(lambda s: "\x00" not in s),
)


@dataclass
class SpanSpec:
    start: int
    end: int
    label: str
    note: str | None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class DocSpec:
    title: str
    source: str  # as written in the source file (may hold CRLF)
    spans: list[SpanSpec]
    relations: list[tuple[int, int, str]]  # (index of from-span, index of to-span, type)

    @property
    def text(self) -> str:
        return normalise(self.source)


@st.composite
def documents(draw: st.DrawFn) -> DocSpec:
    source = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=3, max_size=40)))
    if not normalise(source).strip():
        source = "Senate " + source
    text = normalise(source)
    n = len(text)
    spans: list[SpanSpec] = []
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, n - 1))
        end = draw(st.integers(start + 1, n))
        label = draw(st.sampled_from(["claim", "demand", "actor", "allegation"]))
        attributes: dict[str, str] = {}
        if label in ("claim", "demand") and draw(st.booleans()):
            attributes["position"] = draw(st.sampled_from(["-1", "0", "+1"]))
            attributes["issue"] = draw(st.sampled_from(["detainees", "peace talks", "Հայ issue"]))
        spans.append(SpanSpec(start, end, label, draw(NOTES), attributes))
    if spans and draw(st.booleans()):  # a nested and an overlapping span
        first = spans[0]
        spans.append(SpanSpec(first.start, first.end, "claim", None))
        if first.end < n:
            spans.append(SpanSpec(first.start, min(n, first.end + 1), "actor", None))
    relations = []
    actors = [i for i, s in enumerate(spans) if s.label == "actor"]
    claims = [i for i, s in enumerate(spans) if s.label in ("claim", "demand", "allegation")]
    if actors and claims and draw(st.booleans()):
        relations.append((actors[0], claims[0], "claimant"))
    title = draw(st.sampled_from(["Doc", "Հայ doc", "عنوان", "doc, with comma", "👍 title"]))
    return DocSpec(title, source, spans, relations)


def project_contents() -> st.SearchStrategy[list[DocSpec]]:
    return st.lists(documents(), min_size=1, max_size=3)


def build_project(path: Path, docs: list[DocSpec]) -> Project:
    """Write *docs* into a new project at *path* and return it (open)."""
    project = Project.create(path, annotator="tester")
    for n, spec in enumerate(docs):
        doc = project.add_document(spec.source, f"{spec.title} {n + 1}")
        made = project.annotate_many(doc, [(s.start, s.end, s.label, s.note) for s in spec.spans])
        for span, annotation in zip(spec.spans, made, strict=True):
            if span.attributes:
                project.set_attributes(annotation.id, dict(span.attributes))
        for a, b, kind in spec.relations:
            project.relate(made[a].id, made[b].id, kind)
    return project


def snapshot(project: Project) -> list[dict[str, object]]:
    """A comparable picture of a project's content, independent of ids."""
    out = []
    for doc in project.documents():
        anns = project.annotations(doc)
        attrs = project.all_attributes(doc.id)
        index = {a.id: (a.start, a.end, a.label) for a in anns}
        out.append(
            {
                "title": doc.title,
                "text": project.text(doc),
                "spans": sorted(
                    (
                        a.start,
                        a.end,
                        a.label,
                        a.note or "",
                        a.text,
                        tuple(sorted(attrs.get(a.id, {}).items())),
                    )
                    for a in anns
                ),
                "relations": sorted(
                    (r.type, index[r.from_id], index[r.to_id]) for r in project.relations(doc.id)
                ),
            }
        )
    return out
