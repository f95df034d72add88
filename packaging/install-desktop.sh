#!/bin/sh
# Put Flashcards in the desktop's menus for this user: the launcher, icons, AppStream
# metadata and the .apkg/.colpkg file types (no root needed; all under ~/.local/share).
#
#   packaging/install-desktop.sh [--exec COMMAND] [--uninstall]
#
# --exec: what the launcher runs (default: `flashcards` on PATH, as pip or pipx install
# it; in the standalone build's folder, that folder's flashcards).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
app_id=io.github.flashcards.Flashcards
data=${XDG_DATA_HOME:-$HOME/.local/share}
exec_cmd=flashcards
uninstall=no

while [ $# -gt 0 ]; do
  case "$1" in
    --exec) exec_cmd=$2; shift 2 ;;
    --exec=*) exec_cmd=${1#--exec=}; shift ;;
    --uninstall) uninstall=yes; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

# The files sit beside this script in the repository (packaging/) and in the standalone
# build (share/), whose launcher runs the build's own binary unless --exec says otherwise.
for dir in "$here" "$here/share"; do
  if [ -f "$dir/$app_id.desktop" ]; then src=$dir; break; fi
done
[ -n "${src:-}" ] || { echo "install-desktop.sh: $app_id.desktop not found beside $0" >&2; exit 1; }
if [ "$src" = "$here/share" ] && [ -x "$here/flashcards" ] && [ "$exec_cmd" = flashcards ]; then
  exec_cmd=$here/flashcards
fi

refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$data/applications" || true
  fi
  if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$data/mime" >/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
  fi
}

if [ "$uninstall" = yes ]; then
  rm -f "$data/applications/$app_id.desktop" "$data/metainfo/$app_id.metainfo.xml" \
    "$data/mime/packages/$app_id.xml" "$data"/icons/hicolor/*/apps/"$app_id".png \
    "$data/icons/hicolor/scalable/apps/$app_id.svg"
  refresh
  echo "Removed Flashcards from the desktop menus (the app itself and your cards stay)."
  exit 0
fi

case "$exec_cmd" in
  */*) [ -x "$exec_cmd" ] || { echo "install-desktop.sh: not an executable: $exec_cmd" >&2; exit 1; } ;;
  *) command -v "$exec_cmd" >/dev/null 2>&1 \
       || echo "install-desktop.sh: warning: '$exec_cmd' is not on PATH; the launcher will not start until it is" >&2 ;;
esac
# A path with spaces is quoted, as the desktop entry spec asks.
case "$exec_cmd" in
  *" "*) exec_field="\"$exec_cmd\"" ;;
  *) exec_field=$exec_cmd ;;
esac

mkdir -p "$data/applications" "$data/metainfo" "$data/mime/packages"
sed -e "s|^Exec=flashcards |Exec=$exec_field |" -e "s|^TryExec=flashcards$|TryExec=$exec_cmd|" \
  "$src/$app_id.desktop" >"$data/applications/$app_id.desktop"
cp "$src/$app_id.metainfo.xml" "$data/metainfo/"
cp "$src/$app_id.mime.xml" "$data/mime/packages/$app_id.xml"
for icon in "$src"/icons/hicolor/*/apps/"$app_id".*; do
  size=$(basename "$(dirname "$(dirname "$icon")")")
  mkdir -p "$data/icons/hicolor/$size/apps"
  cp "$icon" "$data/icons/hicolor/$size/apps/"
done
refresh
echo "Flashcards is in your desktop's menus; .apkg and .colpkg files open with it."
