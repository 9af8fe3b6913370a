"""The statistics panel: the numbers it shows equal counts made here from the plain
store API; charts and tables save as PNG and SVG; readable in a dark palette."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from annotator.gui.panels.stats_dock import CountsModel, StatsPanel
from annotator.store import Project
from tests.formats.report_sample import annotate_sample

ROLES_TO_CLAIM = {"claimant"}  # actor -> claim; the other roles go claim -> actor


def actor_name(project: Project, annotation_id: int) -> str:
    actor = project.actor_of(annotation_id)
    return actor.name if actor else " ".join(project.annotation(annotation_id).text.split())


def expected(project: Project, doc: int | None = None) -> dict[str, object]:
    """Counts per label, claims made, mentions and actor x label, computed directly."""
    annotations = project.annotations(doc)
    per_label = Counter(a.label for a in annotations)
    claim_ids = {a.id: a.label for a in annotations if a.label in ("claim", "demand", "allegation")}
    made: dict[str, set[int]] = defaultdict(set)
    involved: dict[str, set[int]] = defaultdict(set)
    for rel in project.relations(doc):
        if rel.type in ROLES_TO_CLAIM:
            actor, claim = rel.from_id, rel.to_id
        elif rel.type in ("addressee", "object", "accused"):
            claim, actor = rel.from_id, rel.to_id
        else:
            continue
        if claim not in claim_ids:
            continue
        name = actor_name(project, actor)
        involved[name].add(claim)
        if rel.type == "claimant":
            made[name].add(claim)
    matrix = {name: Counter(claim_ids[c] for c in claims) for name, claims in involved.items()}
    mentions = Counter(actor_name(project, a.id) for a in annotations if a.label == "actor")
    return {
        "per_label": per_label,
        "made": {k: len(v) for k, v in made.items()},
        "mentions": mentions,
        "matrix": matrix,
    }


def chart_values(panel: StatsPanel, which: str) -> dict[str, dict[str, float]]:
    """category -> set label -> value, read from the chart itself."""
    view = panel.label_chart if which == "labels" else panel.actor_chart
    chart = view.chart()
    (series,) = chart.series()
    axis = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis))
    categories = axis.categories()
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for bar in series.barSets():
        for i, category in enumerate(categories):
            out[category.strip()][bar.label()] = bar.at(i)
    return out


def model_rows(model: CountsModel) -> dict[str, dict[str, int]]:
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return {
        str(model.headerData(r, Qt.Orientation.Vertical)): {
            str(columns[c]): model.index(r, c).data() for c in range(model.columnCount())
        }
        for r in range(model.rowCount())
    }


@pytest.fixture
def panel(qtbot: QtBot, sample_project: Project) -> StatsPanel:
    annotate_sample(sample_project, 1)
    second = sample_project.add_document("Azerbaijan denied it. Armenia insisted.", "Reply")
    a = sample_project.annotate(second, 0, 10, "actor")
    c = sample_project.annotate(second, 11, 20, "claim")
    sample_project.link_actor(a.id, "Azerbaijan")
    sample_project.relate(a.id, c.id, "claimant")
    sample_project.annotate(second, 22, 29, "actor")
    widget = StatsPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.set_project(sample_project)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_numbers_equal_independent_counts(panel: StatsPanel) -> None:
    project = panel.project
    assert project is not None
    want = expected(project)
    names = {lab.key: lab.name for lab in project.labels()}
    colours = {lab.key: lab.colour for lab in project.labels()}
    labels = chart_values(panel, "labels")
    for key, name in names.items():
        category = f"{name} ({want['per_label'][key]})"  # type: ignore[index]
        assert labels[category][name] == want["per_label"][key]  # type: ignore[index]
    (series,) = panel.label_chart.chart().series()
    assert {b.label(): b.color().name() for b in series.barSets()} == {
        names[k]: colours[k] for k in names
    }
    actors = chart_values(panel, "actors")
    shown = {name: values for name, values in actors.items()}
    for name, values in shown.items():
        assert values["Claims made"] == want["made"].get(name, 0)  # type: ignore[attr-defined]
        assert values["Mentions"] == want["mentions"].get(name, 0)  # type: ignore[attr-defined]
    top = sorted(want["made"].items(), key=lambda kv: (-kv[1], kv[0]))  # type: ignore[attr-defined]
    assert top[0][0] in shown
    matrix = model_rows(panel.matrix_model)
    assert set(matrix) == set(want["matrix"])  # type: ignore[arg-type]
    for name, row in matrix.items():
        counts = want["matrix"][name]  # type: ignore[index]
        for key in ("claim", "demand", "allegation"):
            assert row[names[key]] == counts.get(key, 0)
        assert row["Total"] == sum(counts.values())
    documents = model_rows(panel.document_model)
    for doc in project.documents():
        per = Counter(a.label for a in project.annotations(doc.id))
        assert documents[doc.title] == {
            **{names[k]: per.get(k, 0) for k in names},
            "Total": sum(per.values()),
        }
    assert panel.summary.text().startswith(f"{len(project.annotations())} annotations")


def test_current_document_scope(panel: StatsPanel, qtbot: QtBot) -> None:
    project = panel.project
    assert project is not None
    reply = project.find_document("Reply").id
    panel.set_document(reply)
    assert panel.stats is not None and len(panel.stats.documents) == 2  # still the project
    panel.set_whole_project(False)
    want = expected(project, reply)
    labels = chart_values(panel, "labels")
    for lab in project.labels():
        count = want["per_label"][lab.key]  # type: ignore[index]
        assert labels[f"{lab.name} ({count})"][lab.name] == count
    assert list(model_rows(panel.document_model)) == ["Reply"]
    assert "Reply" in panel.label_chart.chart().title()
    panel.set_document(None)
    assert panel.stats is None
    assert panel.summary.text() == "No document shown."
    panel.set_whole_project(True)
    assert panel.stats is not None and panel.stats.annotations == len(project.annotations())


def test_refresh_soon_follows_changes(panel: StatsPanel, qtbot: QtBot) -> None:
    project = panel.project
    assert project is not None
    before = panel.stats.per_label["allegation"]  # type: ignore[union-attr]
    project.annotate(1, 0, 2, "allegation")
    for _ in range(5):
        panel.refresh_soon()
    qtbot.waitUntil(lambda: panel.stats.per_label["allegation"] == before + 1, timeout=3000)  # type: ignore[union-attr]
    panel.set_project(None)
    assert panel.summary.text() == "No project open."
    assert panel.label_chart.chart().series() == []


def test_save_every_tab_as_png_and_svg(panel: StatsPanel, tmp_path: Path) -> None:
    for which in ("labels", "actors", "actor-label", "documents"):
        png = panel.save_png(tmp_path / f"{which}.png", which)
        assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        svg = panel.save_svg(tmp_path / f"{which}.svg", which)
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg")
        assert len(list(root.iter())) > 10  # something was drawn
    # what the labels chart shows is in the SVG as text
    assert "Allegation" in (tmp_path / "labels.svg").read_text("utf-8")
    # also a chart on a hidden tab is laid out before it is drawn
    assert panel.actor_rows()[0][0] in (tmp_path / "actors.svg").read_text("utf-8")
    panel.tabs.setCurrentIndex(1)
    assert panel.save_png(tmp_path / "current.png").stat().st_size > 1000


def test_buttons_ask_then_save(
    panel: StatsPanel, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = iter([str(tmp_path / "chart"), str(tmp_path / "chart.svg")])
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (next(chosen), ""))
    )
    qtbot.mouseClick(panel.png_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")
    qtbot.mouseClick(panel.svg_button, Qt.MouseButton.LeftButton)
    assert ET.parse(tmp_path / "chart.svg").getroot().tag.endswith("svg")


def test_errors_are_messages(panel: StatsPanel, tmp_path: Path) -> None:
    from annotator.core.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match="cannot write"):
        panel.save_svg(tmp_path / "missing" / "x.svg")
    with pytest.raises(AnnotatorError, match="cannot write"):
        panel.save_png(tmp_path / "missing" / "x.png")
    with pytest.raises(AnnotatorError, match="no chart"):
        panel.save_png(tmp_path / "x.png", "pie")


def test_models_pass_the_model_tester(panel: StatsPanel, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(panel.matrix_model)
    qtmodeltester.check(panel.document_model)
    empty = CountsModel()
    qtmodeltester.check(empty)


def _luminance(colour: QColor) -> float:
    return 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()


@pytest.mark.parametrize("dark", [False, True])
def test_readable_in_light_and_dark_palettes(panel: StatsPanel, dark: bool) -> None:
    palette = QPalette(panel.palette())
    if dark:
        for role, colour in (
            (QPalette.ColorRole.Window, "#202020"),
            (QPalette.ColorRole.WindowText, "#eeeeee"),
            (QPalette.ColorRole.Base, "#181818"),
            (QPalette.ColorRole.Text, "#eeeeee"),
            (QPalette.ColorRole.Highlight, "#3d7ab8"),
            (QPalette.ColorRole.Mid, "#555555"),
        ):
            palette.setColor(role, QColor(colour))
    panel.setPalette(palette)
    text = panel.palette().color(QPalette.ColorRole.WindowText)
    for view in (panel.label_chart, panel.actor_chart):
        chart = view.chart()
        background = chart.backgroundBrush().color()
        assert abs(_luminance(chart.titleBrush().color()) - _luminance(background)) > 0.5
        for axis in chart.axes():
            assert axis.labelsColor() == text
        assert chart.legend().labelColor() == text
    model = panel.matrix_model
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            index = model.index(r, c)
            ink = index.data(Qt.ItemDataRole.ForegroundRole).color()
            paper = index.data(Qt.ItemDataRole.BackgroundRole).color()
            assert abs(_luminance(ink) - _luminance(paper)) > 0.4
