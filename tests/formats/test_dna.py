"""DNA 3.0 files in and out (formats/dna.py), on a file built with DNA's own schema and
default rows (tests/formats/dna_schema.py, transcribed from DNA's Sql.java)."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotator.core.analysis import ROLE_NAMES
from annotator.core.errors import FormatError
from annotator.formats.dna import check_password, encrypt_password, export_dna, import_dna
from annotator.formats.registry import Options, detect
from annotator.store import Project
from annotator.store.foreign.dna_file import schema_problems
from annotator.store.queries.analysis_queries import claims
from tests.formats.dna_schema import CREATE_TABLES, DEFAULT_ROWS

EMOJI_TEXT = (
    "Die Regierung 🇩🇪 will den Kohleausstieg 😀 bis 2030, sagte Scholz. Greenpeace widerspricht."
)
PLAIN_TEXT = "Die SPD Berlin fordert mehr Windkraft. Die Kohleindustrie ist der Bösewicht."
DATE_1 = 1_700_000_000  # 2023-11-14T22:13:20Z
DATE_2 = 1_704_067_200  # 2024-01-01T00:00:00Z


def u16(text: str, cp: int) -> int:
    """The Java index of code point *cp*: Python index + astral characters before it."""
    return cp + sum(1 for ch in text[:cp] if ord(ch) > 0xFFFF)


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return u16(text, start), u16(text, start + len(part))


def build_dna(path: Path) -> Path:
    """A DNA file as DNA 3.0 makes it, with two coders' work on it."""
    conn = sqlite3.connect(path)
    for sql in CREATE_TABLES:
        conn.execute(sql)
    for sql in DEFAULT_ROWS:
        conn.execute(sql)
    conn.execute("UPDATE SETTINGS SET Value = '3.0.11.5' WHERE Property = 'version'")
    conn.execute("UPDATE SETTINGS SET Value = '2025-02-05' WHERE Property = 'date'")
    salt = bytes(range(16))
    conn.execute("UPDATE CODERS SET Password = ? WHERE ID = 1", (encrypt_password("admin", salt),))
    for cid, name, rgb in ((2, "Anna", (10, 20, 30)), (3, "Ben", (200, 100, 0))):
        conn.execute(
            "INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password, FontSize) "
            "VALUES (?, ?, ?, ?, ?, ?, 12)",
            (cid, name, *rgb, encrypt_password(name.lower(), salt)),
        )
    conn.execute(
        "INSERT INTO CODERRELATIONS (Coder, OtherCoder, viewStatements, editStatements) "
        "VALUES (2, 3, 1, 0)"
    )
    conn.execute("INSERT INTO CODERRELATIONS (Coder, OtherCoder) VALUES (3, 2)")
    conn.execute(
        "INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Author, Source, Section, Notes, Type, "
        "Date) VALUES (1, 'Kohle 😀', ?, 2, 'M. Muster', 'taz', 'Politik', 'read twice', "
        "'news', ?)",
        (EMOJI_TEXT, DATE_1),
    )
    conn.execute(
        "INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Date) VALUES (2, 'Wind', ?, 3, ?)",
        (PLAIN_TEXT, DATE_2),
    )
    entities = [  # (id, variable, value, child of)
        (1, 1, "Olaf Scholz", None),
        (2, 1, "", None),
        (3, 2, "SPD", None),
        (4, 2, "Greenpeace", None),
        (5, 2, "SPD Berlin", 3),
        (6, 3, "coal phase-out", None),
        (7, 3, "renewables", None),
        (8, 5, "SPD Berlin", None),
        (9, 6, "", None),
        (10, 7, "Kohleindustrie", None),
        (11, 8, "", None),
        (12, 9, "", None),
        (13, 10, "", None),
        (14, 2, "unused org", None),
    ]
    for eid, var, value, parent in entities:
        conn.execute(
            "INSERT INTO ENTITIES (ID, VariableId, Value, Red, Green, Blue, ChildOf) "
            "VALUES (?, ?, ?, ?, 0, 0, ?)",
            (eid, var, value, eid * 10, parent),
        )
    attribute_ids = {
        (var, name): aid
        for aid, var, name in conn.execute(
            "SELECT ID, VariableId, AttributeVariable FROM ATTRIBUTEVARIABLES"
        )
    }
    for eid, var, name, value in (
        (3, 2, "Type", "party"),
        (4, 2, "Type", "NGO"),
        (4, 2, "Alias", "GP"),
        (1, 1, "Notes", "chancellor"),
        (6, 3, "Alias", "Kohleausstieg"),
    ):
        conn.execute(
            "INSERT INTO ATTRIBUTEVALUES (EntityId, AttributeVariableId, AttributeValue) "
            "VALUES (?, ?, ?)",
            (eid, attribute_ids[(var, name)], value),
        )
    statements: list[tuple[int, int, int, str, int, dict[int, object]]] = [
        # (id, type, document, part of its text, coder, {variable: entity or value})
        (1, 1, 1, "will den Kohleausstieg 😀 bis 2030", 2, {1: 1, 2: 3, 3: 6, 4: 1}),
        (2, 1, 1, "Greenpeace widerspricht", 3, {1: 2, 2: 4, 3: 6, 4: 0}),
        (3, 1, 2, "fordert mehr Windkraft", 3, {1: 2, 2: 5, 3: 7, 4: 1}),
        (4, 2, 2, "Die Kohleindustrie ist der Bösewicht", 2,
         {5: 8, 6: 9, 7: 10, 8: 11, 9: 12, 10: 13}),
        (5, 3, 1, "🇩🇪", 2, {11: "check the flag"}),
    ]  # fmt: skip
    texts = {1: EMOJI_TEXT, 2: PLAIN_TEXT}
    for sid, tid, doc, part, coder, values in statements:
        start, stop = span(texts[doc], part)
        conn.execute(
            "INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (sid, tid, doc, start, stop, coder),
        )
        for var, datum in values.items():
            kind = conn.execute("SELECT DataType FROM VARIABLES WHERE ID = ?", (var,)).fetchone()[0]
            table, column = {
                "short text": ("DATASHORTTEXT", "Entity"),
                "boolean": ("DATABOOLEAN", "Value"),
                "long text": ("DATALONGTEXT", "Value"),
            }[kind]
            conn.execute(
                f"INSERT INTO {table} (StatementId, VariableId, {column}) VALUES (?, ?, ?)",
                (sid, var, datum),
            )
    conn.execute("INSERT INTO REGEXES (Label, Red, Green, Blue) VALUES ('Scholz', 255, 0, 0)")
    conn.commit()
    conn.close()
    return path


def natural_rows(path: Path) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every row of a DNA file with its ids replaced by what they name."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row

    def rows(table: str) -> list[dict[str, Any]]:
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]

    coders = {r["ID"]: r["Name"] for r in rows("CODERS")}
    types = {r["ID"]: r["Label"] for r in rows("STATEMENTTYPES")}
    variables = {r["ID"]: (types[r["StatementTypeId"]], r["Variable"]) for r in rows("VARIABLES")}
    entities = {r["ID"]: r for r in rows("ENTITIES")}
    documents = {r["ID"]: r["Title"] for r in rows("DOCUMENTS")}
    attr_vars = {r["ID"]: (*variables[r["VariableId"]], r["AttributeVariable"])
                 for r in rows("ATTRIBUTEVARIABLES")}  # fmt: skip
    values: dict[int, dict[tuple[str, str], Any]] = {}
    for table in ("DATABOOLEAN", "DATAINTEGER", "DATALONGTEXT"):
        for r in rows(table):
            values.setdefault(r["StatementId"], {})[variables[r["VariableId"]]] = r["Value"]
    for r in rows("DATASHORTTEXT"):
        values.setdefault(r["StatementId"], {})[variables[r["VariableId"]]] = entities[r["Entity"]][
            "Value"
        ]

    def without(r: dict[str, Any], *keys: str) -> tuple[Any, ...]:
        return tuple(sorted((k, v) for k, v in r.items() if k not in keys))

    out = {
        "SETTINGS": Counter(without(r) for r in rows("SETTINGS")),
        "CODERS": Counter(without(r, "ID") for r in rows("CODERS")),
        "CODERRELATIONS": Counter(
            (coders[r["Coder"]], coders[r["OtherCoder"]], without(r, "ID", "Coder", "OtherCoder"))
            for r in rows("CODERRELATIONS")
        ),
        "DOCUMENTS": Counter(
            (coders[r["Coder"]], without(r, "ID", "Coder")) for r in rows("DOCUMENTS")
        ),
        "STATEMENTTYPES": Counter(without(r, "ID") for r in rows("STATEMENTTYPES")),
        "VARIABLES": Counter(
            (types[r["StatementTypeId"]], r["Variable"], r["DataType"]) for r in rows("VARIABLES")
        ),
        "STATEMENTS": Counter(
            (
                types[r["StatementTypeId"]],
                documents[r["DocumentId"]],
                r["Start"],
                r["Stop"],
                coders[r["Coder"]],
                tuple(sorted(values.get(r["ID"], {}).items())),
            )
            for r in rows("STATEMENTS")
        ),
        "ENTITIES": Counter(
            (
                variables[r["VariableId"]],
                r["Value"],
                r["Red"],
                r["Green"],
                r["Blue"],
                entities[r["ChildOf"]]["Value"] if r["ChildOf"] else None,
            )
            for r in rows("ENTITIES")
        ),
        "ATTRIBUTEVARIABLES": Counter(attr_vars.values()),
        "ATTRIBUTEVALUES": Counter(
            (
                attr_vars[r["AttributeVariableId"]],
                entities[r["EntityId"]]["Value"],
                r["AttributeValue"],
            )
            for r in rows("ATTRIBUTEVALUES")
        ),
        "REGEXES": Counter(without(r) for r in rows("REGEXES")),
    }
    conn.close()
    return out


def dna_checks(path: Path) -> list[str]:
    """What DNA checks opening *path*, against DNA's own CREATE TABLE statements (not
    ours): the version, every table with its columns, declared types, NOT NULL and
    defaults, and that each stored value has its column's type."""
    reference = sqlite3.connect(":memory:")
    for sql in CREATE_TABLES:
        reference.execute(sql)
    conn = sqlite3.connect(path)
    problems = []
    (version,) = conn.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
    if not version.startswith("3.0"):
        problems.append(f"version {version}")
    tables = [
        r[0] for r in reference.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for table in tables:
        want = reference.execute(f"PRAGMA table_info({table})").fetchall()
        have = conn.execute(f"PRAGMA table_info({table})").fetchall()
        if want != have:
            problems.append(f"{table}: {have} != {want}")
            continue
        for _cid, name, kind, *_ in want:
            (bad,) = conn.execute(
                f"SELECT count(*) FROM {table} WHERE {name} IS NOT NULL AND typeof({name}) != ?",
                (kind.lower(),),
            ).fetchone()
            if bad:
                problems.append(f"{table}.{name}: {bad} values are not {kind}")
    problems += [str(r) for r in conn.execute("PRAGMA foreign_key_check")]
    conn.close()
    return problems


@pytest.fixture
def dna(tmp_path: Path) -> Path:
    return build_dna(tmp_path / "coal.dna")


@pytest.fixture
def imported(tmp_path: Path, dna: Path) -> Iterator[Project]:
    project = Project.create(tmp_path / "p.annot", annotator="tester")
    import_dna(project, dna, Options())
    yield project
    project.close()


def test_the_fixture_is_what_dna_checks(dna: Path) -> None:
    assert dna_checks(dna) == [] and schema_problems(dna) == []


def test_jasypt_password_hash() -> None:
    salt = b"0123456789abcdef"
    stored = encrypt_password("geheim", salt)
    raw = base64.b64decode(stored)
    assert len(raw) == 16 + 32 and raw[:16] == salt
    digest = hashlib.sha256(salt + b"geheim").digest()
    for _ in range(99_999):
        digest = hashlib.sha256(digest).digest()
    assert raw[16:] == digest
    assert check_password("geheim", stored) and not check_password("other", stored)


def test_sniffed_by_content(dna: Path, tmp_path: Path) -> None:
    renamed = dna.rename(tmp_path / "coal.sqlite")  # no .dna: told by its tables
    assert detect(renamed) == ("importer", "dna")


def test_import_maps_statements_to_claims_actors_and_labels(imported: Project) -> None:
    p = imported
    docs = {d.title: d for d in p.documents()}
    assert set(docs) == {"Kohle 😀", "Wind"}
    kohle = docs["Kohle 😀"].id
    assert p.variables.of(kohle) == {
        "author": "M. Muster", "source": "taz", "section": "Politik", "type": "news",
        "coder": "Anna", "date": "2023-11-14T22:13:20Z",
    }  # fmt: skip
    assert p.document_info(kohle).memo == "read twice"
    table = {c.item.text: c for c in claims(p)}
    first = table["will den Kohleausstieg 😀 bis 2030"]  # the emoji slice is exact
    assert first.issue == "coal phase-out" and first.position == "+1"
    assert sorted((a.name, a.type) for a in first.claimant) == [
        ("Olaf Scholz", "person"), ("SPD", "organisation"),
    ]  # fmt: skip
    assert table["Greenpeace widerspricht"].position == "-1"
    coders = {a.text: a.annotator for a in p.annotations() if a.label == "claim"}
    assert coders["Greenpeace widerspricht"] == "Ben"
    npf = [a for a in p.annotations() if a.label == "NPF Story Element"]
    assert [a.text for a in npf] == ["Die Kohleindustrie ist der Bösewicht"]
    assert p.attributes(npf[0].id) == {"narrator": "SPD Berlin", "villain": "Kohleindustrie"}
    [flag] = [a for a in p.annotations() if a.label == "Annotation"]
    assert flag.text == "🇩🇪" and p.attributes(flag.id) == {"note": "check the flag"}


def test_import_then_export_gives_the_same_rows(
    imported: Project, dna: Path, tmp_path: Path
) -> None:
    out = tmp_path / "again.dna"
    report = export_dna(imported, out, Options())
    assert dna_checks(out) == [] and schema_problems(out) == []
    assert natural_rows(out) == natural_rows(dna)
    assert report.documents == 2 and report.annotations == 5


def test_export_of_our_claims_passes_dnas_checks(tmp_path: Path) -> None:
    p = Project.create(tmp_path / "own.annot", annotator="ann")
    text = "😀😀 Paris 🇫🇷 demands a ban, said the mayor. 𝒜 Berlin agrees."
    doc = p.add_document(text, "astral")
    claim = p.annotate(doc.id, text.index("demands"), text.index(", said"), "claim")
    mayor = p.annotate(doc.id, text.index("the mayor"), text.index("the mayor") + 9, "actor")
    berlin = p.annotate(doc.id, text.index("Berlin"), text.index("Berlin") + 6, "actor")
    p.link_actor(mayor.id, "Mayor of Paris", "person")
    p.link_actor(berlin.id, "Berlin", "state")
    p.relate(mayor.id, claim.id, "claimant")
    p.relate(claim.id, berlin.id, "addressee")
    p.set_attributes(claim.id, {"issue": "ban", "position": "+1"})
    out = tmp_path / "own.dna"
    report = export_dna(p, out, Options())
    p.close()
    assert dna_checks(out) == [] and schema_problems(out) == []
    conn = sqlite3.connect(out)
    version = conn.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()[0]
    assert version.startswith("3.0")
    [(doc_text,)] = conn.execute("SELECT Text FROM DOCUMENTS").fetchall()
    starts = conn.execute(
        "SELECT t.Label, s.Start, s.Stop FROM STATEMENTS s JOIN STATEMENTTYPES t "
        "ON t.ID = s.StatementTypeId ORDER BY s.ID"
    ).fetchall()
    expect = (u16(text, claim.start), u16(text, claim.end))
    assert starts == [("DNA Statement", *expect), ("Claim Target", *expect)]
    utf16 = doc_text.encode("utf-16-le")
    s, e = expect
    assert utf16[2 * s : 2 * e].decode("utf-16-le") == claim.text  # Java's substring
    values = dict(
        conn.execute(
            "SELECT v.Variable, e.Value FROM DATASHORTTEXT d JOIN VARIABLES v ON v.ID = d.VariableId "
            "JOIN ENTITIES e ON e.ID = d.Entity"
        ).fetchall()
    )
    assert values["person"] == "Mayor of Paris" and values["organization"] == ""
    assert values["concept"] == "ban" and values["addressee"] == "Berlin"
    assert conn.execute("SELECT Value FROM DATABOOLEAN").fetchall() == [(1,)]
    [(password,)] = conn.execute("SELECT Password FROM CODERS WHERE Name = 'ann'").fetchall()
    assert check_password("", password)  # the documented default: no password
    conn.close()
    assert "DNA positions in UTF-16 units (Java string indices)" in report.assumed
    assert set(ROLE_NAMES) >= {"addressee"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("UPDATE SETTINGS SET Value = '2.0.4' WHERE Property = 'version'", "only DNA 3.0"),
        ("DROP TABLE ENTITIES", "no table"),
        ("UPDATE DOCUMENTS SET Date = 'yesterday' WHERE ID = 2", "holds a bad value"),
        ("UPDATE STATEMENTS SET Stop = 'x' WHERE ID = 3", "holds a bad value"),
        ("UPDATE DOCUMENTS SET Text = CAST(X'A0' AS TEXT) WHERE ID = 2", "UTF-8"),
        ("UPDATE CODERS SET Name = CAST(X'C328' AS TEXT)", "UTF-8"),
    ],
)
def test_a_file_dna_would_refuse_is_refused_on_one_line(
    dna: Path, tmp_path: Path, change: str, message: str
) -> None:
    conn = sqlite3.connect(dna)
    conn.execute(change)
    conn.commit()
    conn.close()
    p = Project.create(tmp_path / "p2.annot", annotator="tester")
    with pytest.raises(FormatError) as err:
        import_dna(p, dna, Options())
    assert message in str(err.value) and "\n" not in str(err.value)
    assert p.documents() == []
    p.close()


def test_a_column_name_that_is_not_utf8_is_refused_on_one_line(dna: Path, tmp_path: Path) -> None:
    """A damaged schema (found by the fuzzer: one flipped byte in a column's name) made
    reading the rows raise UnicodeDecodeError, a traceback."""
    conn = sqlite3.connect(dna)
    [(sql,)] = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'DOCUMENTS'").fetchall()
    assert "Title" in sql
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = CAST(? AS TEXT) WHERE name = 'DOCUMENTS'",
        (sql.encode().replace(b"Title", b"Ti\xa0le", 1),),
    )
    conn.commit()
    conn.close()
    p = Project.create(tmp_path / "p4.annot", annotator="tester")
    with pytest.raises(FormatError) as err:
        import_dna(p, dna, Options())
    assert "not UTF-8" in str(err.value) and "\n" not in str(err.value)
    assert p.documents() == []
    p.close()


def test_crlf_text_and_a_statement_out_of_range(dna: Path, tmp_path: Path) -> None:
    """DNA stores the text as typed: positions are counted over CRLF, the stored text has
    LF; a statement past its text is counted, not fatal."""
    text = "Zeile eins 😀\r\nDie Grünen fordern Wind.\r\nEnde"
    conn = sqlite3.connect(dna)
    conn.execute("UPDATE DOCUMENTS SET Text = ? WHERE ID = 2", (text,))
    conn.execute("DELETE FROM STATEMENTS WHERE DocumentId = 2")
    start, stop = span(text, "fordern Wind")
    conn.execute(
        "INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) "
        "VALUES (10, 3, 2, ?, ?, 2), (11, 3, 2, 500, 510, 2)",
        (start, stop),
    )
    conn.commit()
    conn.close()
    p = Project.create(tmp_path / "crlf.annot", annotator="tester")
    report = import_dna(p, dna, Options())
    texts = [a.text for a in p.annotations(label="Annotation")]
    assert "fordern Wind" in texts
    assert report.dropped["statement outside its document's text"] == 1
    p.close()


def test_not_a_dna_database(tmp_path: Path) -> None:
    bad = tmp_path / "x.dna"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    p = Project.create(tmp_path / "p3.annot", annotator="tester")
    with pytest.raises(FormatError) as err:
        import_dna(p, bad, Options())
    assert "\n" not in str(err.value) and "x.dna" in str(err.value)
    p.close()
