"""Fuzzing every importer, every document reader and the codebook loader.

For each format registered in :mod:`annotator.formats.registry` (iterated after
``load_formats()``, so formats added later are fuzzed without touching this file):
random bytes, and a valid seed file mutated (byte flips, truncation, insertion,
deletion, duplication, numbers swapped for out-of-range ones, syntax tokens; for
zip-based formats the XML inside the zip is mutated too). A seed is a small project
exported with the format's own exporter where there is one, else a hand-made file.

Importing either succeeds or raises :class:`AnnotatorError` whose message is one
non-empty line without a traceback; nothing else escapes, and after a failure the
project's content is exactly what it was. Format sniffing (``detect``) never crashes.

``ANNOTATOR_FUZZ_EXAMPLES`` scales the number of cases (default 1: 50 random and 100
mutated files per format, about 2,500 import cases and 400 codebooks in all, which
run in about two minutes on two cores).

Bugs found in modules owned elsewhere are listed in :data:`KNOWN_BUGS` (the fuzzing
tolerates exactly that failure) and each has a ``xfail(strict=True)`` test below that
reproduces it: fixing the bug turns that test into an unexpected pass, and then its
entry here goes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.codebook import Codebook, default_codebook_text, load_codebook
from annotator.core.errors import AnnotatorError, CodebookError
from annotator.formats.registry import (
    EXPORTERS,
    IMPORTERS,
    READERS,
    detect,
    export_project,
    import_paths,
    load_formats,
)
from annotator.store import Project
from tests.strategies import DocSpec, SpanSpec, build_project, snapshot

load_formats()

SCALE = float(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "1"))
RANDOM_EXAMPLES = max(5, int(50 * SCALE))
MUTATED_EXAMPLES = max(5, int(100 * SCALE))
CODEBOOK_EXAMPLES = max(10, int(300 * SCALE))
CASE_SECONDS = 10  # one import of a file of a few KB taking longer is a hang

FUZZ_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    "print_blob": True,
}

FORMATS = sorted(
    [("reader", name) for name in READERS] + [("importer", name) for name in IMPORTERS]
)


# -- seeds ----------------------------------------------------------------------------

SEED_DOCS = [
    DocSpec(
        "Résolution",
        "France’s Senate adopted a resolution.\r\nՀայաստան 👍🏽 e\u0301 "
        "قال البرلمان «quoted», comma.\r\nThe Assembly demanded the release of detainees.\n",
        [
            SpanSpec(0, 15, "actor", "the upper house"),
            SpanSpec(16, 37, "claim", 'with "quotes"\nand lines', {"position": "+1"}),
            SpanSpec(39, 47, "allegation", None),
            SpanSpec(4, 20, "demand", None),
        ],
        [(0, 1, "claimant")],
    ),
    DocSpec(
        "Second", "A short second document with a demand.", [SpanSpec(2, 7, "demand", None)], []
    ),
]


@dataclass(frozen=True)
class Seed:
    files: dict[str, bytes]  # relative path -> content
    target: str  # the file to import


def _hand_seed(name: str, extension: str, work: Path) -> Seed | None:
    text = "France’s Senate adopted a resolution.\nՀայաստան 👍🏽 قال البرلمان\n"
    if name in ("text", "markdown") or extension in (".txt", ".md"):
        return Seed(
            {f"seed{extension}": ("# Title\n\n" + text).encode("utf-8")}, f"seed{extension}"
        )
    if extension in (".html", ".htm", ".xhtml"):
        html = (
            '<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title></head><body>'
            f"<nav>menu</nav><main><h1>Title</h1><p>{text}</p><p>Second &amp; last</p></main>"
            "</body></html>"
        )
        return Seed({f"seed{extension}": html.encode("utf-8")}, f"seed{extension}")
    try:  # the builders of the reader tests make minimal valid files of each kind
        from tests.formats import test_readers as build
    except ImportError:
        return None
    path = work / f"seed{extension}"
    if extension == ".docx":
        build.make_docx(path, build.w_para(text) + build.w_para("Second paragraph"), "Title")
    elif extension == ".odt":
        build.make_odt(path, f"<text:p>{text}</text:p><text:p>Second</text:p>", "Title")
    elif extension == ".epub":
        chapters = {"one.xhtml": build.xhtml("One", f"<p>{text}</p>")}
        build.make_epub(path, chapters, ["one.xhtml"], "Title")
    elif extension == ".pdf":
        build.make_pdf(path, [["France's Senate adopted a resolution."], ["Page two"]], "Title")
    else:
        return None
    return Seed({path.name: path.read_bytes()}, path.name)


def _exported_seed(name: str, extensions: tuple[str, ...], work: Path) -> Seed | None:
    exporter = EXPORTERS.get(name)
    if exporter is None:
        return None
    project = build_project(work / f"seed-{name}.annot", SEED_DOCS)
    try:
        out = work / f"export-{name}"
        if exporter.extension:
            target = out.with_suffix(exporter.extension)
            export_project(project, name, target)
            return Seed({target.name: target.read_bytes()}, target.name)
        out.mkdir()
        export_project(project, name, out)
        files = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        targets = sorted(f for f in files if Path(f).suffix.lower() in extensions)
        return Seed(files, targets[0]) if targets else None
    except AnnotatorError:
        return None
    finally:
        project.close()


def seed_for(kind: str, name: str, work: Path) -> Seed | None:
    fmt = READERS[name] if kind == "reader" else IMPORTERS[name]
    seed = _exported_seed(name, fmt.extensions, work)
    return seed or _hand_seed(name, fmt.extensions[0], work)


# -- mutations ------------------------------------------------------------------------

TOKENS = [
    b'"',
    b"{",
    b"}",
    b"[",
    b"]",
    b"\\",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xed\xa0\x80",  # a lone surrogate in UTF-8
    b"\r",
    b"\t",
    b"\n\n",
    b"null",
    b"true",
    b'""',
    b"-1",
    b"1e309",
    b"NaN",
    b"<",
    b"</",
    b"&amp;",
    b"&bogus;",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
    b"]]>",
    b"T99",
    b"../",
]
NUMBERS = [b"0", b"-1", b"1", b"-99999", b"2147483648", b"9223372036854775808", b"1" * 40]
OPS = ("flip", "truncate", "insert", "delete", "duplicate", "number", "token")

Mutation = tuple[str, int, int, bytes]
mutation_lists = st.lists(
    st.tuples(
        st.sampled_from(OPS),
        st.integers(0, 2**31),
        st.integers(0, 2**31),
        st.binary(min_size=1, max_size=12),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    for op, a, b, blob in mutations:
        n = len(data)
        i = a % (n + 1)
        if op == "flip" and n:
            i = a % n
            data = data[:i] + bytes([data[i] ^ (1 + b % 255)]) + data[i + 1 :]
        elif op == "truncate":
            data = data[:i]
        elif op == "insert":
            data = data[:i] + blob + data[i:]
        elif op == "delete":
            data = data[:i] + data[i + 1 + b % 64 :]
        elif op == "duplicate":
            j = min(n, i + 1 + b % 256)
            data = data[:j] + data[i:j] + data[j:]
        elif op == "number":
            runs = list(re.finditer(rb"\d+", data))
            if runs:
                run = runs[a % len(runs)]
                data = data[: run.start()] + NUMBERS[b % len(NUMBERS)] + data[run.end() :]
        elif op == "token":
            data = data[:i] + TOKENS[b % len(TOKENS)] + data[i:]
    return data


def mutate_zip(data: bytes, member: int, mutations: list[Mutation]) -> bytes:
    """Mutate one entry inside the zip (its XML or text) and write the zip again."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            entries = [(info, zf.read(info)) for info in zf.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return mutate(data, mutations)
    if not entries:
        return data
    k = member % len(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, (info, content) in enumerate(entries):
            zf.writestr(info, mutate(content, mutations) if n == k else content)
    return out.getvalue()


# -- the check ------------------------------------------------------------------------


def project_state(project: Project) -> tuple[object, ...]:
    """Everything an import could change, independent of SQLite's page bookkeeping."""
    counts = tuple(
        project.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("documents", "annotations", "annotation_attributes", "relations", "labels")
    )
    documents = tuple((d.title, d.sha256, d.length) for d in project.documents())
    return counts, documents, project.codebook().to_yaml(), str(snapshot(project))


def check_message(exc: AnnotatorError) -> None:
    message = str(exc)
    assert message.strip(), f"{type(exc).__name__} with an empty message"
    assert "\n" not in message and "\r" not in message, f"message on several lines: {message!r}"
    assert "Traceback" not in message, message


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging CI) when one case runs away."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"one fuzz case took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


KNOWN_BUGS: tuple[Callable[[BaseException], bool], ...] = ()


class Harness:
    """One project that fuzz cases import into (replaced when it grows)."""

    def __init__(self, work: Path, name: str) -> None:
        self.work = work
        self.name = name
        self.n = 0
        self.project = self._new()
        self.successes = 0
        self.failures = 0
        self.known = 0
        self.warned = 0  # imports that warned (e.g. bytes replaced by U+FFFD)

    def _new(self) -> Project:
        self.n += 1
        project = Project.create(self.work / f"fuzz-{self.n}.annot", annotator="fuzzer")
        project.add_document("Already here before the import.", "existing")
        return project

    def run(self, files: dict[str, bytes], target: str) -> None:
        case = self.work / "case"
        shutil.rmtree(case, ignore_errors=True)
        case.mkdir()
        for rel, data in files.items():
            path = case / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        path = case / target
        with time_limit(CASE_SECONDS):
            try:
                detect(path)
            except AnnotatorError as exc:
                check_message(exc)
            before = project_state(self.project)
            try:
                report = import_paths(self.project, [path], self.name)
            except AnnotatorError as exc:
                check_message(exc)
                assert project_state(self.project) == before, "a failed import changed the project"
                self.failures += 1
                return
            except Exception as exc:
                if not any(bug(exc) for bug in KNOWN_BUGS):
                    raise
                assert project_state(self.project) == before, "a failed import changed the project"
                self.known += 1
                return
        self.successes += 1
        self.warned += bool(report.warnings)
        if len(self.project.documents()) > 25:
            self.project.close()
            self.project = self._new()

    def close(self) -> None:
        self.project.close()


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path


def _extension(kind: str, name: str) -> str:
    fmt = READERS[name] if kind == "reader" else IMPORTERS[name]
    return fmt.extensions[0] if fmt.extensions else ".bin"


@pytest.mark.parametrize(("kind", "name"), FORMATS, ids=[f"{k}-{n}" for k, n in FORMATS])
def test_random_bytes(kind: str, name: str, work: Path) -> None:
    harness = Harness(work, name)
    target = f"random{_extension(kind, name)}"

    @settings(max_examples=RANDOM_EXAMPLES, **FUZZ_SETTINGS)  # type: ignore[arg-type]
    @given(
        st.one_of(
            st.binary(max_size=2048),
            st.binary(min_size=1, max_size=8).map(lambda b: b * 300),
            st.text(max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass")),
        )
    )
    def case(data: bytes) -> None:
        harness.run({target: data}, target)

    try:
        case()
    finally:
        harness.close()


@pytest.mark.parametrize(("kind", "name"), FORMATS, ids=[f"{k}-{n}" for k, n in FORMATS])
def test_mutated_seed(kind: str, name: str, work: Path) -> None:
    seed = seed_for(kind, name, work)
    if seed is None:
        pytest.skip(f"no exporter and no hand-made seed for the {name} format (random bytes only)")
    harness = Harness(work, name)
    harness.run(seed.files, seed.target)  # the seed itself imports
    assert harness.successes == 1, f"the {name} seed does not import"
    names = sorted(seed.files)
    is_zip = seed.files[seed.target][:2] == b"PK"

    @settings(max_examples=MUTATED_EXAMPLES, **FUZZ_SETTINGS)  # type: ignore[arg-type]
    @given(
        which=st.integers(0, len(names) * 3),
        inside=st.booleans(),
        member=st.integers(0, 50),
        mutations=mutation_lists,
    )
    def case(which: int, inside: bool, member: int, mutations: list[Mutation]) -> None:
        files = dict(seed.files)
        # mostly the file imported, sometimes a file beside it (brat's .txt, .conf)
        rel = seed.target if which >= len(names) else names[which]
        if is_zip and rel == seed.target and inside:
            files[rel] = mutate_zip(files[rel], member, mutations)
        else:
            files[rel] = mutate(files[rel], mutations)
        harness.run(files, seed.target)

    try:
        case()
    finally:
        harness.close()
    # the mutations did reach the format's checks: a refusal, or a warning (the text
    # reader keeps UTF-8 with a few bad bytes, replaced and warned about)
    assert harness.failures + harness.warned > 0


# -- the codebook loader ---------------------------------------------------------------

CODEBOOK = default_codebook_text()
YAML_TOKENS = [
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system [echo]",
    "!!python/name:os.system",
    "!!binary AAAA",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "\t",
    ": ",
    "- ",
    "[",
    "{",
    "]",
    "}",
    "'",
    '"',
    "\n",
    "#",
    "|\n",
    ">-\n",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "? ",
    "2020-01-01",
    "0x1F",
    "~",
    ".inf",
    "\x00",
    "\ud800",
    "\u2028",
    "key: key",
    "colour: red",
    "hotkey: 12",
    "type: choice",
]

text_mutations = st.lists(
    st.tuples(
        st.sampled_from(("replace", "truncate", "insert", "token", "delete")),
        st.integers(0, 2**31),
        st.text(min_size=1, max_size=6),
        st.integers(0, len(YAML_TOKENS) - 1),
    ),
    min_size=1,
    max_size=6,
)


def mutate_text(text: str, mutations: list[tuple[str, int, str, int]]) -> str:
    for op, a, blob, t in mutations:
        i = a % (len(text) + 1)
        if op == "replace":
            text = text[:i] + blob[:1] + text[i + 1 :]
        elif op == "truncate":
            text = text[:i]
        elif op == "insert":
            text = text[:i] + blob + text[i:]
        elif op == "token":
            text = text[:i] + YAML_TOKENS[t] + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1 + a % 40 :]
    return text


def load_or_refuse(text: str) -> Codebook | None:
    started = time.monotonic()
    with time_limit(CASE_SECONDS):
        try:
            codebook = load_codebook(text, "codebook.yaml")
        except CodebookError as exc:
            check_message(exc)
            assert str(exc).startswith("codebook.yaml"), str(exc)
            codebook = None
    assert time.monotonic() - started < 3, "a codebook took seconds to refuse"
    return codebook


@settings(max_examples=CODEBOOK_EXAMPLES, **FUZZ_SETTINGS)  # type: ignore[arg-type]
@given(text_mutations)
def test_codebook_mutated(mutations: list[tuple[str, int, str, int]]) -> None:
    codebook = load_or_refuse(mutate_text(CODEBOOK, mutations))
    if codebook is not None:  # what loads, round-trips
        assert load_codebook(codebook.to_yaml()) == codebook


@settings(max_examples=CODEBOOK_EXAMPLES // 3, **FUZZ_SETTINGS)  # type: ignore[arg-type]
@given(st.text(max_size=300))
def test_codebook_random_text(text: str) -> None:
    load_or_refuse(text)


def _laughs(prefix: str, levels: int = 9) -> Callable[[int], str]:
    def item(i: int) -> str:
        if i == 0:
            return f"&{prefix}0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"
        return f"&{prefix}{i} [" + ", ".join([f"*{prefix}{i - 1}"] * 9) + "]"

    return item


def _inline_bomb(prefix: str) -> str:
    """A list holding nine nested levels of nine aliases each: 9**9 leaves if expanded."""
    item = _laughs(prefix)
    return "[" + ", ".join(item(i) for i in range(10)) + "]"


LABEL = "{key: claim, name: Claim, colour: '#0072b2'}"
BOMBS = {
    "alias bomb as a mapping key": "x: "
    + _inline_bomb("k")
    + "\n? *k9\n: 1\nlabels: ["
    + LABEL
    + "]",
    "alias bomb in the label list": "labels: " + _inline_bomb("l"),
    "alias bomb in attribute choices": f"labels: [{LABEL}]\nattributes: [{{key: a, type: choice, "
    f"choices: {_inline_bomb('c')}}}]",
    "alias bomb as attribute default": f"labels: [{LABEL}]\nattributes: [{{key: a, type: text, "
    f"default: {_inline_bomb('d')}}}]",
    "alias bomb as a description": f"labels: [{{key: claim, name: C, colour: '#0072b2', "
    f"description: {_inline_bomb('e')}}}]",
    "alias bomb as the name": f"name: {_inline_bomb('n')}\nlabels: [{LABEL}]",
    "merge-key bomb": "labels:\n - &m0 {key: claim, name: C, colour: '#0072b2'}\n"
    + "".join(f" - &m{i}\n   <<: [{', '.join([f'*m{i - 1}'] * 9)}]\n" for i in range(1, 9)),
    "deep flow nesting": "labels: " + "[" * 50_000 + "]" * 50_000,
    "deep block nesting": "labels:\n" + "- " * 50_000 + "x",
    "deep indentation": "".join(" " * i + "a:\n" for i in range(1000)),
    "recursive alias": "labels: &r [*r]",
    "huge codebook": "name: " + "x" * 3_000_000 + f"\nlabels: [{LABEL}]",
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_codebook_bombs_are_refused_fast(name: str) -> None:
    started = time.monotonic()
    with pytest.raises(CodebookError) as caught:
        load_or_refuse_strict(BOMBS[name])
    check_message(caught.value)
    assert len(str(caught.value)) < 300
    assert time.monotonic() - started < 3


def load_or_refuse_strict(text: str) -> Codebook:
    with time_limit(CASE_SECONDS):
        return load_codebook(text, "codebook.yaml")


PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:builtins.object {{}}",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("tag", PYTHON_TAGS)
@pytest.mark.parametrize("where", ["top", "label", "description"])
def test_codebook_python_tags_are_refused(tag: str, where: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    value = tag.format(marker=marker)
    text = {
        "top": value,
        "label": f"labels:\n  - {value}\n",
        "description": "labels:\n  - key: claim\n    name: C\n    colour: '#0072b2'\n"
        f"    description: {value}\n",
    }[where]
    with pytest.raises(CodebookError) as caught:
        load_codebook(text, "codebook.yaml")
    check_message(caught.value)
    assert "not allowed" in str(caught.value)
    assert not marker.exists()


# -- bugs the fuzzing found (fixed; kept as regression tests) --


def _docx_with_encoding(path: Path, encoding: str) -> Path:
    from tests.formats import test_readers as build

    xml = build.document_xml(build.w_para("Hello")).replace(
        'encoding="UTF-8"', f'encoding="{encoding}"'
    )
    return build.write_zip(
        path, {"[Content_Types].xml": build.CONTENT_TYPES, "word/document.xml": xml}
    )


def test_docx_with_unknown_xml_encoding_gives_format_error(
    tmp_project: Project, tmp_path: Path
) -> None:
    path = _docx_with_encoding(tmp_path / "odd.docx", "UTF-0")
    with pytest.raises(AnnotatorError):
        import_paths(tmp_project, [path])


def test_qdc_with_unknown_xml_encoding_gives_format_error(
    tmp_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "codes.qdc"
    path.write_bytes(
        b'<?xml version="1.0" encoding="klingon"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        b'<Codes><Code guid="0a1b2c3d-0000-4000-8000-000000000001" name="claim" isCodable="true"/>'
        b"</Codes></CodeBook>"
    )
    with pytest.raises(AnnotatorError):
        import_paths(tmp_project, [path])
