"""brat files as brat and its corpora write them (issue 12, item 6, and the actor links
of item 11): relation types defined on several annotation.conf lines, the type
hierarchy by indentation, comment types other than AnnotatorNotes, binary attributes,
the older ENTITY-NESTING overlap rule, relations brat's verifier rejects; texts with
astral characters and CRLF line ends (brat counts the \\r)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.codebook import default_codebook
from annotator.formats.registry import export_project, import_paths
from annotator.store import Project

# brat counts code points of the .txt as it is on disk: the \r of each CRLF too
TEXT = "Cell 👍🏽 lysis\r\nin the liver 🇫🇷 and kidney.\r\n"


def _offsets(word: str) -> tuple[int, int]:
    at = TEXT.index(word)
    return at, at + len(word)


def _t(n: int, kind: str, word: str) -> str:
    s, e = _offsets(word)
    return f"T{n}\t{kind} {s} {e}\t{word}"


# as in brat's AnEM configuration: one relation type on several lines, a type tree by
# tab indentation, a binary attribute
ANEM_CONF = """\
[entities]
Anatomical_entity
\tOrgan
\tCell
Pathological_formation
[relations]
frag\tArg1:Organ, Arg2:Organ
frag\tArg1:Cell, Arg2:Cell
frag\tArg1:Pathological_formation, Arg2:Pathological_formation
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>
[events]
[attributes]
Negated\tArg:<ENTITY>
"""


def _folder(tmp_path: Path, ann: list[str], conf: str | None) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "doc1.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "doc1.ann").write_text("\n".join(ann) + "\n", "utf-8")
    if conf is not None:
        (folder / "annotation.conf").write_text(conf, "utf-8")
    return folder


def test_a_relation_type_on_several_lines_keeps_every_definition(tmp_path: Path) -> None:
    ann = [
        _t(1, "Cell", "Cell"),
        _t(2, "Cell", "lysis"),
        _t(3, "Organ", "liver"),
        _t(4, "Organ", "kidney"),
        "R1\tfrag Arg1:T1 Arg2:T2",  # allowed by the second frag line only
        "R2\tfrag Arg1:T3 Arg2:T4",  # by the first
    ]
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [_folder(tmp_path, ann, ANEM_CONF)])
        frag = next(r for r in project.codebook().relations if r.key == "frag")
        assert set(frag.from_labels) == {"Organ", "Cell", "Pathological_formation"}
        assert report.relations == 2 and not report.dropped
        assert [r.type for r in project.relations()] == ["frag", "frag"]
        spans = [(a.text, a.label) for a in project.annotations()]
        assert ("lysis", "Cell") in spans and ("kidney", "Organ") in spans


def test_the_type_hierarchy_comes_in_and_goes_out_as_indentation(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        import_paths(project, [_folder(tmp_path, [_t(1, "Organ", "liver")], ANEM_CONF)])
        codebook = project.codebook()
        assert codebook.label("Organ").parent == "Anatomical_entity"  # type: ignore[union-attr]
        assert codebook.label("Cell").parent == "Anatomical_entity"  # type: ignore[union-attr]
        assert codebook.label("Pathological_formation").parent is None  # type: ignore[union-attr]
        report = export_project(project, "brat", tmp_path / "out")
    assert "label hierarchy link" not in report.dropped
    lines = (tmp_path / "out" / "annotation.conf").read_text("utf-8").splitlines()
    entities = lines[lines.index("[entities]") + 1 : lines.index("[relations]")]
    at = entities.index("Anatomical_entity")
    assert entities[at + 1 : at + 3] == ["\tOrgan", "\tCell"]
    with Project.create(tmp_path / "q.annot") as again:
        import_paths(again, [tmp_path / "out"])
        assert again.codebook().label("Organ").parent == "Anatomical_entity"  # type: ignore[union-attr]


def test_comment_types_are_kept_with_their_type_and_written_back(tmp_path: Path) -> None:
    # as the TDT corpus writes lemmas: one '#' line of type Lemma per token
    ann = [
        _t(1, "Cell", "Cell"),
        _t(2, "Organ", "liver"),
        "#1\tLemma T1\tcell",
        "#2\tLemma T2\tliver",
        "#3\tAnnotatorNotes T2\tthe organ",
    ]
    with Project.create(tmp_path / "p.annot") as project:
        import_paths(project, [_folder(tmp_path, ann, ANEM_CONF)])
        by_text = {a.text: a for a in project.annotations()}
        assert project.attributes(by_text["Cell"].id) == {"Lemma": "cell"}
        assert by_text["liver"].note == "the organ"  # only AnnotatorNotes is a note
        assert project.attributes(by_text["liver"].id) == {"Lemma": "liver"}
        export_project(project, "brat", tmp_path / "out")
    (out,) = (tmp_path / "out").glob("*.ann")
    lines = out.read_text("utf-8").splitlines()
    assert "#1\tLemma T1\tcell" in lines and "#2\tAnnotatorNotes T2\tthe organ" in lines
    assert "#3\tLemma T2\tliver" in lines
    assert not any(line.startswith("A") for line in lines)  # not written as attributes
    conf = (tmp_path / "out" / "annotation.conf").read_text("utf-8")
    assert "Lemma" not in conf


def test_a_binary_attribute_comes_back_binary(tmp_path: Path) -> None:
    ann = [_t(1, "Cell", "Cell"), _t(2, "Organ", "liver"), "A1\tNegated T1"]
    with Project.create(tmp_path / "p.annot") as project:
        import_paths(project, [_folder(tmp_path, ann, ANEM_CONF)])
        (cell,) = project.annotations(label="Cell")
        assert project.attributes(cell.id) == {"Negated": "true"}
        export_project(project, "brat", tmp_path / "out")
    (out,) = (tmp_path / "out").glob("*.ann")
    assert "A1\tNegated T1" in out.read_text("utf-8").splitlines()
    conf = (tmp_path / "out" / "annotation.conf").read_text("utf-8").splitlines()
    assert "Negated\tArg:<ENTITY>" in conf


def test_a_boolean_that_is_sometimes_false_keeps_its_values(tmp_path: Path) -> None:
    from annotator.core.codebook import AttributeDef, Codebook

    cb = default_codebook()
    cb = Codebook(cb.name, cb.labels, (*cb.attributes, AttributeDef("quoted", "Quoted", "boolean")))
    with Project.create(tmp_path / "p.annot", cb) as project:
        doc = project.add_document(TEXT, "Doc")
        a = project.annotate(doc, 0, 4, "claim")
        b = project.annotate(doc, 5, 7, "claim")
        project.set_attribute(a.id, "quoted", "true")
        project.set_attribute(b.id, "quoted", "false")
        export_project(project, "brat", tmp_path / "out")
    (out,) = (tmp_path / "out").glob("*.ann")
    lines = out.read_text("utf-8").splitlines()
    assert "A1\tquoted T1 true" in lines and "A2\tquoted T2 false" in lines


def test_entity_nesting_is_no_relation_type_and_gets_no_second_overlap_rule(
    tmp_path: Path,
) -> None:
    # brat up to 1.2 wrote the overlap rule as the special type ENTITY-NESTING
    conf = ANEM_CONF.replace(
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "ENTITY-NESTING\tArg1:<ENTITY>, Arg2:<ENTITY>",
    )
    with Project.create(tmp_path / "p.annot") as project:
        report = import_paths(project, [_folder(tmp_path, [_t(1, "Cell", "Cell")], conf)])
        keys = {r.key for r in project.codebook().relations}
        assert not any("NESTING" in k.upper() for k in keys)
        assert not any("ENTITY" in w for w in report.warnings)
        export_project(project, "brat", tmp_path / "out")
    text = (tmp_path / "out" / "annotation.conf").read_text("utf-8")
    assert "ENTITY-NESTING" not in text and text.count("<OVERLAP>") == 1


def test_relations_the_verifier_rejects_are_one_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # as in the CoNLL-ST 2006 conversions: dependency relations between any two tokens,
    # where annotation.conf allows each between certain types only
    ann = [_t(1, "Cell", "Cell"), _t(2, "Organ", "liver"), _t(3, "Organ", "kidney")]
    ann += ["R1\tfrag Arg1:T1 Arg2:T2", "R2\tfrag Arg1:T2 Arg2:T1", "R3\tfrag Arg1:T2 Arg2:T3"]
    folder = _folder(tmp_path, ann, ANEM_CONF)
    assert main(["new", str(tmp_path / "p.annot")]) == 0
    capsys.readouterr()
    assert main(["import", str(tmp_path / "p.annot"), str(folder)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert (
        "annotator: dropped (the format cannot carry them): 2 relations that annotation.conf "
        "does not allow" in err
    )
    assert not any("Arg" in line or "line 4" in line for line in err)  # no line each
    assert main(["new", str(tmp_path / "q.annot")]) == 0
    capsys.readouterr()
    assert main(["import", str(tmp_path / "q.annot"), str(folder), "--verbose"]) == 0
    err = capsys.readouterr().err.splitlines()
    details = [line for line in err if "doc1.ann, line" in line]
    assert len(details) == 2 and "line 4" in details[0] and "line 5" in details[1]


def test_actor_links_are_normalisation_lines_both_ways(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as project:
        doc = project.add_document(TEXT, "Doc")
        body = project.text(doc)
        at = body.index("liver")
        liver = project.annotate(doc, at, at + 5, "actor")
        project.link_actor(liver.id, "The Liver Board", "organisation")
        claim = project.annotate(doc, 0, 4, "claim")
        project.relate(liver.id, claim.id, "claimant")
        report = export_project(project, "brat", tmp_path / "out")
    assert "actor link" not in report.dropped
    (out,) = (tmp_path / "out").glob("*.ann")
    lines = out.read_text("utf-8").splitlines()
    assert "N1\tReference T2 Actor:organisation\tThe Liver Board" in lines
    with Project.create(tmp_path / "q.annot") as again:
        import_paths(again, [tmp_path / "out"])
        (mention,) = again.annotations(label="actor")
        actor = again.actor_of(mention.id)
        assert actor is not None and (actor.name, actor.type) == ("The Liver Board", "organisation")
