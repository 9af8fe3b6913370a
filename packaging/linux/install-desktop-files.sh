#!/usr/bin/env bash
# Register Annotator with the desktop for the current user: menu entry, icon, the
# project file type (*.annot, application/x-annotator-project) and double-click to open.
#
#   install-desktop-files.sh [--exec PATH] [--uninstall]
#
# Works from the bundle (dist/annotator/install-desktop-files.sh, files in share/)
# and from a source checkout (packaging/linux/; icons from build/icons when
# `make bundle` rendered them, else the SVG alone). Installs under
# ${XDG_DATA_HOME:-~/.local/share}; set XDG_DATA_HOME=/usr/local/share (as root) for
# all users. --exec names the program the menu entry starts (default: the bundle's
# executable beside this script, else `annotator` on PATH).
set -euo pipefail

APP_ID=org.annotator.Annotator
MIME=application/x-annotator-project
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
EXEC=""
UNINSTALL=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --exec) EXEC="$2"; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "install-desktop-files.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

if [[ -d "$HERE/share/applications" ]]; then          # inside the bundle
    SRC_DESKTOP="$HERE/share/applications/$APP_ID.desktop"
    SRC_MIME="$HERE/share/mime/packages/$APP_ID.xml"
    SRC_META="$HERE/share/metainfo/$APP_ID.metainfo.xml"
    ICONS="$HERE/share/icons/hicolor"
    [[ -z "$EXEC" && -x "$HERE/annotator" ]] && EXEC="$HERE/annotator"
else                                                  # packaging/linux in a checkout
    ROOT="$(cd "$HERE/../.." && pwd)"
    SRC_DESKTOP="$HERE/$APP_ID.desktop"
    SRC_MIME="$HERE/$APP_ID.xml"
    SRC_META="$HERE/$APP_ID.metainfo.xml"
    ICONS="$ROOT/build/icons/hicolor"
    if [[ ! -d "$ICONS" ]]; then
        ICONS="$(mktemp -d)/hicolor"
        install -D -m 644 "$ROOT/resources/icons/annotator.svg" "$ICONS/scalable/apps/$APP_ID.svg"
    fi
fi
if [[ -z "$EXEC" ]]; then
    EXEC="$(command -v annotator || echo annotator)"
fi

refresh() {
    command -v update-mime-database > /dev/null && update-mime-database "$DATA/mime" || true
    command -v update-desktop-database > /dev/null && update-desktop-database -q "$DATA/applications" || true
    command -v gtk-update-icon-cache > /dev/null && [[ -f "$DATA/icons/hicolor/index.theme" ]] \
        && gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" || true
}

if [[ $UNINSTALL == 1 ]]; then
    rm -f "$DATA/applications/$APP_ID.desktop" "$DATA/mime/packages/$APP_ID.xml" \
        "$DATA/metainfo/$APP_ID.metainfo.xml"
    find "$DATA/icons/hicolor" -name "$APP_ID.*" -delete 2> /dev/null || true
    refresh
    echo "Annotator's menu entry, icon and file type are removed from $DATA"
    exit 0
fi

mkdir -p "$DATA/applications" "$DATA/mime/packages" "$DATA/metainfo"
# The menu entry starts EXEC (quoted as the desktop entry spec asks when it has spaces).
exec_field="$EXEC"
[[ "$EXEC" == *" "* ]] && exec_field="\"$EXEC\""
sed -e "s|^Exec=annotator |Exec=$exec_field |" -e "s|^TryExec=annotator$|TryExec=$EXEC|" \
    "$SRC_DESKTOP" > "$DATA/applications/$APP_ID.desktop"
chmod 644 "$DATA/applications/$APP_ID.desktop"
install -m 644 "$SRC_MIME" "$DATA/mime/packages/$APP_ID.xml"
install -m 644 "$SRC_META" "$DATA/metainfo/$APP_ID.metainfo.xml"
(cd "$ICONS" && find . -name "$APP_ID.*" -print0) | while IFS= read -r -d '' icon; do
    install -D -m 644 "$ICONS/$icon" "$DATA/icons/hicolor/$icon"
done
refresh
if command -v xdg-mime > /dev/null; then
    xdg-mime default "$APP_ID.desktop" "$MIME" || true
fi
echo "Annotator is registered in $DATA: menu entry (starts $EXEC), icon, *.annot files"
