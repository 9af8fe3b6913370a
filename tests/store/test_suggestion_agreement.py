"""The stored suggestions of a source as one more coder in agreement (issue 17): the
same figures as a real coder layer holding the same spans, on the documents the
suggestions were made for."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement.report import AgreementReport, agreement_report
from annotator.core.errors import InputError
from annotator.core.suggest import Suggestion
from annotator.store import Project
from annotator.store.queries.agreement_queries import agreement_input, suggestion_coder
from annotator.store.suggestions import Suggestions
from tests.gui.team_fixtures import at, team_project

# what "the model" suggested in "Senate vote": none of it is a span annotated with its
# label (those are never stored), some of it overlaps Ana's and Ben's spans
MODEL = [
    (*at("minister"), "actor"),
    (*at("budget"), "claim"),
    (*at("tax reform"), "claim"),
    (*at("opposition leaders"), "allegation"),
    (*at("Monday"), "actor"),
]


def with_suggestions(tmp_path: Path) -> Path:
    """The team project with MODEL stored as the learned source's suggestions for
    "Senate vote" (document 1) only."""
    path = team_project(tmp_path)
    with Project.open(path) as project:
        found = [Suggestion(a, b, k, 0.5 + i / 20, "learned") for i, (a, b, k) in enumerate(MODEL)]
        assert Suggestions(project).replace(1, "learned", found) == len(MODEL)
        Suggestions(project).replace(1, "like-before", [Suggestion(0, 3, "actor", 1.0, "x")])
    return path


def reference(tmp_path: Path, source: Path) -> Path:
    """An independent copy in which a real coder, Model, annotated MODEL."""
    copy = tmp_path / "reference.annot"
    shutil.copyfile(source, copy)
    with Project.open(copy) as project:
        project.annotate_many(1, [(a, b, k, None) for a, b, k in MODEL], annotator="Model")
    return copy


def figures(report: AgreementReport) -> dict[tuple[object, ...], object]:
    """Every figure by what it is about, the model named as in the reference."""
    model = suggestion_coder("learned")
    return {
        (
            f.section,
            f.label,
            f.document,
            f.on,
            tuple("Model" if c == model else c for c in f.coders),
        ): (
            f.agreement.value,
            f.agreement.n,
        )
        for f in report.figures
    }


@pytest.mark.parametrize("coders", [["Ana"], ["Ana", "Ben"]])
def test_the_suggestions_as_a_coder_give_the_figures_of_a_coder_layer(
    tmp_path: Path, coders: list[str]
) -> None:
    path = with_suggestions(tmp_path)
    with Project.open(path, read_only=True) as project:
        data = agreement_input(project, coders=coders, suggestions="learned")
    assert data.coders == (*coders, suggestion_coder("learned"))
    assert list(data.documents) == [1]  # the document the suggestions were made for
    made = agreement_report(data)
    with Project.open(reference(tmp_path, path), read_only=True) as project:
        expected = agreement_report(
            agreement_input(project, coders=[*coders, "Model"], documents=["1"])
        )
    got, want = figures(made), figures(expected)
    assert got == want and len(got) > 10
    alpha = [f for f in made.figures if f.section == "characters" and f.label is None]
    assert alpha and alpha[0].agreement.value is not None
    assert tuple(made.shared) == tuple(expected.shared) == (1,)
    # a disagreement names the model; its spans carry no annotation's id
    model_codings = [
        c for d in made.disagreements for c in d.codings if c.coder == suggestion_coder("learned")
    ]
    assert model_codings and all(c.annotation_id < 0 for c in model_codings)


def test_every_coder_by_default_and_one_line_errors(tmp_path: Path) -> None:
    path = with_suggestions(tmp_path)
    with Project.open(path, read_only=True) as project:
        data = agreement_input(project, suggestions="learned")
        assert data.coders == ("Ana", "Ben", "suggestions: learned")
        with pytest.raises(InputError, match="no suggestions of 'pretrained' are stored"):
            agreement_input(project, suggestions="pretrained")
        with pytest.raises(InputError, match="unknown coder 'Zoe'"):
            agreement_input(project, coders=["Zoe"], suggestions="learned")
        with pytest.raises(InputError, match="none of the chosen documents has suggestions"):
            agreement_input(project, documents=["Ana only"], suggestions="learned")
        assert agreement_input(project, coders=["Ana"], labels=["actor"], suggestions="learned")


def test_cli_agree_with_suggestions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_suggestions(tmp_path)
    assert main(["agree", str(path), "--coders", "Ana", "--with-suggestions", "learned"]) == 0
    out = capsys.readouterr().out
    assert "Agreement of Ana, suggestions: learned on 1 shared document (of 1 selected" in out
    assert main(["agree", str(path), "--with-suggestions", "nothing"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no suggestions of 'nothing'" in err
