"""Before the window opens on Linux/X11: are the system libraries Qt's xcb plugin needs there?

Since Qt 6.5 the xcb platform plugin will not load without ``libxcb-cursor.so.0`` (and
it always needed a dozen other xcb libraries). Qt's own message is a wall of text
about plugins that ends in an abort; an analyst who double-clicked the app sees
nothing at all. This module finds the missing libraries without loading Qt's GUI and
says in plain words which packages bring them. It imports nothing of Qt.

Call it before the ``QApplication`` is created::

    missing = missing_xcb_libraries()
    if missing:
        print(explain_missing(missing), file=sys.stderr)
        raise SystemExit(1)
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SystemLibrary:
    soname: str
    debian: str  # the Debian/Ubuntu package that ships it
    fedora: str  # the Fedora/RHEL package that ships it


# What Qt 6's xcb platform plugin (libqxcb.so -> libQt6XcbQpa.so.6) and Qt Gui load
# from the system, in the order a reader of the message would install them.
# tests/gui/test_platform_check.py compares this table with the plugin's ELF
# dependencies, so a new Qt that needs another library is noticed.
XCB_LIBRARIES: tuple[SystemLibrary, ...] = (
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    SystemLibrary("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    SystemLibrary("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    SystemLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    SystemLibrary("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    SystemLibrary("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    SystemLibrary("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    SystemLibrary("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    SystemLibrary("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    SystemLibrary("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    SystemLibrary("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    SystemLibrary("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    SystemLibrary("libxcb.so.1", "libxcb1", "libxcb"),
    SystemLibrary("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    SystemLibrary("libX11.so.6", "libx11-6", "libX11"),
    SystemLibrary("libGL.so.1", "libgl1", "libglvnd-glx"),
    SystemLibrary("libEGL.so.1", "libegl1", "libglvnd-egl"),
    SystemLibrary("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    SystemLibrary("libfreetype.so.6", "libfreetype6", "freetype"),
    SystemLibrary("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
    SystemLibrary("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    SystemLibrary("libgthread-2.0.so.0", "libglib2.0-0", "glib2"),
)

_BY_SONAME = {lib.soname: lib for lib in XCB_LIBRARIES}


def uses_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt would pick its xcb plugin: Linux, X11 display, no Wayland, no other plugin."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return False
    requested = env.get("QT_QPA_PLATFORM", "")
    if requested and not requested.startswith("xcb"):
        return False
    if requested.startswith("xcb"):
        return bool(env.get("DISPLAY"))
    return bool(env.get("DISPLAY")) and not env.get("WAYLAND_DISPLAY")


def missing_xcb_libraries(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> list[str]:
    """The sonames of the xcb plugin's system libraries this machine lacks.

    Empty when Qt would not use xcb here (Windows, macOS, Wayland, offscreen, no
    display) or when every library loads.
    """
    if not uses_xcb(environ, platform):
        return []
    return find_missing(lib.soname for lib in XCB_LIBRARIES)


def find_missing(sonames: Iterable[str]) -> list[str]:
    """Those of *sonames* that neither the dynamic loader nor the app's own folders provide."""
    return [name for name in sonames if not _loadable(name)]


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
        return True
    except OSError:
        pass
    for folder in _bundled_library_folders():
        candidate = folder / soname
        if candidate.exists():
            try:
                ctypes.CDLL(str(candidate))
                return True
            except OSError:
                continue
    return False


def _bundled_library_folders() -> list[Path]:
    """Where a frozen bundle or the PySide6 wheel keeps libraries of its own."""
    folders: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        folders += [Path(frozen), Path(frozen) / "PySide6" / "Qt" / "lib"]
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        folders += [Path(p) / "Qt" / "lib" for p in spec.submodule_search_locations]
    return folders


def explain_missing(libs: Iterable[str]) -> str:
    """A plain message: what is missing and the command that installs it."""
    sonames = list(libs)
    known = [_BY_SONAME[s] for s in sonames if s in _BY_SONAME]
    debian = _unique(lib.debian for lib in known)
    fedora = _unique(lib.fedora for lib in known)
    lines = [
        "Annotator cannot open its window: this computer lacks system libraries that the "
        "Qt toolkit needs to draw windows on X11.",
        f"Missing: {', '.join(sonames)}.",
        "Install them, then start Annotator again:",
    ]
    if debian:
        lines.append(f"  Debian/Ubuntu: sudo apt install {' '.join(debian)}")
    if fedora:
        lines.append(f"  Fedora:        sudo dnf install {' '.join(fedora)}")
    lines.append(
        "(The command-line tools, e.g. 'annotator list PROJECT', work without them; "
        "the installation guide, docs/install.md, lists these packages too.)"
    )
    return "\n".join(lines)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
