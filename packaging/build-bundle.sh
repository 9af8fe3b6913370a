#!/usr/bin/env bash
# Build the one-folder Linux application dist/annotator/ with PyInstaller.
#
#   packaging/build-bundle.sh            (or: make bundle)
#
# Steps: build the wheel (unless WHEEL=path is given), install it with the
# `package` extra into a build venv (BUNDLE_VENV, default build/bundle-venv; reused
# between runs), render the icons from resources/icons/annotator.svg into
# build/icons, run PyInstaller on packaging/annotator.spec, and put the desktop
# files, icons and install-desktop-files.sh beside the executable.
# Caches stay under build/ (pip, PyInstaller); nothing is written outside build/ and dist/.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${BUNDLE_VENV:-$ROOT/build/bundle-venv}"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$ROOT/build/pip-cache}"
export PYINSTALLER_CONFIG_DIR="$ROOT/build/pyinstaller-config"
export PIP_DISABLE_PIP_VERSION_CHECK=1
start=$(date +%s)

log() { printf '[bundle] %s\n' "$*"; }
quiet_pip() { "$VENV/bin/python" -m pip "$@" 2>&1 | { grep -v -e "^WARNING: Location" -e "^$" || true; }; }

if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating the build venv $VENV"
    "$PYTHON" -m venv "$VENV"
fi

if [[ -z "${WHEEL:-}" ]]; then
    log "building the wheel"
    quiet_pip install --quiet "build>=1.2"
    "$VENV/bin/python" -m build --wheel --outdir "$ROOT/dist" "$ROOT" > "$ROOT/build/wheel.log" 2>&1 \
        || { cat "$ROOT/build/wheel.log"; exit 1; }
    version=$(grep -m1 '^version' "$ROOT/pyproject.toml" | sed -E 's/.*"(.*)".*/\1/')
    WHEEL="$ROOT/dist/annotator-$version-py3-none-any.whl"
fi
log "installing $(basename "$WHEEL") with the package extra into the build venv"
quiet_pip install --quiet --force-reinstall --no-deps "$WHEEL"
quiet_pip install --quiet "$WHEEL[package]"

log "rendering icons into build/icons"
rm -rf "$ROOT/build/icons"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" "$ROOT/packaging/render_icons.py" \
    "$ROOT/resources/icons/annotator.svg" "$ROOT/build/icons" > /dev/null

log "running PyInstaller (log: build/pyinstaller.log)"
# from a folder outside src/, so the installed package (not the source tree) is frozen
(cd "$ROOT/build" && ANNOTATOR_ICON_DIR="$ROOT/build/icons" "$VENV/bin/pyinstaller" \
    --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    "$ROOT/packaging/annotator.spec") > "$ROOT/build/pyinstaller.log" 2>&1 \
    || { tail -50 "$ROOT/build/pyinstaller.log"; exit 1; }

BUNDLE="$ROOT/dist/annotator"
log "adding desktop integration to $BUNDLE/share"
install -D -m 644 packaging/linux/org.annotator.Annotator.desktop \
    "$BUNDLE/share/applications/org.annotator.Annotator.desktop"
install -D -m 644 packaging/linux/org.annotator.Annotator.xml \
    "$BUNDLE/share/mime/packages/org.annotator.Annotator.xml"
install -D -m 644 packaging/linux/org.annotator.Annotator.metainfo.xml \
    "$BUNDLE/share/metainfo/org.annotator.Annotator.metainfo.xml"
mkdir -p "$BUNDLE/share/icons"
cp -r "$ROOT/build/icons/hicolor" "$BUNDLE/share/icons/"
install -m 755 packaging/linux/install-desktop-files.sh "$BUNDLE/install-desktop-files.sh"
install -m 644 LICENSE "$BUNDLE/LICENSE"

size=$(du -sm "$BUNDLE" | cut -f1)
log "done in $(( $(date +%s) - start )) s: $BUNDLE (${size} MB); start it with $BUNDLE/annotator"
