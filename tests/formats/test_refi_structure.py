"""REFI-QDA structure (issue 12 items 4, 5, 11): code trees with their GUIDs, document
variables, cases and sets, memos; round trips that keep GUIDs and dates.

The foreign fixtures are written as the programs write them: MAXQDA nests codes in
codes with upper-case GUIDs and keeps document variables as ``<VariableValue>`` in each
``<TextSource>`` and document groups as ``<Set>``; NVivo keeps attributes on
``<Case>`` elements that refer to their sources (``<SourceRef>``) and braces its GUIDs.
"""

from __future__ import annotations

import zipfile
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from annotator.core.codebook import Codebook, Label
from annotator.core.errors import FormatError
from annotator.formats.registry import export_project, import_paths
from annotator.store import Project
from tests.formats.test_qdpx import assert_valid_qdpx

NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}
CODEBOOK_XSD = etree.XMLSchema(
    etree.parse(str(resources.files("annotator.resources") / "refi-qda" / "Codebook.xsd"))
)

G_ECON = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
G_ECON_POS = "3F2504E0-4F89-11D3-9A0C-0305E82C3302"
G_HEALTH = "3F2504E0-4F89-11D3-9A0C-0305E82C3303"
G_HEALTH_POS = "3F2504E0-4F89-11D3-9A0C-0305E82C3304"
G_HEALTH_NEG = "3F2504E0-4F89-11D3-9A0C-0305E82C3305"
G_DEEP = "3F2504E0-4F89-11D3-9A0C-0305E82C3306"
V_OUTLET = "AAAAAAAA-0000-0000-0000-000000000001"
V_WORDS = "AAAAAAAA-0000-0000-0000-000000000002"
V_DATE = "AAAAAAAA-0000-0000-0000-000000000003"
V_PAYWALL = "AAAAAAAA-0000-0000-0000-000000000004"
V_REGION = "AAAAAAAA-0000-0000-0000-000000000005"
S_ONE = "BBBBBBBB-0000-0000-0000-000000000001"
S_TWO = "BBBBBBBB-0000-0000-0000-000000000002"

TEXT_ONE = "Growth 📈 is up.\r\nPrices fell 👍🏽 and hospitals cope.\r\n"
TEXT_TWO = "Երևան: clinics are short of staff.\r\nThe budget rose.\r\n"


def _value(guid: str, element: str, value: str) -> str:
    return (
        f'<VariableValue><VariableRef targetGUID="{guid}"/>'
        f"<{element}>{value}</{element}></VariableValue>"
    )


def _selection(n: int, text: str, word: str, code: str) -> str:
    start = text.index(word)
    return (
        f'<PlainTextSelection guid="5E1EC000-0000-0000-0000-00000000000{n}" name="{word}" '
        f'startPosition="{start}" endPosition="{start + len(word)}" '
        'creatingUser="0A000000-0000-0000-0000-000000000001" '
        f'creationDateTime="2023-11-0{n}T10:15:00Z">'
        f'<Coding guid="C0D10000-0000-0000-0000-00000000000{n}"><CodeRef targetGUID="{code}"/>'
        "</Coding></PlainTextSelection>"
    )


def _maxqda_qde() -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Press study" origin="MAXQDA 2022 (Release 22.7.0)">
 <Users><User guid="0A000000-0000-0000-0000-000000000001" name="Mariam"/></Users>
 <CodeBook><Codes>
  <Code guid="{G_ECON}" name="Economy" isCodable="true" color="#1f77b4">
   <Code guid="{G_ECON_POS}" name="Positive" isCodable="true"/>
  </Code>
  <Code guid="{{{G_HEALTH}}}" name="Health" isCodable="false">
   <Description>health system</Description>
   <Code guid="{G_HEALTH_POS}" name="Positive" isCodable="true"/>
   <Code guid="{G_HEALTH_NEG}" name="Negative" isCodable="true">
    <Code guid="{G_DEEP}" name="Staff shortage" isCodable="true"/>
   </Code>
  </Code>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="{V_OUTLET}" name="outlet" typeOfVariable="Text"/>
  <Variable guid="{V_WORDS}" name="words" typeOfVariable="Integer"/>
  <Variable guid="{V_DATE}" name="published" typeOfVariable="Date"/>
  <Variable guid="{V_PAYWALL}" name="paywall" typeOfVariable="Boolean"/>
  <Variable guid="{V_REGION}" name="region" typeOfVariable="Text"/>
 </Variables>
 <Cases>
  <Case guid="CCCCCCCC-0000-0000-0000-000000000001" name="Yerevan desk">
   {_value(V_REGION, "TextValue", "Caucasus")}
   <SourceRef targetGUID="{S_TWO}"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="{S_ONE}" name="Le Monde 3 Nov" plainTextPath="internal://{S_ONE}.txt">
   <Description>front page</Description>
   {_selection(1, TEXT_ONE, "Growth", G_ECON_POS)}
   {_selection(2, TEXT_ONE, "hospitals cope", G_HEALTH_POS)}
   {_value(V_OUTLET, "TextValue", "Le Monde")}
   {_value(V_WORDS, "IntegerValue", "812")}
   {_value(V_DATE, "DateValue", "2023-11-03")}
   {_value(V_PAYWALL, "BooleanValue", "true")}
  </TextSource>
  <TextSource guid="{S_TWO}" name="Azatutyun 4 Nov" plainTextPath="internal://{S_TWO}.txt">
   {_selection(3, TEXT_TWO, "short of staff", G_DEEP)}
   {_value(V_OUTLET, "TextValue", "Azatutyun")}
   {_value(V_WORDS, "IntegerValue", "many")}
  </TextSource>
 </Sources>
 <Sets>
  <Set guid="DDDDDDDD-0000-0000-0000-000000000001" name="French press">
   <MemberSource targetGUID="{S_ONE}"/>
   <MemberCode targetGUID="{G_ECON}"/>
  </Set>
 </Sets>
 <Graphs/>
 <Description>Coverage of the 2023 budget</Description>
</Project>
"""


def _maxqda(tmp_path: Path) -> Path:
    path = tmp_path / "maxqda.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", _maxqda_qde())
        archive.writestr(f"sources/{S_ONE}.txt", TEXT_ONE.encode("utf-8"))
        archive.writestr(f"sources/{S_TWO}.txt", TEXT_TWO.encode("utf-8"))
    return path


def _tree(project: Project) -> list[tuple[str, str | None, str | None]]:
    """(name, parent's name, guid) of each label the file brought."""
    book = project.codebook()
    names = {label.key: label.name for label in book.labels}
    return [
        (label.name, names.get(label.parent or ""), label.guid)
        for label in book.labels
        if label.guid is not None
    ]


def test_maxqda_code_tree_variables_cases_and_sets(tmp_project: Project, tmp_path: Path) -> None:
    report = import_paths(tmp_project, [_maxqda(tmp_path)])
    assert _tree(tmp_project) == [
        ("Economy", None, G_ECON),
        ("Positive", "Economy", G_ECON_POS),
        ("Health", None, G_HEALTH),
        ("Positive", "Health", G_HEALTH_POS),
        ("Negative", "Health", G_HEALTH_NEG),
        ("Staff shortage", "Negative", G_DEEP),
    ]
    one, two = tmp_project.documents()
    by_text = {a.text: a.label for a in tmp_project.annotations()}
    book = tmp_project.codebook()
    assert book.label(by_text["Growth"]).parent == "economy"  # type: ignore[union-attr]
    assert by_text["Growth"] != by_text["hospitals cope"]  # two codes named Positive
    assert book.label(by_text["short of staff"]).name == "Staff shortage"  # type: ignore[union-attr]
    assert tmp_project.variables.types() == {
        "outlet": "text",
        "words": "number",
        "published": "date",
        "paywall": "boolean",
        "region": "text",
    }
    assert tmp_project.variables.of(one.id) == {
        "outlet": "Le Monde",
        "words": "812",
        "published": "2023-11-03",
        "paywall": "true",
    }
    assert tmp_project.variables.of(two.id) == {"outlet": "Azatutyun", "region": "Caucasus"}
    groups = {g.name: g.document_ids for g in tmp_project.groups.all()}
    assert groups == {"French press": (one.id,), "Yerevan desk": (two.id,)}
    info = tmp_project.document_info(one.id)
    assert (info.guid, info.memo) == (S_ONE, "front page")
    assert tmp_project.memo == "Coverage of the 2023 budget"
    assert report.dropped["variable value that does not fit its type"] == 1
    assert any("variable 'words'" in w and "many" in w for w in report.warnings)
    assert report.dropped["set member that is a code or a note"] == 1
    assert report.dropped["graph"] == 1
    assert "codes nested in codes kept as a label tree" in report.assumed


def _codes(root: etree._Element, prefix: str) -> list[tuple[str, str, str | None]]:
    """(name, guid, parent code's name) of every code in the file."""
    out = []
    for code in root.iter(f"{{{NS[prefix]}}}Code"):
        parent = code.getparent()
        above = parent.get("name") if parent is not None and parent.tag == code.tag else None
        out.append((code.get("name"), code.get("guid"), above))
    return out


def test_qdpx_round_trip_keeps_guids_tree_and_dates(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.annot", annotator="tester") as first:
        import_paths(first, [_maxqda(tmp_path)])
        export_project(first, "qdpx", tmp_path / "once.qdpx")
        created = sorted(a.created for a in first.annotations())
    root = assert_valid_qdpx(tmp_path / "once.qdpx")
    codes = _codes(root, "q")
    assert ("Staff shortage", G_DEEP, "Negative") in codes
    assert ("Health", G_HEALTH, None) in codes
    sources = {s.get("name"): s.get("guid") for s in root.iterfind(".//q:TextSource", NS)}
    assert sources == {"Le Monde 3 Nov": S_ONE, "Azatutyun 4 Nov": S_TWO}
    stamps = sorted(s.get("creationDateTime") for s in root.iterfind(".//q:PlainTextSelection", NS))
    assert stamps == ["2023-11-01T10:15:00Z", "2023-11-02T10:15:00Z", "2023-11-03T10:15:00Z"]
    selections = sorted(s.get("guid") for s in root.iterfind(".//q:PlainTextSelection", NS))
    assert selections == [f"5e1ec000-0000-0000-0000-00000000000{n}" for n in (1, 2, 3)]
    with Project.create(tmp_path / "b.annot", annotator="other") as second:
        import_paths(second, [tmp_path / "once.qdpx"])
        export_project(second, "qdpx", tmp_path / "twice.qdpx")
        assert sorted(a.created for a in second.annotations()) == created
        assert second.variables.all() == {
            1: {"outlet": "Le Monde", "words": "812", "published": "2023-11-03", "paywall": "true"},
            2: {"outlet": "Azatutyun", "region": "Caucasus"},
        }
        assert [(g.name, g.document_ids) for g in second.groups.all()] == [
            ("French press", (1,)),
            ("Yerevan desk", (2,)),
        ]
        assert second.memo == "Coverage of the 2023 budget"
        assert second.document_info(1).memo == "front page"
    again = assert_valid_qdpx(tmp_path / "twice.qdpx")
    assert _codes(again, "q") == codes
    assert {s.get("name"): s.get("guid") for s in again.iterfind(".//q:TextSource", NS)} == sources
    assert (
        sorted(s.get("creationDateTime") for s in again.iterfind(".//q:PlainTextSelection", NS))
        == stamps
    )
    assert (
        sorted(s.get("guid") for s in again.iterfind(".//q:PlainTextSelection", NS)) == selections
    )
    modified = [s.get("modifiedDateTime") for s in root.iterfind(".//q:PlainTextSelection", NS)]
    assert [
        s.get("modifiedDateTime") for s in again.iterfind(".//q:PlainTextSelection", NS)
    ] == modified


def test_a_selection_guid_already_taken_is_not_shared(tmp_project: Project, tmp_path: Path) -> None:
    path = _maxqda(tmp_path)
    import_paths(tmp_project, [path])
    import_paths(tmp_project, [path])
    uuids = [a.uuid for a in tmp_project.annotations()]
    assert len(uuids) == 6 and len(set(uuids)) == 6
    assert "5e1ec000000000000000000000000001" in uuids


def test_export_names_what_it_drops(tmp_path: Path) -> None:
    book = Codebook(
        "tree",
        (Label("topic", "Topic", "#112233"), Label("sub", "Sub", "#445566", parent="topic")),
    )
    with Project.create(tmp_path / "p.annot", book) as project:
        doc = project.add_document("A short text to code.", "t")
        project.annotate(doc, 2, 7, "sub")
        project.variables.set(doc.id, "outlet", "Le Monde")
        project.groups.create("Outer")
        project.groups.create("Inner", parent="Outer")
        project.groups.add("Inner", [doc.id])
        report = export_project(project, "qdpx", tmp_path / "p.qdpx")
    root = assert_valid_qdpx(tmp_path / "p.qdpx")
    assert _codes(root, "q")[1][0::2] == ("Sub", "Topic")  # nested in its parent's code
    assert report.dropped["document group nesting"] == 1
    for carried in ("document variable", "document group", "label hierarchy link"):
        assert carried not in report.dropped
    (value,) = root.iterfind(".//q:TextSource/q:VariableValue", NS)
    assert value.findtext("q:TextValue", namespaces=NS) == "Le Monde"


def test_qdc_code_tree_round_trips_with_its_guids(tmp_project: Project, tmp_path: Path) -> None:
    (tmp_path / "nvivo.qdc").write_text(
        f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo 14">
 <Codes>
  <Code guid="{{{G_HEALTH}}}" name="Health" isCodable="false">
   <Code guid="{{{G_HEALTH_NEG}}}" name="Negative" isCodable="true">
    <Code guid="{{{G_DEEP}}}" name="Staff shortage" isCodable="true" color="#FF8800"/>
   </Code>
  </Code>
  <Code guid="{{{G_ECON}}}" name="Economy" isCodable="true"/>
 </Codes>
</CodeBook>
""",
        encoding="utf-8",
    )
    report = import_paths(tmp_project, [tmp_path / "nvivo.qdc"])
    assert "codes nested in codes kept as a label tree" in report.assumed
    assert _tree(tmp_project) == [
        ("Health", None, G_HEALTH),
        ("Negative", "Health", G_HEALTH_NEG),
        ("Staff shortage", "Negative", G_DEEP),
        ("Economy", None, G_ECON),
    ]
    out = export_project(tmp_project, "qdc", tmp_path / "back.qdc")
    assert out.dropped["hotkey"] == 4  # the default codebook's 1-4
    root = etree.parse(str(tmp_path / "back.qdc")).getroot()
    CODEBOOK_XSD.assertValid(root)
    codes = _codes(root, "c")
    assert ("Staff shortage", G_DEEP, "Negative") in codes
    assert ("Negative", G_HEALTH_NEG, "Health") in codes
    with Project.create(tmp_path / "fresh.annot") as fresh:
        import_paths(fresh, [tmp_path / "back.qdc"])
        assert _tree(fresh) == _tree(tmp_project)


def test_codes_nested_too_deep_are_refused(tmp_project: Project, tmp_path: Path) -> None:
    depth = 65
    opening = "".join(
        f'<Code guid="3F2504E0-4F89-11D3-9A0C-{n:012d}" name="level {n}" isCodable="true">'
        for n in range(depth)
    )
    (tmp_path / "deep.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + opening
        + "</Code>" * depth
        + "</Codes></CodeBook>",
        encoding="utf-8",
    )
    before = tmp_project.codebook()
    with pytest.raises(FormatError, match=r"^deep\.qdc nests codes more than 64 levels deep$"):
        import_paths(tmp_project, [tmp_path / "deep.qdc"])
    assert tmp_project.codebook() == before
