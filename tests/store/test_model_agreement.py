"""The learned model, held out, as one more coder in agreement (issue 17): the figures
are those of a real coder layer holding its spans, on every annotated document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.agreement.report import AgreementReport, agreement_report
from annotator.core.errors import InputError
from annotator.core.suggest.sample_corpus import generate
from annotator.store import Project
from annotator.store.queries.agreement_queries import (
    MODEL_CODER,
    SpanCoder,
    agreement_input,
    held_out_coder,
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return news_project(tmp_path / "news.annot")


def news_project(path: Path) -> Path:
    """30 generated news texts: Ana annotated 1-24 as generated, Ben 1-8 without their
    last span and 25-26; 27-30 are not annotated."""
    with Project.create(path, annotator="Ana") as project, project.transaction():
        for ex in generate(30):
            doc = project.add_document(ex.text, title=f"news {ex.key}")
            rows = [(s, e, label, None) for s, e, label in ex.spans]
            if ex.key <= 24:
                project.annotate_many(doc, rows, annotator="Ana")
            if ex.key <= 8 or ex.key in (25, 26):
                project.annotate_many(doc, rows[:-1] or rows, annotator="Ben")
    return path


def figures(report: AgreementReport) -> dict[tuple[object, ...], object]:
    """Every figure by what it is about, the model named as in the reference."""
    return {
        (
            f.section,
            f.label,
            f.document,
            f.on,
            tuple("Model" if c == MODEL_CODER else c for c in f.coders),
        ): (f.agreement.value, f.agreement.n)
        for f in report.figures
    }


@pytest.mark.parametrize("coders", [["Ana"], ["Ana", "Ben"]])
def test_the_held_out_model_gives_the_figures_of_a_coder_layer(
    tmp_path: Path, corpus: Path, coders: list[str]
) -> None:
    with Project.open(corpus, read_only=True) as project:
        model = held_out_coder(project)
        data = agreement_input(project, coders=coders, extra_coder=model)
        annotated = [d for d in range(1, 31) if project.annotations(d)]
    assert model.name == MODEL_CODER and sorted(model.spans) == annotated
    assert annotated == [ex.key for ex in generate(26) if ex.spans]
    assert all(model.spans.values())  # (so the reference's coded documents are the same)
    assert data.coders == (*coders, MODEL_CODER)
    assert list(data.documents) == annotated
    made = agreement_report(data)
    # the reference: a copy of the file in which a real coder, Model, annotated them
    copy = tmp_path / "reference.annot"
    shutil.copyfile(corpus, copy)
    with Project.open(copy) as project:
        for doc, spans in model.spans.items():
            project.annotate_many(doc, [(s, e, k, None) for s, e, k in spans], annotator="Model")
        expected = agreement_report(
            agreement_input(
                project, coders=[*coders, "Model"], documents=[str(d) for d in annotated]
            )
        )
    got, want = figures(made), figures(expected)
    assert got == want and len(got) > 20
    last = 24 if coders == ["Ana"] else 8  # every chosen coder annotated these
    assert made.shared == expected.shared == tuple(d for d in annotated if d <= last)
    assert len(made.disagreements) == len(expected.disagreements) > 0
    alpha = [f for f in made.figures if f.section == "characters" and f.label is None]
    assert alpha and alpha[0].agreement.value is not None and alpha[0].agreement.value > 0.5
    model_codings = [c for d in made.disagreements for c in d.codings if c.coder == MODEL_CODER]
    assert model_codings and all(c.annotation_id < 0 for c in model_codings)


def test_the_model_coder_is_refused_like_a_coder(corpus: Path) -> None:
    with Project.open(corpus, read_only=True) as project:
        model = held_out_coder(project)
        with pytest.raises(InputError, match="none of the chosen documents is coded by"):
            agreement_input(project, documents=["news 29"], extra_coder=model)
        with pytest.raises(InputError, match="not both"):
            agreement_input(project, suggestions="learned", extra_coder=model)
        named = SpanCoder("Ben", model.spans)
        with pytest.raises(InputError, match=r"a coder of news\.annot is named 'Ben'"):
            agreement_input(project, coders=["Ana"], extra_coder=named)
        # only the chosen documents
        one = agreement_input(project, coders=["Ana"], documents=["news 3"], extra_coder=model)
        assert list(one.documents) == [3]


def test_cli_agree_with_model(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    annotated = len([ex for ex in generate(26) if ex.spans])
    by_ana = len([ex for ex in generate(24) if ex.spans])
    assert main(["agree", str(corpus), "--coders", "Ana", "--with-model"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{MODEL_CODER}: each of the {annotated} annotated documents predicted by the learned model "
        "trained on the other folds (5 folds)"
    )
    assert out[1].startswith(f"Agreement of Ana, {MODEL_CODER} on {by_ana} shared documents")
    assert main(["agree", str(corpus), "--with-model", "--folds", "3", "--json"]) == 0
    assert f'"{MODEL_CODER}"' in capsys.readouterr().out
    for args, said in (
        (["--with-model", "--with-suggestions", "learned"], "choose one"),
        (["--folds", "3"], "--folds goes with --with-model"),
        (["--with-model", "--folds", "1"], "at least 2 folds"),
        (["--with-model", "--coders", "Zoe"], "unknown coder 'Zoe'"),
    ):
        assert main(["agree", str(corpus), *args]) != 0
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and said in err, (args, err)


def test_cli_too_few_annotated_documents_and_blind_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.annot"
    (ex,) = generate(1)
    with Project.create(path, annotator="Ana") as project:
        doc = project.add_document(ex.text, title="only")
        project.annotate_many(doc, [(s, e, k, None) for s, e, k in ex.spans])
        project.add_document("Nothing annotated here.", title="empty")
    assert main(["agree", str(path), "--with-model"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "too few annotated documents to hold any out: 1" in err
    with Project.open(path) as project:
        project.coders.set_blind(True)
    assert main(["agree", str(path), "--with-model"]) != 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "blind mode" in err


def test_many_documents_are_chosen_after_the_read(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More documents than a query names at once: every span is read and the documents
    chosen afterwards, with the same figures."""
    import annotator.store.queries.agreement_queries as queries

    with Project.open(corpus, read_only=True) as project:
        model = held_out_coder(project)
        few = agreement_report(agreement_input(project, extra_coder=model))
        monkeypatch.setattr(queries, "_FEW_DOCUMENTS", 0)
        many = agreement_report(agreement_input(project, extra_coder=model))
    assert figures(many) == figures(few) and len(figures(few)) > 20


def test_the_stored_suggestions_undercount_the_model_where_the_held_out_one_does_not(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Why the held-out coder exists: on coded documents a source stores no span already
    annotated with its label, so the stored suggestions barely cover Ana's documents."""
    assert main(["suggest", str(corpus), "--source", "learned"]) == 0
    capsys.readouterr()

    def shared_and_actor_recall(**how: object) -> tuple[int, float | None]:
        with Project.open(corpus, read_only=True) as project:
            report = agreement_report(agreement_input(project, coders=["Ana"], **how))  # type: ignore[arg-type]
        (figure,) = [
            f
            for f in report.figures
            if f.section == "spans-exact" and f.label == "actor" and f.document is None
            and f.agreement.measure == "recall"
        ]  # fmt: skip
        return len(report.shared), figure.agreement.value

    with Project.open(corpus, read_only=True) as project:
        model = held_out_coder(project)
    coded_by_ana = len([ex for ex in generate(24) if ex.spans])
    stored_shared, stored_recall = shared_and_actor_recall(suggestions="learned")
    shared, recall = shared_and_actor_recall(extra_coder=model)
    assert stored_shared < coded_by_ana // 4 and not stored_recall
    assert shared == coded_by_ana and recall is not None and recall > 0.5
