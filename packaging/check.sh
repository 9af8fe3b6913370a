#!/usr/bin/env bash
# The packaging check (make package-check): everything an analyst gets, built and started.
#
#  1. system packages for the checks (apt-get, when run as root; PACKAGE_CHECK_NO_APT=1 skips)
#  2. wheel and sdist (python -m build) into dist/, with every resource inside
#  3. the wheel in a fresh venv in a temp folder: `annotator --version`, `annotator demo --no-gui`
#  4. the PyInstaller bundle dist/annotator/ (packaging/build-bundle.sh, from that venv)
#  5. the bundle alone (env -i, PATH=/usr/bin:/bin, outside the repo), offscreen: version,
#     demo project, format registry, window smoke test
#  6. desktop-file-validate, appstreamcli validate, the MIME type, install-desktop-files.sh
#  7. under Xvfb with Qt's xcb plugin: the bundle and the wheel open the demo project and quit
#
# Caches only under build/ (pip, PyInstaller); outputs in dist/; the rest in a temp folder
# that is removed at the end. Ends with "N passed, N failed".
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/annotator-package-check.XXXXXX")"
XVFB_PID=""
cleanup() {
    if [[ -n "$XVFB_PID" ]]; then kill "$XVFB_PID" 2> /dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p build dist
export PIP_CACHE_DIR="$ROOT/build/pip-cache"
export PIP_DISABLE_PIP_VERSION_CHECK=1
VERSION="$(grep -m1 '^version' pyproject.toml | sed -E 's/.*"(.*)".*/\1/')"
START=$(date +%s)
PASSED=0
FAILED=0
FAILURES=()

step() { printf '\n== %s (%d s)\n' "$*" "$(( $(date +%s) - START ))"; }
ok() { PASSED=$((PASSED + 1)); printf '  ok   %s\n' "$*"; }
bad() { FAILED=$((FAILED + 1)); FAILURES+=("$*"); printf '  FAIL %s\n' "$*"; }
check() { # check "description" command...
    local what="$1"; shift
    if "$@" > "$TMP/out" 2>&1; then ok "$what"; else bad "$what"; sed 's/^/       /' "$TMP/out" | tail -20; fi
}
quiet_pip() { "$@" 2>&1 | { grep -v -e "^WARNING: Location" -e "^$" || true; }; }

# ---------------------------------------------------------------------------------------
step "1. system packages"
APT_PACKAGES=(
    xvfb desktop-file-utils appstream shared-mime-info
    # what Qt 6's xcb platform plugin loads (see src/annotator/gui/platform_check.py)
    libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
    libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1
    libxcb-shm0 libxcb-util1 libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libegl1 libgl1
    libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2> /dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    ok "system packages present"
elif [[ "${PACKAGE_CHECK_NO_APT:-0}" != 1 && $(id -u) == 0 ]] && command -v apt-get > /dev/null; then
    echo "  installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq > "$TMP/apt.log" 2>&1 && \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >> "$TMP/apt.log" 2>&1 \
        && ok "system packages installed" \
        || { bad "apt-get install ${missing[*]}"; tail -20 "$TMP/apt.log"; }
else
    bad "missing system packages (install as root: apt-get install ${missing[*]})"
fi

# ---------------------------------------------------------------------------------------
step "2. wheel and sdist"
VENV="$TMP/venv"
"$PYTHON" -m venv "$VENV"
quiet_pip "$VENV/bin/python" -m pip install --quiet "build>=1.2"
rm -f dist/annotator-*.whl dist/annotator-*.tar.gz
if "$VENV/bin/python" -m build --outdir dist . > build/package-check-build.log 2>&1; then
    ok "python -m build (wheel and sdist)"
else
    bad "python -m build"; tail -30 build/package-check-build.log; exit 1
fi
WHEEL="$ROOT/dist/annotator-$VERSION-py3-none-any.whl"
SDIST="$ROOT/dist/annotator-$VERSION.tar.gz"
check "wheel carries the resources, the icon, the schemas and the license" \
    "$VENV/bin/python" - "$WHEEL" "$VERSION" << 'PY'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
need = [
    "annotator/resources/codebooks/political-claims.yaml",
    "annotator/resources/samples/france-armenia-resolution.txt",
    "annotator/resources/icons/annotator.svg",
    "annotator/resources/refi-qda/Project.xsd",
    "annotator/resources/refi-qda/Codebook.xsd",
    "annotator/formats/registry.py",
    "annotator/gui/app.py",
    f"annotator-{sys.argv[2]}.dist-info/entry_points.txt",
]
license_files = [n for n in names if n.endswith("LICENSE") and ".dist-info/" in n]
missing = [n for n in need if n not in names] + ([] if license_files else ["dist-info LICENSE"])
sys.exit(f"missing from the wheel: {missing}" if missing else 0)
PY
check "sdist carries the sources, resources, tests, packaging and license" \
    "$VENV/bin/python" - "$SDIST" "$VERSION" << 'PY'
import os, sys, tarfile
top = f"annotator-{sys.argv[2]}/"
names = {n.removeprefix(top) for n in tarfile.open(sys.argv[1]).getnames()}
need = [
    "LICENSE", "pyproject.toml", "MANIFEST.in", "CHANGELOG.md", "Makefile",
    "resources/codebooks/political-claims.yaml", "resources/icons/annotator.svg",
    "resources/samples/france-armenia-resolution.txt", "resources/refi-qda/Project.xsd",
    "src/annotator/cli.py", "packaging/annotator.spec", "packaging/build-bundle.sh",
    "packaging/linux/org.annotator.Annotator.desktop", "tests/conftest.py",
]
need += [n for n in ("README.md", "docs/install.md") if os.path.exists(n)]
missing = [n for n in need if n not in names]
sys.exit(f"missing from the sdist: {missing}" if missing else 0)
PY

# ---------------------------------------------------------------------------------------
step "3. the wheel in a fresh venv"
quiet_pip "$VENV/bin/python" -m pip install --quiet "$WHEEL"
WHOME="$TMP/wheel-home"
mkdir -p "$WHOME" "$TMP/run"
wheel_env=(env HOME="$WHOME" XDG_DATA_HOME="$WHOME/data" XDG_CONFIG_HOME="$WHOME/config")
check "annotator --version prints $VERSION" \
    bash -c "cd '$TMP/run' && out=\$(${wheel_env[*]} '$VENV/bin/annotator' --version) && echo \"\$out\" && [[ \"\$out\" == 'annotator $VERSION' ]]"
check "annotator demo --no-gui makes the demo project" \
    bash -c "cd '$TMP/run' && out=\$(${wheel_env[*]} '$VENV/bin/annotator' demo --no-gui) && echo \"\$out\" && [[ \"\$out\" == 'demo project: $WHOME/data/annotator/demo.annot' ]] && [[ -s '$WHOME/data/annotator/demo.annot' ]]"
check "the installed package is the wheel, not the source tree" \
    bash -c "cd '$TMP/run' && '$VENV/bin/python' -c 'import annotator, sys; sys.exit(0 if annotator.__file__.startswith(\"$VENV/\") else annotator.__file__)'"
"$VENV/bin/annotator" export --help | tr -s ' \n' ' ' | grep -o 'one of: [^(]*' > "$TMP/formats-wheel" || true

# ---------------------------------------------------------------------------------------
step "4. the PyInstaller bundle"
bundle_start=$(date +%s)
if WHEEL="$WHEEL" BUNDLE_VENV="$VENV" PYTHON="$PYTHON" packaging/build-bundle.sh; then
    ok "bundle built in $(( $(date +%s) - bundle_start )) s, $(du -sm dist/annotator | cut -f1) MB"
else
    bad "packaging/build-bundle.sh"; exit 1
fi
BUNDLE="$ROOT/dist/annotator"
INTERNAL="$BUNDLE/_internal"
check "bundle holds the resources and the package metadata" bash -c "
    for f in annotator/resources/codebooks/political-claims.yaml \
             annotator/resources/samples/france-armenia-resolution.txt \
             annotator/resources/icons/annotator.svg annotator/resources/refi-qda/Project.xsd \
             annotator-$VERSION.dist-info/METADATA; do
        [[ -f '$INTERNAL'/\$f ]] || { echo \"missing \$f\"; exit 1; }
    done"
check "bundle keeps QtCharts, QtPrintSupport, QtSvg and the xcb plugin" bash -c "
    for f in libQt6Charts.so.6 libQt6PrintSupport.so.6 libQt6Svg.so.6; do
        ls '$INTERNAL'/PySide6/Qt/lib/\$f > /dev/null || exit 1
    done
    ls '$INTERNAL'/PySide6/Qt/plugins/platforms/libqxcb.so '$INTERNAL'/PySide6/QtCharts.*.so"
check "bundle leaves out WebEngine, Quick/QML, 3D, Multimedia, and has no broken links" bash -c "
    found=\$(find '$INTERNAL' \\( -iname '*WebEngine*' -o -iname '*Qt6Quick*' -o -iname '*Qt6Qml*' \
        -o -iname '*Qt63D*' -o -iname '*Multimedia*' -o -xtype l \\) | head -5)
    [[ -z \"\$found\" ]] || { echo \"\$found\"; exit 1; }"

# ---------------------------------------------------------------------------------------
step "5. the bundle on its own (minimal environment, offscreen)"
BHOME="$TMP/bundle-home"
mkdir -p "$BHOME"
bundle_env=(env -i PATH=/usr/bin:/bin HOME="$BHOME" XDG_DATA_HOME="$BHOME/data"
            XDG_CONFIG_HOME="$BHOME/config" XDG_RUNTIME_DIR="$TMP/run" LANG=C.UTF-8)
chmod 700 "$TMP/run"
check "bundle: annotator --version prints $VERSION" \
    bash -c "out=\$(cd '$TMP/run' && ${bundle_env[*]} '$BUNDLE/annotator' --version) && echo \"\$out\" && [[ \"\$out\" == 'annotator $VERSION' ]]"
DEMO="$BHOME/data/annotator/demo.annot"
check "bundle: annotator demo --no-gui makes the demo project" \
    bash -c "out=\$(cd '$TMP/run' && ${bundle_env[*]} '$BUNDLE/annotator' demo --no-gui) && echo \"\$out\" && [[ \"\$out\" == 'demo project: $DEMO' ]]"
(cd "$TMP/run" && "${bundle_env[@]}" "$BUNDLE/annotator" export --help) | tr -s ' \n' ' ' \
    | grep -o 'one of: [^(]*' > "$TMP/formats-bundle" || true
check "bundle: the format registry finds every format the wheel has" \
    bash -c "cat '$TMP/formats-bundle'; [[ -s '$TMP/formats-bundle' ]] && diff '$TMP/formats-wheel' '$TMP/formats-bundle'"
check "bundle: annotator list reads the demo project" \
    bash -c "cd '$TMP/run' && ${bundle_env[*]} '$BUNDLE/annotator' list '$DEMO'"
smoke() { # smoke "description" expected-line command...
    local what="$1" expected="$2"; shift 2
    local rc=0
    "$@" > "$TMP/smoke.out" 2>&1 || rc=$?
    if [[ $rc == 0 ]] && grep -qxF "$expected" "$TMP/smoke.out"; then
        ok "$what"
    else
        bad "$what (exit code $rc)"; sed 's/^/       /' "$TMP/smoke.out" | tail -20
    fi
}
EXPECTED="annotator: smoke test: opened $DEMO (1 documents)"
smoke "bundle: window opens the demo project offscreen and quits with 0" "$EXPECTED" \
    bash -c "cd '$TMP/run' && timeout 120 ${bundle_env[*]} QT_QPA_PLATFORM=offscreen ANNOTATOR_QUIT_AFTER_MS=3000 '$BUNDLE/annotator' '$DEMO'"

# ---------------------------------------------------------------------------------------
step "6. desktop integration"
check "desktop-file-validate" desktop-file-validate packaging/linux/org.annotator.Annotator.desktop
check "appstreamcli validate" appstreamcli validate --no-net packaging/linux/org.annotator.Annotator.metainfo.xml
DESK="$TMP/desktop-data"
check "install-desktop-files.sh (from the bundle) registers menu entry, icon, MIME type" bash -c "
    XDG_DATA_HOME='$DESK' '$BUNDLE/install-desktop-files.sh' &&
    desktop-file-validate '$DESK/applications/org.annotator.Annotator.desktop' &&
    grep -qxF 'Exec=$BUNDLE/annotator %f' '$DESK/applications/org.annotator.Annotator.desktop' &&
    for s in 16 32 48 64 128 256; do
        file '$DESK'/icons/hicolor/\${s}x\${s}/apps/org.annotator.Annotator.png | grep -q \"\$s x \$s\" || exit 1
    done &&
    [[ -f '$DESK/icons/hicolor/scalable/apps/org.annotator.Annotator.svg' ]] &&
    grep -q 'application/x-annotator-project' '$DESK/mime/globs2' &&
    grep -q 'x-annotator-project' '$DESK/mime/magic'"
check "the desktop database types the demo project (renamed, by content) as ours" bash -c "
    cp '$DEMO' '$TMP/renamed.dat' &&
    XDG_DATA_DIRS='$DESK:/usr/share' QT_QPA_PLATFORM=offscreen '$VENV/bin/python' -c '
import sys
from PySide6.QtCore import QMimeDatabase
name = QMimeDatabase().mimeTypeForFile(sys.argv[1], QMimeDatabase.MatchMode.MatchContent).name()
print(name); sys.exit(name != \"application/x-annotator-project\")' '$TMP/renamed.dat'"
check "install-desktop-files.sh --uninstall removes it again" bash -c "
    XDG_DATA_HOME='$DESK' '$BUNDLE/install-desktop-files.sh' --uninstall &&
    [[ ! -e '$DESK/applications/org.annotator.Annotator.desktop' ]] &&
    [[ -z \"\$(find '$DESK/icons' -name 'org.annotator.Annotator.*')\" ]]"

# ---------------------------------------------------------------------------------------
step "7. under Xvfb with Qt's xcb platform plugin"
if command -v Xvfb > /dev/null; then
    exec 3> "$TMP/display"
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp > "$TMP/xvfb.log" 2>&1 &
    XVFB_PID=$!
    exec 3>&-
    for _ in $(seq 50); do [[ -s "$TMP/display" ]] && break; sleep 0.2; done
    DISPLAY_NUM=":$(head -1 "$TMP/display")"
    echo "  Xvfb on $DISPLAY_NUM"
    smoke "bundle: 'annotator demo' opens the window on X11 (xcb) and quits with 0" "$EXPECTED" \
        bash -c "cd '$TMP/run' && timeout 120 ${bundle_env[*]} DISPLAY='$DISPLAY_NUM' QT_QPA_PLATFORM=xcb ANNOTATOR_QUIT_AFTER_MS=3000 '$BUNDLE/annotator' demo"
    smoke "wheel: the window opens the demo project on X11 (xcb) and quits with 0" \
        "annotator: smoke test: opened $WHOME/data/annotator/demo.annot (1 documents)" \
        bash -c "cd '$TMP/run' && timeout 120 ${wheel_env[*]} DISPLAY='$DISPLAY_NUM' QT_QPA_PLATFORM=xcb ANNOTATOR_QUIT_AFTER_MS=3000 '$VENV/bin/annotator' '$WHOME/data/annotator/demo.annot'"
    check "no xcb library reported missing on this machine" \
        env DISPLAY="$DISPLAY_NUM" "$VENV/bin/python" -c "
import sys
from annotator.gui.platform_check import missing_xcb_libraries, explain_missing
m = missing_xcb_libraries()
print(explain_missing(m) if m else 'all present'); sys.exit(bool(m))"
    kill "$XVFB_PID" 2> /dev/null || true
    wait "$XVFB_PID" 2> /dev/null || true
    XVFB_PID=""
else
    bad "Xvfb is not installed (apt-get install xvfb)"
fi

# ---------------------------------------------------------------------------------------
printf '\npackage-check: %d s in all; bundle %s MB in dist/annotator\n' \
    "$(( $(date +%s) - START ))" "$(du -sm "$BUNDLE" | cut -f1)"
for f in "${FAILURES[@]}"; do printf '  failed: %s\n' "$f"; done
echo "package-check: $PASSED passed, $FAILED failed"
[[ $FAILED == 0 ]]
