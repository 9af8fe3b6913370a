"""REFI-QDA codebooks (.qdc): schema-valid export, import of other tools' codebooks."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from annotator.cli import main
from annotator.core.codebook import Codebook, Label
from annotator.core.errors import FormatError
from annotator.formats.registry import detect, export_project, import_paths
from annotator.store import Project

CODEBOOK_XSD = etree.XMLSchema(
    etree.parse(str(resources.files("annotator.resources") / "refi-qda" / "Codebook.xsd"))
)


def test_export_is_valid_and_carries_every_label(tmp_project: Project, tmp_path: Path) -> None:
    tmp_project.ensure_labels(["extra"])
    export_project(tmp_project, "qdc", tmp_path / "book.qdc")
    doc = etree.parse(str(tmp_path / "book.qdc"))
    CODEBOOK_XSD.assertValid(doc)
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    codes = doc.findall(".//c:Code", ns)
    labels = tmp_project.labels()
    assert [(c.get("name"), c.get("color")) for c in codes] == [
        (label.name, label.colour.upper()) for label in labels
    ]
    assert codes[0].findtext("c:Description", namespaces=ns) == labels[0].description


def test_round_trip_into_a_project_without_those_labels(
    tmp_project: Project, tmp_path: Path
) -> None:
    export_project(tmp_project, "qdc", tmp_path / "book.qdc")
    other = Project.create(
        tmp_path / "other.annot", Codebook("tiny", (Label("misc", "Misc", "#123456"),))
    )
    with other:
        assert detect(tmp_path / "book.qdc") == ("importer", "qdc")
        import_paths(other, [tmp_path / "book.qdc"])
        got = {(x.key, x.name, x.colour, x.description) for x in other.labels()}
        want = {(x.key, x.name, x.colour, x.description) for x in tmp_project.labels()}
        assert want <= got and len(got) == len(want) + 1
        again = import_paths(other, [tmp_path / "book.qdc"])
        assert "already a label" in again.warnings[0]


def test_nested_codes_from_another_tool(tmp_project: Project, tmp_path: Path) -> None:
    (tmp_path / "nvivo.qdc").write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo">
 <Codes>
  <Code guid="{00000000-0000-0000-0000-0000000000AA}" name="Émotions" isCodable="true">
   <Code guid="1B" name="Colère" isCodable="true" color="#f00"/>
   <Code guid="1C" name="Հույս" isCodable="true"/>
  </Code>
 </Codes>
</CodeBook>""",
        "utf-8",
    )
    import_paths(tmp_project, [tmp_path / "nvivo.qdc"])
    added = {x.key: x for x in tmp_project.labels()[4:]}
    assert sorted(added) == ["code", "colere", "emotions"]
    assert (added["colere"].name, added["colere"].colour) == ("Colère", "#ff0000")
    assert added["code"].name == "Հույս"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes/></CodeBook>", "holds no codes"),
        ("<Other/>", "not a REFI-QDA codebook"),
        (
            '<?xml version="1.0"?><!DOCTYPE C [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<CodeBook>&x;</CodeBook>",
            "entities",
        ),
        ("<CodeBook><Codes>", "not well-formed"),
    ],
)
def test_bad_codebooks_change_nothing(
    tmp_project: Project, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.qdc"
    path.write_text(content, "utf-8")
    before = tmp_project.codebook()
    with pytest.raises(FormatError, match=message):
        import_paths(tmp_project, [path])
    assert tmp_project.codebook() == before


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run: Callable[..., int] = lambda *a: main([str(x) for x in a])  # noqa: E731
    assert run("new", tmp_path / "p.annot") == 0
    assert run("export", tmp_path / "p.annot", "--format", "qdc", "-o", tmp_path / "b.qdc") == 0
    CODEBOOK_XSD.assertValid(etree.parse(str(tmp_path / "b.qdc")))
    assert run("import", tmp_path / "p.annot", tmp_path / "b.qdc") == 0
    assert "already a label" in capsys.readouterr().err
