"""Suggestions from the command line (issue 17): suggest, suggestions, train."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.suggest.sample_corpus import generate
from annotator.store import Project
from annotator.store.suggestions import Suggestions


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "news.annot"
    with Project.create(path, annotator="lead") as project, project.transaction():
        for ex in generate(30):
            doc = project.add_document(ex.text, title=f"news {ex.key}")
            spans = ex.spans if ex.key <= 25 else ex.spans[:1]
            project.annotate_many(doc, [(s, e, label, None) for s, e, label in spans])
    return path


def test_suggest_lists_and_accepts_above_a_score(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", str(corpus), "--document", "news 30"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("from like-before in 1 document\n")
    assert main(["suggestions", str(corpus)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(" doc 30 [" in line and "like-before" in line for line in lines)
    with Project.open(corpus, read_only=True) as project:
        before = len(project.annotations(30))
        waiting = len(Suggestions(project).all())
    assert main(["suggestions", str(corpus), "--accept-above", "0.5"]) == 0
    said = capsys.readouterr().out
    with Project.open(corpus, read_only=True) as project:
        accepted = len(project.annotations(30)) - before
        assert {a.annotator for a in project.annotations(30)} == {"lead"}
        left = len(Suggestions(project).all())
    assert accepted > 0 and said.startswith(f"accepted {accepted} suggestion")
    assert left == waiting - accepted


def test_suggest_learned_and_train_print_the_evaluation(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", str(corpus), "--source", "learned", "--document", "27"]) == 0
    assert "from learned in 1 document" in capsys.readouterr().out
    assert main(["train", str(corpus)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("trained on ")
    assert re.search(r"of 2\d documents; measured on \d held-out documents$", out[0])
    assert any(line.startswith("learned      actor") and "F1" in line for line in out)
    assert any(line.startswith("like-before  all") for line in out)
    assert sum(line.startswith("learning curve: ") for line in out) == 4


@pytest.mark.parametrize(
    "argv, message",
    [
        (["suggestions", "P", "--accept-above", "1.5"], "must be a number from 0 to 1"),
        (["suggestions", "P", "--accept-above", "nan"], "must be a number from 0 to 1"),
        (["suggest", "P", "--document", "nope"], "there is no document 'nope'"),
        (["suggest", "P", "--source", "pretrained"], "no spaCy pipeline is installed"),
        (["suggest", "P", "--map", "PERSON"], "a mapping is ENTITY_TYPE=label"),
    ],
)
def test_bad_arguments_get_one_line_and_change_nothing(
    corpus: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    if "pretrained" in argv and _has_spacy_pipeline():
        pytest.skip("a spaCy pipeline is installed here")
    before = corpus.read_bytes()
    assert main([str(corpus) if a == "P" else a for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert corpus.read_bytes() == before


def test_train_with_nothing_annotated_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.annot"
    with Project.create(path) as project:
        project.add_document("Nothing annotated here.", "empty")
    assert main(["train", str(path)]) == 2
    assert "nothing to learn from yet" in capsys.readouterr().err


def test_version_does_not_import_the_learning_libraries() -> None:
    code = (
        "import sys\nfrom annotator.cli import main\ntry:\n    main(['--version'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sklearn', 'spacy', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stdout + done.stderr


def _has_spacy_pipeline() -> bool:
    from annotator.core.suggest.pretrained import installed_pipelines

    return bool(installed_pipelines())
