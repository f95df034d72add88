"""The Linux desktop files in packaging/: valid (appstreamcli, desktop-file-validate when
installed), consistent with each other and the app, and installed by install-desktop.sh
into a user's own folders."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flashcards import __version__
from flashcards.cli import OPENABLE as CLI_OPENABLE

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "io.github.flashcards.Flashcards"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / f"{APP_ID}.mime.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _mime_types() -> dict[str, list[str]]:
    root = ET.parse(MIME).getroot()
    return {
        t.attrib["type"]: [g.attrib["pattern"] for g in t.iter(f"{MIME_NS}glob")]
        for t in root.iter(f"{MIME_NS}mime-type")
    }


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="Debian's appstream not installed")
def test_appstreamcli_accepts_the_metainfo() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_desktop_file_validate_accepts_the_launcher() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout


def test_the_metainfo_names_this_version_the_launcher_and_the_file_types() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("project_license") == "MIT"
    releases = [r.attrib["version"] for r in root.iter("release")]
    assert releases[0] == __version__  # the newest release first, as AppStream wants
    assert root.findtext("launchable") == DESKTOP.name
    assert sorted(m.text or "" for m in root.iter("mediatype")) == sorted(_mime_types())


def test_the_launcher_opens_the_packages_the_app_imports() -> None:
    from flashcards.gui.desktop import DESKTOP_FILE, OPENABLE

    entry = _entry()
    assert DESKTOP_FILE == APP_ID  # the window says which launcher it belongs to
    assert entry["Exec"] == "flashcards %F" and entry["Icon"] == APP_ID
    types = _mime_types()
    assert sorted(t for t in entry["MimeType"].split(";") if t) == sorted(types)
    globs = sorted(g for patterns in types.values() for g in patterns)
    assert globs == sorted(f"*{suffix}" for suffix in OPENABLE)
    assert CLI_OPENABLE == OPENABLE


def test_icons_are_drawn_at_every_size_from_16_to_512() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = PACKAGING / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        header = png.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n", png
        assert struct.unpack(">II", header[16:24]) == (size, size), png
    scalable = PACKAGING / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (ROOT / "resources" / "flashcards.svg").read_bytes()


def _install(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(home)}
    return subprocess.run(
        ["sh", str(PACKAGING / "install-desktop.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_install_desktop_puts_everything_in_the_users_own_folders_and_takes_it_away(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    app = tmp_path / "my apps" / "flashcards"
    app.parent.mkdir()
    app.write_text("#!/bin/sh\n")
    app.chmod(0o755)
    result = _install(home, "--exec", str(app))
    assert result.returncode == 0, result.stderr
    share = home / ".local" / "share"
    launcher = (share / "applications" / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    assert f'Exec="{app}" %F' in launcher  # a path with a space is quoted
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "mime" / "packages" / f"{APP_ID}.xml").is_file()
    if shutil.which("update-mime-database"):  # the database is rebuilt when the tool exists
        assert "*.apkg" in (share / "mime" / "globs2").read_text(encoding="utf-8")
    if shutil.which("update-desktop-database"):
        cache = (share / "applications" / "mimeinfo.cache").read_text(encoding="utf-8")
        assert f"application/x-apkg={APP_ID}.desktop" in cache
    result = _install(home, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not (share / "applications" / f"{APP_ID}.desktop").exists()
    assert not list(share.glob(f"icons/hicolor/*/apps/{APP_ID}.*"))
    assert not (share / "mime" / "packages" / f"{APP_ID}.xml").exists()
