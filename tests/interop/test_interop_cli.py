"""The command line imports and exports every interop format end to end."""

from __future__ import annotations

import io
from pathlib import Path

from anki_factory import Sample, anki_import

from flashcards.cli import main


def test_cli_import_apkg_then_export_apkg_and_csv(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    out = io.StringIO()
    package = anki_packages["anki21b"][0]
    assert main(["--data-dir", str(data), "import", str(package)], out=out) == 0
    assert "9 new card(s)" in out.getvalue() and "4 review(s)" in out.getvalue()

    apkg = tmp_path / "lang.apkg"
    assert (
        main(["--data-dir", str(data), "export", "--deck", "Lang", "-o", str(apkg)], out=out) == 0
    )
    col = anki_import(apkg, tmp_path / "anki" / "collection.anki2")
    try:
        assert col.note_count() == 5  # the Science deck (one cloze note) is left out
    finally:
        col.close()

    csv = tmp_path / "all.csv"
    assert main(["--data-dir", str(data), "export", "-o", str(csv)], out=out) == 0
    assert csv.read_text(encoding="utf-8").startswith("#separator:Comma\n")


def test_cli_reports_a_hostile_file_as_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"a,b\n\xff\xfe,c\n")
    code = main(["--data-dir", str(tmp_path / "data"), "import", str(bad)], out=io.StringIO())
    assert code != 0


def test_cli_imports_a_single_obsidian_note_when_told(tmp_path: Path) -> None:
    note = tmp_path / "Bio Notes.md"
    note.write_text("#flashcards\n\nCell::Unit of life\n\nBig\n??\nSmall\n", encoding="utf-8")
    out = io.StringIO()
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "import", "--format", "obsidian", str(note)], out=out) == 0
    assert "3 new card(s)" in out.getvalue()
