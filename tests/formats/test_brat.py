"""brat standoff: round trips, files as brat writes them, and bad input."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.core.errors import FormatError, InputError
from annotator.formats.brat import escape_note, fragments, text_field, unescape_note
from annotator.formats.registry import detect, export_project, import_paths
from annotator.store import Project
from tests.strategies import DocSpec, build_project, project_contents, snapshot


def _round_trip(docs: list[DocSpec], folder: Path) -> tuple[Project, Project]:
    source = build_project(folder / "a.annot", docs)
    export_project(source, "brat", folder / "brat")
    target = Project.create(folder / "b.annot", annotator="tester")
    import_paths(target, [folder / "brat"])
    return source, target


@settings(max_examples=30, deadline=None)
@given(project_contents())
def test_round_trip_keeps_everything(docs: list[DocSpec]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = _round_trip(docs, Path(tmp))
        try:
            assert snapshot(target) == snapshot(source)
        finally:
            source.close()
            target.close()


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=40))
def test_note_escaping_is_reversible_and_one_line(note: str) -> None:
    escaped = escape_note(note)
    assert escaped.splitlines() == ([escaped] if escaped else [])
    assert "\t" not in escaped
    assert unescape_note(escaped) == note


def test_span_across_lines_is_written_as_fragments(tmp_project: Project, tmp_path: Path) -> None:
    text = "One line\n\nand two\nthree"
    doc = tmp_project.add_document(text, "Lines")
    start, end = text.index("line"), text.index("two") + 3
    tmp_project.annotate(doc, start, end, "claim", 'said "so"\nand more')
    export_project(tmp_project, "brat", tmp_path / "out")
    ann = (tmp_path / "out" / "001-Lines.ann").read_text("utf-8").splitlines()
    parts = fragments(text, start, end)
    assert len(parts) == 2
    assert ann[0] == (
        f"T1\tclaim {';'.join(f'{s} {e}' for s, e in parts)}\t"
        + " ".join(text[s:e] for s, e in parts)
    )
    assert ann[1] == '#1\tAnnotatorNotes T1\tsaid "so"\\nand more'
    assert (tmp_path / "out" / "001-Lines.txt").read_bytes() == text.encode("utf-8")


def test_fragments_keep_edge_line_breaks_in_the_span() -> None:
    text = "a\n\nb\nc\n"
    assert fragments(text, 1, 6) == [(1, 4), (5, 6)]  # leading run stays, inner run splits
    assert fragments(text, 1, 3) == [(1, 3)]  # only line breaks: one fragment
    assert text_field(text, [(1, 4), (5, 6)]) == "  b c"


def _brat_folder(tmp_path: Path, txt: bytes, ann: str, conf: str | None = None) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "news.txt").write_bytes(txt)
    (folder / "news.ann").write_text(ann, "utf-8")
    if conf is not None:
        (folder / "annotation.conf").write_text(conf, "utf-8")
    return folder


def test_file_as_brat_writes_it(tmp_project: Project, tmp_path: Path) -> None:
    raw = "\ufeffThe Senate of France\r\nvoted. Azerbaijan objected.\r\n"
    text = raw[1:].replace("\r\n", "\n")

    def at(word: str) -> tuple[int, int]:  # brat offsets: code points of the file as written
        s = raw.index(word)
        return s, s + len(word)

    senate, france, azer, voted = at("Senate"), at("France"), at("Azerbaijan"), at("voted")
    ann = "\r\n".join(
        [
            f"T1\tOrganisation {senate[0]} {senate[1]}\tSenate",
            f"T2\tOrganisation {senate[0]} {senate[1]};{france[0]} {france[1]}\tSenate France",
            f"T3\tclaim {voted[0]} {voted[1]}\tvoted",
            f"T4\tactor {azer[0]} {azer[1]}\tAzerbaijan",
            "E1\tObjection:T3 Agent:T4",
            "N1\tReference T4 Wikipedia:1\tAzerbaijan",
            "R1\tclaimant Arg1:T4 Arg2:T3",
            "R2\tPartOf Arg1:T1 Arg2:T4",
            "A1\tposition T3 +1",
            "#1\tAnnotatorNotes T4\tfirst\\nsecond",
        ]
    )
    folder = _brat_folder(tmp_path, raw.encode("utf-8"), ann + "\r\n")
    assert detect(folder) == ("importer", "brat")
    assert detect(folder / "news.ann") == ("importer", "brat")
    report = import_paths(tmp_project, [folder / "news.ann"])
    (doc,) = tmp_project.documents()
    assert tmp_project.text(doc) == text
    got = {(a.start, a.end, a.label, a.note or "") for a in tmp_project.annotations(doc)}

    def norm(word: str) -> tuple[int, int]:
        return text.index(word), text.index(word) + len(word)

    assert got == {
        (*norm("Senate"), "Organisation", ""),
        (*norm("Senate"), "Organisation", "fragment 1 of 2 of T2"),
        (*norm("France"), "Organisation", "fragment 2 of 2 of T2"),
        (*norm("voted"), "claim", ""),
        (*norm("Azerbaijan"), "actor", "first\nsecond"),
    }
    assert "Organisation" in tmp_project.label_ids()  # brat type names are kept
    (claim,) = tmp_project.annotations(doc, label="claim")
    assert tmp_project.attributes(claim.id) == {"position": "+1"}
    assert [r.type for r in tmp_project.relations(doc.id)] == ["claimant"]
    warnings = "\n".join(report.warnings)
    assert "1 discontinuous spans" in warnings
    assert report.dropped == {
        "event": 1,
        "normalisation": 1,
        "relation of a type the codebook lacks": 1,
    }
    assert report.details == ["news.ann, line 8: relation type PartOf is not in the codebook"]


def test_annotation_conf_adds_relation_types_and_attributes(
    tmp_project: Project, tmp_path: Path
) -> None:
    text = "Paris said no."
    ann = "T1\tCity 0 5\tParis\nT2\tStatement 6 13\tsaid no\nR1\tSpeaker Arg1:T1 Arg2:T2\n"
    ann += "A1\tNegated T2\nA2\tTone T2 very%20cold\n"
    conf = (
        "[entities]\nCity\nStatement\n[relations]\nSpeaker\tArg1:City, Arg2:Statement\n"
        "[events]\n[attributes]\nNegated\tArg:Statement\nTone\tArg:Statement, Value:warm|very%20cold\n"
    )
    folder = _brat_folder(tmp_path, text.encode(), ann, conf)
    (folder / "visual.conf").write_text(
        "[labels]\nCity | Town or city\n[drawing]\nCity\tbgColor:#112233\n", "utf-8"
    )
    report = import_paths(tmp_project, [folder])
    assert report.warnings == [
        "added to the codebook: City, Statement",
        "added to the codebook: attribute Negated, attribute Tone, relation type Speaker",
    ]
    codebook = tmp_project.codebook()
    city = codebook.label("City")
    assert city is not None and (city.name, city.colour) == ("Town or city", "#112233")
    speaker = next(r for r in codebook.relations if r.key == "Speaker")
    assert (speaker.from_labels, speaker.to_labels) == (("City",), ("Statement",))
    (statement,) = tmp_project.annotations(label="Statement")
    assert tmp_project.attributes(statement.id) == {"Negated": "true", "Tone": "very cold"}
    assert len(tmp_project.relations()) == 1


def test_keys_with_spaces_and_separators_survive(tmp_path: Path) -> None:
    from annotator.core.codebook import AttributeDef, Codebook, Label, RelationType

    source = Project.create(tmp_path / "a.annot", annotator="tester")
    odd = Codebook(
        "odd",
        (Label("Named entity", "Named entity", "#123456"), Label("B-ORG|x", "Org", "#654321")),
        (AttributeDef("my attr", "My attr", "choice", ("Named entity",), ("a b", "c|d,e:f%")),),
        (RelationType("part of", "Part of", ("Named entity",), ("B-ORG|x",)),),
    )
    source.merge_codebook(odd)
    doc = source.add_document("Acme Corp of Springfield", "Odd")
    one = source.annotate(doc, 0, 9, "Named entity")
    two = source.annotate(doc, 13, 24, "B-ORG|x")
    source.set_attribute(one.id, "my attr", "c|d,e:f%")
    source.relate(one.id, two.id, "part of")
    export_project(source, "brat", tmp_path / "out")
    target = Project.create(tmp_path / "b.annot", annotator="tester")
    assert import_paths(target, [tmp_path / "out"]).warnings == [
        "added to the codebook: Named entity, B-ORG|x",
        "added to the codebook: attribute my attr, relation type part of",
    ]
    assert snapshot(target) == snapshot(source)
    assert {x.key for x in odd.labels} <= set(target.label_ids())


def _unchanged(project: Project, action: object) -> None:
    before = (snapshot(project), project.codebook())
    with pytest.raises(FormatError) as caught:
        action()  # type: ignore[operator]
    assert (snapshot(project), project.codebook()) == before
    return caught.value  # type: ignore[return-value]


def test_text_mismatch_names_file_and_line(sample_project: Project, tmp_path: Path) -> None:
    folder = _brat_folder(tmp_path, b"Some text here", "T1\tNew 0 4\tSome\nT2\tclaim 5 9\ttext\n")
    (folder / "more.txt").write_bytes(b"Other words")
    (folder / "more.ann").write_text("T1\tclaim 0 5\tOthe\n", "utf-8")
    error = _unchanged(sample_project, lambda: import_paths(sample_project, [folder]))
    assert "more.ann, line 1" in str(error)


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        ("T1\tclaim 0 99\tx\n", "outside the text"),
        ("T1\tclaim zero 4\tSome\n", "the offset 'zero' is not a number in ASCII digits"),
        ("X1\tfoo\n", "not a brat annotation id"),
        ("T1\tclaim 0 4\tSome\nR1\tclaimant Arg1:T1 Arg2:T9\n", "unknown annotation"),
    ],
)
def test_bad_ann_lines(tmp_project: Project, tmp_path: Path, ann: str, message: str) -> None:
    folder = _brat_folder(tmp_path, b"Some text here", ann)
    error = _unchanged(tmp_project, lambda: import_paths(tmp_project, [folder / "news.ann"]))
    assert message in str(error)


def test_missing_and_bad_text_files(tmp_project: Project, tmp_path: Path) -> None:
    folder = _brat_folder(tmp_path, b"\xff\xfe not utf-8 \xff", "")
    assert "not UTF-8" in str(_unchanged(tmp_project, lambda: import_paths(tmp_project, [folder])))
    (folder / "news.txt").unlink()
    error = _unchanged(tmp_project, lambda: import_paths(tmp_project, [folder / "news.ann"]))
    assert "news.txt" in str(error)


def test_export_refuses_a_folder_that_holds_files(sample_project: Project, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(InputError, match="not an empty folder"):
        export_project(sample_project, "brat", tmp_path / "full")
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
    (tmp_path / "empty").mkdir()
    export_project(sample_project, "brat", tmp_path / "empty")
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == [
        "001-France–Armenia resolution.ann",
        "001-France–Armenia resolution.txt",
        "annotation.conf",
        "visual.conf",
    ]


def test_cli_export_and_import(sample_project: Project, tmp_path: Path) -> None:
    doc = sample_project.documents()[0]
    text = sample_project.text(doc)
    start = text.index("Senate")
    made = sample_project.annotate(doc, start, start + 6, "actor", "the upper house")
    sample_project.close()
    source = tmp_path / "sample.annot"
    assert main(["export", str(source), "--format", "brat", "-o", str(tmp_path / "b")]) == 0
    assert main(["new", str(tmp_path / "c.annot")]) == 0
    ann = next((tmp_path / "b").glob("*.ann"))
    assert main(["import", str(tmp_path / "c.annot"), str(ann)]) == 0
    with Project.open(tmp_path / "c.annot") as copy, Project.open(source) as original:
        assert snapshot(copy) == snapshot(original)
        assert copy.annotations()[0].text == made.text


def test_an_unknown_id_with_a_carriage_return_is_shown_on_one_line(
    tmp_project: Project, tmp_path: Path
) -> None:
    """Found by the fuzzing: an id that starts with a stray carriage return was put in
    the message raw, which then ran over two lines."""
    folder = _brat_folder(tmp_path, b"The Senate voted.\n", "\rT1\tactor 4 10\tSenate\n")
    with pytest.raises(FormatError) as caught:
        import_paths(tmp_project, [folder / "news.ann"])
    message = str(caught.value)
    assert "\r" not in message and "\n" not in message
    assert message.endswith("news.ann, line 1: '\\rT1' is not a brat annotation id")
