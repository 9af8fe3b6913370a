"""The desktop integration files agree with each other, the project file and the package.

Fast checks only; building and starting the bundle is packaging/check.sh's job.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import pytest

from annotator.store import Project

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.annotator.Annotator"
MIME_TYPE = "application/x-annotator-project"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(LINUX / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def mime_type_element() -> ET.Element:
    root = ET.parse(LINUX / f"{APP_ID}.xml").getroot()
    element = root.find(f"{MIME_NS}mime-type")
    assert element is not None
    return element


def test_desktop_entry_opens_project_files_with_the_annotator_command() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "annotator %f"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert MIME_TYPE in entry["MimeType"].split(";")
    assert entry["Categories"] == "Office;Education;Science;"


def test_mime_type_matches_the_extension_and_the_project_files_header(tmp_path: Path) -> None:
    """The magic in the XML is what a real project file has at offsets 0 and 68."""
    element = mime_type_element()
    assert element.get("type") == MIME_TYPE
    globs = [g.get("pattern") for g in element.iter(f"{MIME_NS}glob")]
    assert globs == ["*.annot"]
    outer = element.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert outer is not None
    inner = outer.find(f"{MIME_NS}match")
    assert inner is not None
    with Project.create(tmp_path / "p.annot"):
        pass
    header = (tmp_path / "p.annot").read_bytes()[:100]
    for match in (outer, inner):
        offset = int(match.get("offset", "0"))
        value = match.get("value", "").replace("\\000", "\0").encode("latin-1")
        assert header[offset : offset + len(value)] == value, match.attrib


def test_metainfo_names_the_desktop_file_the_mime_type_and_this_version() -> None:
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("project_license") == "MIT"
    assert [m.text for m in root.iter("mediatype")] == [MIME_TYPE]
    assert [b.text for b in root.iter("binary")] == ["annotator"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    releases = [r.get("version") for r in root.iter("release")]
    assert version in releases, f"add a <release version='{version}'> to the metainfo"
    for url in [*root.iter("url"), *root.iter("image")]:
        assert (url.text or "").startswith("https://")


def test_license_is_mit_with_our_copyright() -> None:
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 Annotator developers\n")


def test_icon_is_a_packaged_resource() -> None:
    icon = resources.files("annotator.resources") / "icons" / "annotator.svg"
    root = ET.fromstring(icon.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 16 16"


def test_icons_render_to_every_size(tmp_path: Path) -> None:
    out = tmp_path / "icons"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "render_icons.py"),
            str(ROOT / "resources" / "icons" / "annotator.svg"),
            str(out),
        ],
        check=True,
        env=env,
        capture_output=True,
        timeout=60,
    )
    from PySide6.QtGui import QImage

    for size in (16, 32, 48, 64, 128, 256):
        image = QImage(str(out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # the page is opaque
        assert image.pixelColor(0, size - 1).alpha() == 0  # the corner outside it is not
    assert (out / "annotator.ico").read_bytes()[:4] == b"\0\0\1\0"
    assert (out / "annotator.icns").read_bytes()[:4] == b"icns"


@pytest.mark.skipif(shutil.which("update-mime-database") is None, reason="needs shared-mime-info")
def test_the_desktop_recognises_a_project_file_by_content(tmp_path: Path) -> None:
    """After update-mime-database, Qt (like any desktop) types a project file as ours."""
    share = tmp_path / "share"
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy(LINUX / f"{APP_ID}.xml", share / "mime" / "packages")
    subprocess.run(["update-mime-database", str(share / "mime")], check=True, timeout=60)
    with Project.create(tmp_path / "claims.annot"):
        pass
    shutil.copy(tmp_path / "claims.annot", tmp_path / "renamed.dat")
    import sqlite3

    sqlite3.connect(tmp_path / "plain.sqlite").execute("create table t(x)").connection.close()
    script = (
        "import sys\n"
        "from PySide6.QtCore import QMimeDatabase\n"
        "db = QMimeDatabase()\n"
        "for p in sys.argv[1:]:\n"
        "    print(db.mimeTypeForFile(p, QMimeDatabase.MatchMode.MatchContent).name())\n"
    )
    system = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    env = {**os.environ, "XDG_DATA_DIRS": f"{share}:{system}"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            *(str(tmp_path / n) for n in ("claims.annot", "renamed.dat", "plain.sqlite")),
        ],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.split()
    assert out == [MIME_TYPE, MIME_TYPE, "application/vnd.sqlite3"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(LINUX / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="needs appstream")
def test_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
