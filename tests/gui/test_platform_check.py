"""The check for the system libraries of Qt's xcb plugin, on this machine's real libraries."""

from __future__ import annotations

import ctypes
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.gui.platform_check import (
    XCB_LIBRARIES,
    explain_missing,
    find_missing,
    missing_xcb_libraries,
    uses_xcb,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF/Linux only")

# Libraries every Linux system has, or that the PySide6 wheel ships itself.
BASE = re.compile(
    r"^(libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s|ld-linux.*|libz|libzstd)\.so"
)
QT_OWN = re.compile(r"^libQt6|^libicu")


def qt_lib_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "lib"


def xcb_plugin() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def elf_needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of a 64-bit little-endian ELF file (what it links against)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, f"{path}: not ELF64 LE"
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    needed: list[str] = []
    for _name, sh_type, _flags, _addr, offset, size, link, *_ in sections:
        if sh_type != 6:  # SHT_DYNAMIC
            continue
        strtab_offset = sections[link][4]
        for at in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab_offset + value)
                needed.append(data[strtab_offset + value : end].decode())
    return needed


@linux_only
def test_table_covers_every_system_library_qt_links_for_x11() -> None:
    """Each system library the xcb plugin and Qt Gui/Widgets/DBus link against is in the table."""
    libs = [xcb_plugin()] + [
        qt_lib_dir() / name
        for name in ("libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6", "libQt6DBus.so.6")
    ]
    needed = {n for lib in libs for n in elf_needed(lib)}
    system = {n for n in needed if not BASE.match(n) and not QT_OWN.match(n)}
    assert "libxcb-cursor.so.0" in system  # the one Qt 6.5 added, and the parser works
    table = {lib.soname for lib in XCB_LIBRARIES}
    assert system - table == set(), "add these to XCB_LIBRARIES with their package names"


@linux_only
@pytest.mark.skipif(shutil.which("ldd") is None, reason="needs ldd")
def test_missing_libraries_match_what_the_dynamic_loader_reports() -> None:
    """On this machine, the check finds exactly what ldd says the xcb plugin cannot find."""
    out = subprocess.run(
        ["ldd", str(xcb_plugin())], capture_output=True, text=True, check=True
    ).stdout
    not_found = {line.split()[0] for line in out.splitlines() if "not found" in line}
    table = [lib.soname for lib in XCB_LIBRARIES]
    expected = [name for name in table if name in not_found]
    assert missing_xcb_libraries({"DISPLAY": ":0"}, "linux") == expected
    for name in table:
        if name not in not_found:
            ctypes.CDLL(name)  # what the check calls present really loads


def test_a_library_that_does_not_exist_is_reported() -> None:
    assert find_missing(["libannotator-no-such-library.so.7"]) == [
        "libannotator-no-such-library.so.7"
    ]


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", False),
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "win32", False),
        ({"DISPLAY": ":0"}, "darwin", False),
    ],
)
def test_checks_only_where_qt_would_use_xcb(
    env: dict[str, str], platform: str, expected: bool
) -> None:
    assert uses_xcb(env, platform) is expected
    if not expected:
        assert missing_xcb_libraries(env, platform) == []


def test_message_names_the_libraries_and_the_install_commands() -> None:
    message = explain_missing(["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-randr.so.0"])
    lines = message.splitlines()
    assert "cannot open its window" in lines[0]
    assert "Missing: libxcb-cursor.so.0, libxcb-icccm.so.4, libxcb-randr.so.0." in lines
    assert "  Debian/Ubuntu: sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-randr0" in lines
    assert "  Fedora:        sudo dnf install xcb-util-cursor xcb-util-wm libxcb" in lines
    assert "Traceback" not in message


def test_message_lists_a_package_once_for_several_of_its_libraries() -> None:
    message = explain_missing(["libxcb-shape.so.0", "libxcb-shm.so.0", "libxcb-sync.so.1"])
    assert "sudo dnf install libxcb\n" in message + "\n"
    assert "sudo apt install libxcb-shape0 libxcb-shm0 libxcb-sync1" in message


def test_every_library_in_the_table_has_both_package_names() -> None:
    for lib in XCB_LIBRARIES:
        assert lib.soname.startswith("lib") and ".so." in lib.soname
        assert lib.debian and " " not in lib.debian
        assert lib.fedora and " " not in lib.fedora
    assert len({lib.soname for lib in XCB_LIBRARIES}) == len(XCB_LIBRARIES)
