"""A QualCoder project opened directly: ``annotator import PROJECT study.qda``.

QualCoder keeps a project in a folder ``NAME.qda`` holding the SQLite file ``data.qda``
(and ``documents/``, ``images/``, ...); either the folder or ``data.qda`` may be given.
What comes in (docs/formats-refi-qda.md, "QualCoder projects"):

- every text source (``source`` with a ``fulltext``) as a document, its memo kept;
- code categories (``code_cat``, nested by ``supercatid``) and codes (``code_name``,
  under their category, or under their parent code by ``supercid``) as a label tree,
  with their colours and memos as descriptions;
- text codings (``code_text``) as annotations with their coder (``owner``), time
  (``date``, local time without a zone: taken as UTC, as QualCoder's own REFI-QDA export
  does) and memo as the note;
- cases as document groups of the sources they cover, case and file attributes as
  document variables (``numeric`` ones as numbers).

Positions are QualCoder's editor's (Qt: UTF-16 units) and some of its automatic coding
adds emoji lengths its own way, so each coding is placed by its stored ``seltext``: the
reading of ``pos0``/``pos1`` that covers exactly that text, else the nearest place the
text occurs; a coding whose text is nowhere in its source is dropped and counted.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from annotator.core.errors import FormatError
from annotator.core.text import TextBudget, normalise
from annotator.formats._dates import utc_stamp
from annotator.formats._refi import Code, parse_colour, plan_labels
from annotator.formats._refi_positions import (
    CODE_POINTS,
    CODE_POINTS_LF,
    UTF16,
    UTF16_LF,
    Reading,
    SourceText,
)
from annotator.formats._refi_vars import GroupIn, Variable, store_groups, store_values
from annotator.formats.registry import Options, Report, importer
from annotator.store.foreign.qualcoder_file import (
    QcCategory,
    QcCode,
    QcCoding,
    QualCoderFile,
    read_qualcoder,
)
from annotator.store.project import Project

DATABASE = "data.qda"
READINGS = (UTF16, CODE_POINTS, UTF16_LF, CODE_POINTS_LF)  # its editor's units first
NEARBY = "found by their text near the stored position"


def _database(path: Path) -> Path:
    if path.is_dir():
        db = path / DATABASE
        if not db.is_file():
            raise FormatError(
                f"{path.name} is a folder without {DATABASE}: not a QualCoder project"
            )
        return db
    return path


def _sniff(path: Path) -> bool:
    if path.is_dir():
        return path.suffix.lower() == ".qda" and (path / DATABASE).is_file()
    if path.suffix.lower() != ".qda" or not path.is_file():
        return False
    with path.open("rb") as f:
        return f.read(16) == b"SQLite format 3\x00"


def _tree(data: QualCoderFile) -> list[Code]:
    """Categories and codes as REFI-style codes in pre-order (parents first); a parent
    that names nothing, or a loop of parents, puts the code at the top level."""
    nodes: dict[str, tuple[Code, str | None]] = {}
    cats = {c.id for c in data.categories}
    cids = {c.id for c in data.codes}

    def cat_parent(c: QcCategory) -> str | None:
        return f"cat:{c.parent}" if c.parent in cats and c.parent != c.id else None

    def code_parent(c: QcCode) -> str | None:
        if c.parent in cids and c.parent != c.id:
            return f"code:{c.parent}"
        return f"cat:{c.category}" if c.category in cats else None

    for cat in data.categories:
        code = Code(f"cat:{cat.id}", cat.name.strip() or "category", None, cat.memo.strip(), False)
        nodes[code.guid] = (code, cat_parent(cat))
    for c in data.codes:
        colour = parse_colour(c.colour)
        code = Code(f"code:{c.id}", c.name.strip() or "code", colour, c.memo.strip(), True)
        nodes[code.guid] = (code, code_parent(c))
    below: dict[str | None, list[str]] = {}
    for guid, (_code, parent) in nodes.items():
        below.setdefault(parent, []).append(guid)
    out: list[Code] = []
    placed: set[str] = set()

    def walk(roots: list[str], parent: str | None) -> None:
        stack = [(g, parent) for g in reversed(roots)]
        while stack:
            guid, above = stack.pop()
            if guid in placed:
                continue
            placed.add(guid)
            code = nodes[guid][0]
            code.parent = above
            out.append(code)
            stack.extend((g, guid) for g in reversed(below.get(guid, [])))

    walk(below.get(None, []), None)
    walk([g for g in nodes if g not in placed], None)  # loops of parents: top level
    return out


def _place(text: SourceText, coding: QcCoding) -> tuple[int, int, str] | None:
    """Where *coding* is in the normalised text, and how it was found."""
    want = normalise(coding.seltext.replace("\u2029", "\n"))
    for reading in READINGS:
        if 0 <= coding.pos0 < coding.pos1 <= text.length(reading):
            start, end = text.to_normalised(reading, coding.pos0, coding.pos1)
            if start < end and (not want or text.text[start:end] == want):
                return start, end, _said(reading)
    if not want.strip():
        return None
    at = min(coding.pos0, len(text.text))
    found = [
        i for i in (text.text.rfind(want, 0, at + len(want)), text.text.find(want, at)) if i >= 0
    ]
    if not found:
        return None
    start = min(found, key=lambda i: abs(i - at))
    return start, start + len(want), NEARBY


def _said(reading: Reading) -> str:
    if reading.utf16:
        return f"read as {reading.describe()} (its editor's)"
    return f"read as {reading.describe()}"


@importer(
    "qualcoder",
    (".qda",),
    "QualCoder project (its .qda folder or data.qda)",
    sniff=_sniff,
)
def import_qualcoder(project: Project, path: Path, options: Options) -> Report:
    data = read_qualcoder(_database(path))
    name = path.name
    budget = TextBudget(name)
    texts = {s.id: SourceText(budget.take(s.fulltext)) for s in data.sources}
    codes = _tree(data)
    report = Report()
    report.dropped.update({k: n for k, n in data.other.items() if n})
    placed: dict[int, list[tuple[int, int, QcCoding]]] = {}
    how: Counter[str] = Counter()
    for coding in data.codings:
        budget.tick()
        if coding.source not in texts:
            report.dropped["coding of a source that is not text"] += 1
            continue
        where = _place(texts[coding.source], coding)
        if where is None:
            report.dropped["coding whose stored text is not in its source"] += 1
            report.details.append(
                f"{name}: coding {coding.id} ({coding.pos0}-{coding.pos1}) of source "
                f"{coding.source}: its text is not in the source"
            )
            continue
        start, end, said = where
        how[said] += 1
        placed.setdefault(coding.source, []).append((start, end, coding))
        if coding.important:
            report.dropped["important mark"] += 1
    if how:
        report.assumed.append(
            "QualCoder positions checked against each coding's stored text: "
            + ", ".join(f"{n} {said}" for said, n in how.most_common())
        )
    report.assumed.append("QualCoder's times (local, without a zone) taken as UTC")
    with project.transaction():
        _store(project, name, data, texts, codes, placed, report, options)
    return report


def _store(
    project: Project,
    name: str,
    data: QualCoderFile,
    texts: dict[int, SourceText],
    codes: list[Code],
    placed: dict[int, list[tuple[int, int, QcCoding]]],
    report: Report,
    options: Options,
) -> None:
    used = {f"code:{c.code}" for rows in placed.values() for _s, _e, c in rows}
    plan = plan_labels(project, codes, used)
    report.warnings.extend(plan.apply(project, options, name))
    document_of: dict[str, int] = {}
    for n, source in enumerate(data.sources):
        text = texts[source.id]
        if not text.text.strip():
            report.dropped["empty source"] += 1
            continue
        doc = project.add_document(text.text, source.name.strip() or f"Source {source.id}",
                                   source_name=name)  # fmt: skip
        document_of[f"src:{source.id}"] = doc.id
        report.documents += 1
        report.document_ids.append(doc.id)
        if source.memo.strip():
            project.set_document_info(doc.id, memo=source.memo.strip())
        rows = [
            (s, e, plan.keys[f"code:{c.code}"], c.memo.strip() or None, c.owner.strip() or None,
             utc_stamp(c.date))
            for s, e, c in placed.get(source.id, [])
            if f"code:{c.code}" in plan.keys
        ]  # fmt: skip
        missing = len(placed.get(source.id, [])) - len(rows)
        if missing:
            report.dropped["coding with a code that is not in the project"] += missing
        report.annotations += len(project.annotate_many(doc, rows))
        options.tick(n + 1, len(data.sources))
    kinds = {
        key: Variable(key, "number" if kind.strip().casefold() == "numeric" else "text")
        for key, kind in data.attribute_types.items()
    }
    values: list[tuple[int, str, object]] = [
        (document_of[f"src:{a.target}"], a.name, a.value)
        for a in data.attributes
        if a.kind == "file" and f"src:{a.target}" in document_of
    ]
    case_values: dict[int, dict[str, object]] = {}
    for a in data.attributes:
        if a.kind == "case":
            case_values.setdefault(a.target, {})[a.name] = a.value
    groups = [
        GroupIn(c.name.strip() or f"Case {c.id}", [f"src:{s}" for s in c.sources],
                case_values.get(c.id, {}))
        for c in data.cases
    ]  # fmt: skip
    values.extend(store_groups(project, groups, document_of, report.dropped))
    if values:
        store_values(project, name, values, kinds, report.dropped, report.warnings)
    if data.cases:
        report.assumed.append("cases read as document groups, their attributes as their documents'")
    if data.memo.strip() and not project.memo:
        project.set_memo(data.memo.strip())
