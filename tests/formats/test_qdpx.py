"""REFI-QDA projects (.qdpx): schema-valid export, round trips, other tools' files, attacks."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from annotator.cli import main
from annotator.core.errors import FormatError
from annotator.formats._refi import join_description, split_description, xml_clean
from annotator.formats.registry import detect, export_project, import_paths
from annotator.store import Project
from tests.strategies import DocSpec, build_project, project_contents, snapshot

SCHEMAS = resources.files("annotator.resources") / "refi-qda"
PROJECT_XSD = etree.XMLSchema(etree.parse(str(SCHEMAS / "Project.xsd")))


def assert_valid_qdpx(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        doc = etree.fromstring(archive.read("project.qde"))
        PROJECT_XSD.assertValid(doc)
        ns = {"q": "urn:QDA-XML:project:1.0"}
        for source in doc.iterfind(".//q:TextSource", ns):
            entry = "sources/" + source.get("plainTextPath").removeprefix("internal://")
            assert entry in archive.namelist()
    return doc


def _expected(project: Project) -> list[dict[str, object]]:
    """The snapshot, with what XML 1.0 cannot hold in notes replaced as documented."""
    out = snapshot(project)
    for doc in out:
        doc["spans"] = sorted(
            (s, e, label, xml_clean(note)[0], text, attrs)
            for s, e, label, note, text, attrs in doc["spans"]  # type: ignore[attr-defined]
        )
    return out


@settings(max_examples=30, deadline=None)
@given(project_contents())
def test_round_trip_keeps_everything(docs: list[DocSpec]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = build_project(folder / "a.annot", docs)
        target = Project.create(folder / "b.annot", annotator="tester")
        try:
            report = export_project(source, "qdpx", folder / "x.qdpx")
            assert_valid_qdpx(folder / "x.qdpx")
            back = import_paths(target, [folder / "x.qdpx"])
            assert snapshot(target) == _expected(source)
            assert back.annotations == report.annotations
            assert back.relations == report.relations
        finally:
            source.close()
            target.close()


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(st.none(), st.text(max_size=30)),
    st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=12), max_size=3),
)
def test_description_block_is_reversible(note: str | None, attributes: dict[str, str]) -> None:
    description = join_description(note, attributes)
    assert split_description(description or "") == (note or "", attributes)


def test_export_carries_codes_users_notes_and_links(
    sample_project: Project, tmp_path: Path
) -> None:
    doc = sample_project.documents()[0]
    text = sample_project.text(doc)
    s = text.index("Senate")
    actor = sample_project.annotate(doc, s, s + 6, "actor", "upper house")
    claim = sample_project.annotate(doc, s, s + 40, "claim")
    sample_project.set_attributes(claim.id, {"position": "-1"})
    sample_project.relate(actor.id, claim.id, "claimant")
    export_project(sample_project, "qdpx", tmp_path / "x.qdpx")
    root = assert_valid_qdpx(tmp_path / "x.qdpx")
    ns = {"q": "urn:QDA-XML:project:1.0"}
    codes = {c.get("name"): c for c in root.iterfind(".//q:Code", ns)}
    assert [label.name for label in sample_project.labels()] == list(codes)
    assert codes["Claim"].get("color") == "#0072B2"
    (user,) = root.iterfind(".//q:User", ns)
    assert user.get("name") == "tester"
    selections = root.findall(".//q:PlainTextSelection", ns)
    assert [(int(x.get("startPosition")), int(x.get("endPosition"))) for x in selections] == [
        (s, s + 6),
        (s, s + 40),
    ]
    assert selections[0].findtext("q:Description", namespaces=ns) == "upper house"
    assert selections[1].findtext("q:Description", namespaces=ns) == (
        "[Annotator attributes]\nposition=-1"
    )
    assert selections[0].get("creatingUser") == user.get("guid")
    code_ref = selections[0].find("q:Coding/q:CodeRef", ns)
    assert code_ref.get("targetGUID") == codes["Actor"].get("guid")
    (link,) = root.iterfind(".//q:Link", ns)
    assert (link.get("name"), link.get("originGUID"), link.get("targetGUID")) == (
        "claimant",
        selections[0].get("guid"),
        selections[1].get("guid"),
    )


# -- other tools' files --------------------------------------------------------------

FOREIGN_TEXT = "Première ligne 👍🏽\r\nՀայաստան said yes.\r\nالبرلمان\r\n"


def _qdpx(path: Path, qde: str, entries: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        for name, data in (entries or {}).items():
            archive.writestr(name, data)
    return path


def _foreign_qde() -> str:
    raw = FOREIGN_TEXT
    a = raw.index("Հայաստան")
    b = raw.index("said yes")
    c = raw.index("البرلمان")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From MAXQDA" origin="MAXQDA 2022">
 <Users><User guid="{{AAAAAAAA-0000-0000-0000-000000000001}}" name="Ana"/></Users>
 <CodeBook><Codes>
  <Code guid="{{C0DE0000-0000-0000-0000-0000000000AA}}" name="Themes" isCodable="false">
   <Code guid="C0DE0000-0000-0000-0000-0000000000BB" name="Public Claim" isCodable="true" color="#abc">
    <Description>a claim</Description>
   </Code>
  </Code>
  <Code guid="c0de-short" name="Actor" isCodable="true"/>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="{{5000000-AAAA}}" name="interview.txt" plainTextPath="internal://SRC-ONE.TXT">
   <PlainTextSelection guid="{{5E100000-0000-0000-0000-000000000001}}" startPosition="{a}"
       endPosition="{b + 8}" creatingUser="aaaaaaaa-0000-0000-0000-000000000001"
       creationDateTime="2024-03-05T09:30:00+01:00">
    <Description>memo from MAXQDA</Description>
    <Coding guid="x1"><CodeRef targetGUID="c0de0000-0000-0000-0000-0000000000bb"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="5e1-2" startPosition="{a}" endPosition="{a + 8}">
    <Coding guid="x2"><CodeRef targetGUID="{{C0DE-SHORT}}"/></Coding>
    <NoteRef targetGUID="N-1"/>
   </PlainTextSelection>
   <PlainTextSelection guid="5e1-3" startPosition="{c}" endPosition="{c + 8}"/>
  </TextSource>
  <TextSource guid="6000" name="embedded">
   <PlainTextContent>Inline text here</PlainTextContent>
   <PlainTextSelection guid="6e1" startPosition="0" endPosition="6">
    <Coding guid="x3"><CodeRef targetGUID="c0de-short"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="7000" name="beside" plainTextPath="relative:///other.txt"/>
  <PictureSource guid="8000" name="photo" path="internal://8000.png"/>
 </Sources>
 <Notes><Note guid="n-1" name="nvivo note"><PlainTextContent>note via NoteRef</PlainTextContent></Note></Notes>
 <Links><Link guid="L1" name="speaks" originGUID="5E1-2" targetGUID="{{5e100000-0000-0000-0000-000000000001}}"/></Links>
</Project>
"""


def test_imports_other_tools_quirks(tmp_project: Project, tmp_path: Path) -> None:
    path = _qdpx(
        tmp_path / "maxqda.qdpx",
        _foreign_qde(),
        {
            "Sources/src-one.txt": FOREIGN_TEXT.encode("utf-8"),
            "Sources/other.txt": b"Relative source",
        },
    )
    assert detect(path) == ("importer", "qdpx")
    report = import_paths(tmp_project, [path])
    docs = tmp_project.documents()
    assert [d.title for d in docs] == ["interview.txt", "embedded", "beside"]
    text = tmp_project.text(docs[0])
    assert text == FOREIGN_TEXT.replace("\r\n", "\n")
    got = sorted((a.text, a.label, a.note) for a in tmp_project.annotations(docs[0]))
    assert got == sorted(
        [
            ("Հայաստան said yes", "public-claim", "memo from MAXQDA"),
            ("Հայաստան", "actor", "note via NoteRef"),
        ]
    )
    label = tmp_project.codebook().label("public-claim")
    assert label is not None and (label.name, label.colour, label.description) == (
        "Public Claim",
        "#aabbcc",
        "a claim",
    )
    # a category nobody coded with is kept as the parent of the code it holds
    assert label.parent == "themes" and label.guid == "C0DE0000-0000-0000-0000-0000000000BB"
    themes = tmp_project.codebook().label("themes")
    assert themes is not None and (themes.parent, themes.guid) == (
        None,
        "C0DE0000-0000-0000-0000-0000000000AA",  # as written, without its braces
    )
    (inline,) = tmp_project.annotations(docs[1])
    assert inline.text == "Inline"
    (relation,) = tmp_project.relations()
    assert relation.type == "speaks"
    warnings = "\n".join(report.warnings)
    assert report.dropped["PictureSource (only text sources are imported)"] == 1
    assert report.dropped["selection without a code"] == 1
    assert "codes nested in codes kept as a label tree" in report.assumed
    # each selection keeps its coder and time; one without them gets the importer's
    by_text = {a.text: a for a in tmp_project.annotations(docs[0])}
    ana = by_text["Հայաստան said yes"]
    assert (ana.annotator, ana.created) == ("Ana", "2024-03-05T08:30:00+00:00")
    assert by_text["Հայաստան"].annotator == tmp_project.annotator
    assert "Ana" not in warnings


def _unchanged(project: Project, action: Callable[[], object]) -> str:
    before = (snapshot(project), project.codebook(), project.documents())
    with pytest.raises(FormatError) as caught:
        action()
    assert (snapshot(project), project.codebook(), project.documents()) == before
    return str(caught.value)


SIMPLE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
 <CodeBook><Codes><Code guid="c1" name="Brand new" isCodable="true"/></Codes></CodeBook>
 <Sources>
  <TextSource guid="s1" name="good"><PlainTextContent>Good text</PlainTextContent>
   <PlainTextSelection guid="g1" startPosition="0" endPosition="4">
    <Coding guid="k1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
  </TextSource>
  <TextSource guid="s2" name="bad" plainTextPath="internal://s2.txt">{selection}</TextSource>
 </Sources>
</Project>
"""


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda p: _qdpx(p, SIMPLE.format(selection=""), {"../evil.txt": b"x"}),
            "leaves its folder",
        ),
        (
            lambda p: _qdpx(
                p,
                '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Project name="&b;"/>',
            ),
            "entities",
        ),
        (
            lambda p: _qdpx(
                p,
                '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                '<Project name="&e;"/>',
            ),
            "entities",
        ),
        (lambda p: _qdpx(p, SIMPLE.format(selection="")), "is not in the archive"),
        (
            lambda p: _qdpx(
                p,
                SIMPLE.format(
                    selection='<PlainTextSelection guid="{BAD-SEL}" startPosition="3" '
                    'endPosition="99"><Coding guid="k"><CodeRef targetGUID="c1"/></Coding>'
                    "</PlainTextSelection>"
                ),
                {"sources/s2.txt": b"Short"},
            ),
            "{BAD-SEL}",
        ),
        (
            lambda p: _qdpx(
                p,
                SIMPLE.format(
                    selection='<PlainTextSelection guid="s" startPosition="0" endPosition="2">'
                    '<Coding guid="k"><CodeRef targetGUID="no-such-code"/></Coding>'
                    "</PlainTextSelection>"
                ),
                {"sources/s2.txt": b"Short"},
            ),
            "no-such-code",
        ),
        (lambda p: _qdpx(p, "<Project name='p'><Sources>"), "not well-formed"),
        (lambda p: p.write_bytes(b"not a zip at all") and p, "not a zip"),
    ],
    ids=[
        "escaping-entry",
        "xml-bomb",
        "external-entity",
        "missing-source",
        "out-of-range",
        "unknown-code",
        "broken-xml",
        "not-zip",
    ],
)
def test_hostile_files_change_nothing(
    sample_project: Project, tmp_path: Path, build: Callable[[Path], Path], message: str
) -> None:
    path = tmp_path / "bad.qdpx"
    build(path)
    assert message in _unchanged(sample_project, lambda: import_paths(sample_project, [path]))


def test_cli_export_and_import(sample_project: Project, tmp_path: Path) -> None:
    doc = sample_project.documents()[0]
    sample_project.annotate(doc, 0, 6, "actor", 'a "quoted"\nnote')
    sample_project.close()
    source = tmp_path / "sample.annot"
    assert main(["export", str(source), "--format", "qdpx", "-o", str(tmp_path / "x.qdpx")]) == 0
    assert_valid_qdpx(tmp_path / "x.qdpx")
    assert main(["new", str(tmp_path / "c.annot")]) == 0
    assert main(["import", str(tmp_path / "c.annot"), str(tmp_path / "x.qdpx")]) == 0
    with Project.open(tmp_path / "c.annot") as copy, Project.open(source) as original:
        assert snapshot(copy) == snapshot(original)


def test_a_source_text_with_a_stray_byte_is_warned_like_any_text(
    tmp_project: Project, tmp_path: Path
) -> None:
    qde = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="MAXQDA 2022">
 <Sources>
  <TextSource guid="5000" name="senate.txt" plainTextPath="internal://5000.txt"/>
 </Sources>
</Project>
"""
    data = "Le Sénat a adopté la résolution, où l’on lit: « détenus ».\n".encode() + b"\xff ok\n"
    path = _qdpx(tmp_path / "stray.qdpx", qde, {"Sources/5000.txt": data})
    report = import_paths(tmp_project, [path])
    (doc,) = tmp_project.documents()
    assert tmp_project.text(doc).startswith("Le Sénat a adopté")
    assert any("stray.qdpx: source 'senate.txt'" in w and "1 byte" in w for w in report.warnings)
