#!/usr/bin/env bash
# The standalone app: PyInstaller's one-folder build of Flashcards, with the desktop files,
# packed as a .tar.gz. Needs only the project's own dependencies installed (pip install .),
# and installs PyInstaller if it is missing.
#
#   packaging/build.sh            ->  dist/flashcards/  and  dist/flashcards-VERSION-linux-ARCH.tar.gz
#
# PYTHON picks the interpreter (default python3). On macOS the same script also leaves
# dist/Flashcards.app; on Windows run PyInstaller on the spec (see packaging/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
app_id=io.github.flashcards.Flashcards

if ! "$python" -c "import PyInstaller" 2>/dev/null; then
  "$python" -m pip install -q "pyinstaller>=6.10"
fi
version=$("$python" -c 'import re, pathlib; print(re.search(r"^__version__ = \"([^\"]+)\"", pathlib.Path("flashcards/__init__.py").read_text(), re.M).group(1))')

started=$(date +%s)
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/flashcards.spec

folder=dist/flashcards
# The desktop files travel with the app: ./install-desktop.sh adds it to the menus.
mkdir -p "$folder/share"
cp "packaging/$app_id.desktop" "packaging/$app_id.metainfo.xml" "packaging/$app_id.mime.xml" \
  "$folder/share/"
cp -r packaging/icons "$folder/share/icons"
cp packaging/install-desktop.sh LICENSE "$folder/"

case "$(uname -s)" in
  Darwin) platform=macos ;;
  *) platform=linux ;;
esac
archive=dist/flashcards-$version-$platform-$(uname -m).tar.gz
tar -C dist -czf "$archive" flashcards

echo "built in $(( $(date +%s) - started )) s:"
echo "  $folder/  $(du -sh "$folder" | cut -f1) unpacked"
echo "  $archive  $(du -h "$archive" | cut -f1)"
