#!/usr/bin/env bash
# Smoke test of the standalone app: build it (packaging/build.sh), unpack the .tar.gz in
# a new folder, and as a stranger would (an empty HOME, a fresh data folder, no Python
# on PATH and, where this runs as root, the build machine's Python hidden away):
#   - `flashcards --version` prints the version;
#   - the app starts offscreen and paints a card of the bundled decks;
#   - `flashcards decks` lists them;
#   - the bundle holds the Qt modules the app uses, the maths font and the bundled decks,
#     and none of QtWebEngine, QtPdf, Qt3D;
#   - install-desktop.sh puts a valid launcher in the (empty) HOME that runs this build.
#
#   packaging/smoke_test.sh [--no-build]     (--no-build: test the archive already in dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}

fail() { echo "smoke test: FAILED: $*" >&2; exit 1; }

if [ "${1:-}" != --no-build ]; then
  packaging/build.sh
fi
version=$("$python" -c 'import re, pathlib; print(re.search(r"^__version__ = \"([^\"]+)\"", pathlib.Path("flashcards/__init__.py").read_text(), re.M).group(1))')
archive=$(ls -t dist/flashcards-"$version"-*.tar.gz 2>/dev/null | head -1)
[ -n "$archive" ] || fail "no dist/flashcards-$version-*.tar.gz (run packaging/build.sh)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$archive"
app=$work/flashcards/flashcards
[ -x "$app" ] || fail "the archive has no flashcards/flashcards"
home=$work/home
mkdir -p "$home"

# The build machine's Python, out of sight: its prefixes (and Debian's) under empty
# mounts, in a mount namespace of this command alone. Needs root (or user namespaces).
hide=()
if unshare -m true 2>/dev/null; then
  dirs=$("$python" -c 'import sys; print(" ".join(sorted({sys.base_prefix, sys.prefix})))')
  for d in $dirs; do
    case "$d" in /usr|/usr/local|/) continue ;; esac  # a system prefix: its lib/python3.* only
    [ -d "$d" ] && hide+=("$d")
  done
  for d in /usr/lib/python3* /usr/local/lib/python3*; do [ -d "$d" ] && hide+=("$d"); done
  mapfile -t hide < <(printf '%s\n' "${hide[@]}" | sort -u)
fi
stranger() {
  # A clean environment: no PYTHON* variables, no XDG folders, nothing on PATH but the system's.
  local run=(env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@")
  if [ ${#hide[@]} -gt 0 ]; then
    local mounts=""
    for d in "${hide[@]}"; do mounts+="mount -t tmpfs none '$d' && "; done
    unshare -m sh -c "$mounts"'exec "$@"' sh "${run[@]}"
  else
    "${run[@]}"
  fi
}
if [ ${#hide[@]} -gt 0 ]; then
  echo "smoke test: Python hidden: ${hide[*]}"
  if stranger sh -c 'for p in python3 python; do $p -c "import sys" 2>/dev/null && exit 0; done; exit 1'; then
    echo "smoke test: note: a Python still runs with those hidden (the app does not use it)"
  else
    echo "smoke test: no Python runs with those hidden"
  fi
else
  echo "smoke test: note: cannot hide the build machine's Python here (no mount namespace)"
fi

out=$(stranger "$app" --version) || fail "--version exited $?"
[ "$out" = "flashcards $version" ] || fail "--version printed '$out', not 'flashcards $version'"
echo "smoke test: --version prints '$out'"

data=$work/data
started=$(date +%s)
stranger timeout 120 "$app" --data-dir "$data" --exit-after-first-card >"$work/app.out" 2>"$work/app.err" \
  || fail "the app exited $? (stderr: $(cat "$work/app.err"))"
grep -q "^first-card-painted" "$work/app.out" || fail "the app showed no card: $(cat "$work/app.out" "$work/app.err")"
if grep -q Traceback "$work/app.err"; then fail "the app printed a traceback: $(cat "$work/app.err")"; fi
[ -f "$data/collection.sqlite3" ] || fail "no collection in the fresh data folder"
echo "smoke test: the app showed a card on a fresh data folder ($(( $(date +%s) - started )) s)"

stranger timeout 120 "$app" --data-dir "$data" decks >"$work/decks.out" 2>"$work/decks.err" \
  || fail "'flashcards decks' exited $?: $(cat "$work/decks.err")"
grep -q "Getting started" "$work/decks.out" || fail "'flashcards decks' lists no bundled deck"
echo "smoke test: 'flashcards decks' lists the bundled decks"

internal=$work/flashcards/_internal
for module in QtCore QtGui QtWidgets QtNetwork QtCharts QtSvg QtPrintSupport QtMultimedia; do
  ls "$internal/PySide6/$module".* >/dev/null 2>&1 || fail "the bundle has no PySide6.$module"
done
for plugin in platforms/libqxcb.so platforms/libqwayland.so platforms/libqoffscreen.so \
  imageformats/libqsvg.so multimedia/libffmpegmediaplugin.so; do
  [ -f "$internal/PySide6/Qt/plugins/$plugin" ] || fail "the bundle has no Qt plugin $plugin"
done
[ -f "$internal/ziamath/fonts/STIXTwoMath-Regular.ttf" ] || fail "the bundle has no maths font (formulas)"
[ -d "$internal/flashcards/bundled_decks" ] || fail "the bundle has no bundled decks"
unwanted=$(find "$internal" -name '*WebEngine*' -o -name 'libQt6Pdf*' -o -name 'libQt63D*' \
  -o -name 'QtWebEngineProcess' | head -5)
[ -z "$unwanted" ] || fail "the bundle holds Qt modules the app never uses: $unwanted"
echo "smoke test: the bundle holds the Qt modules the app uses, and no QtWebEngine, QtPdf or Qt3D"

env -i PATH=/usr/bin:/bin HOME="$home" sh "$work/flashcards/install-desktop.sh" >/dev/null \
  || fail "install-desktop.sh failed"
launcher=$home/.local/share/applications/io.github.flashcards.Flashcards.desktop
grep -q "^Exec=$app %F$" "$launcher" || fail "the launcher does not run this build: $(grep ^Exec "$launcher")"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$launcher" || fail "the installed launcher is not valid"
fi
[ -f "$home/.local/share/icons/hicolor/512x512/apps/io.github.flashcards.Flashcards.png" ] \
  || fail "install-desktop.sh installed no icon"
echo "smoke test: install-desktop.sh adds a launcher that runs this build"

echo "smoke test: passed ($(du -sh "$work/flashcards" | cut -f1) unpacked, $(du -h "$archive" | cut -f1) archive)"
