"""Broken and hostile files get a clear InteropError and nothing is written."""

from __future__ import annotations

import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
import zstandard
from anki_factory import Sample

from flashcards.core.errors import CancelledError, InteropError
from flashcards.interop.anki_package import import_anki_package
from flashcards.interop.safezip import Limits
from flashcards.interop.text_import import read_text_file


def _import(package: Path, tmp_path: Path, *, limits: Limits | None = None) -> None:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    import_anki_package(package, workdir=work, limits=limits)


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def _legacy_members(anki_packages: dict[str, tuple[Path, Sample]]) -> dict[str, bytes]:
    with zipfile.ZipFile(anki_packages["anki21"][0]) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize(
    "name", ["../evil.txt", "media/../../evil.txt", "/etc/evil", "C:\\evil.txt"]
)
def test_path_tricks_are_refused(
    name: str, anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    members = _legacy_members(anki_packages)
    members[name] = b"pwned"
    package = _zip(tmp_path / "evil.apkg", members)
    with pytest.raises(InteropError, match="absolute path|leaves the package"):
        _import(package, tmp_path)
    assert not (tmp_path.parent / "evil.txt").exists()
    assert not (tmp_path / "work" / "collection.sqlite").exists()


def test_symlink_entry_is_refused(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package = tmp_path / "link.apkg"
    with zipfile.ZipFile(package, "w") as z:
        for name, data in _legacy_members(anki_packages).items():
            z.writestr(name, data)
        info = zipfile.ZipInfo("link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, "/etc/passwd")
    with pytest.raises(InteropError, match="symbolic link"):
        _import(package, tmp_path)


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    package = _zip(tmp_path / "bomb.apkg", {"collection.anki21": b"\0" * (8 << 20)})
    with pytest.raises(InteropError, match="compression ratio"):
        _import(package, tmp_path)


def test_total_size_cap_is_enforced(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    with pytest.raises(InteropError, match="limit"):
        _import(anki_packages["anki21"][0], tmp_path, limits=Limits(max_total=10_000))


def test_zstd_bomb_inside_new_layout_is_refused(tmp_path: Path) -> None:
    bomb = zstandard.ZstdCompressor(level=19).compress(b"\0" * (64 << 20))
    package = _zip(tmp_path / "bomb.apkg", {"meta": b"\x08\x03", "collection.anki21b": bomb})
    with pytest.raises(InteropError, match="compression ratio"):
        _import(package, tmp_path)


def test_truncated_sqlite_names_the_file(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    members = _legacy_members(anki_packages)
    members["collection.anki21"] = members["collection.anki21"][:20_000]
    package = _zip(tmp_path / "cut.apkg", members)
    with pytest.raises(InteropError, match=r"cut\.apkg:collection\.anki21"):
        _import(package, tmp_path)


def test_garbage_instead_of_sqlite(tmp_path: Path) -> None:
    package = _zip(tmp_path / "junk.apkg", {"collection.anki21": b"this is not sqlite" * 100})
    with pytest.raises(InteropError, match="junk.apkg"):
        _import(package, tmp_path)


def test_not_a_zip(tmp_path: Path) -> None:
    package = tmp_path / "plain.apkg"
    package.write_bytes(b"hello")
    with pytest.raises(InteropError, match="not a readable zip"):
        _import(package, tmp_path)


def test_unknown_package_version(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    members = _legacy_members(anki_packages)
    members["meta"] = b"\x08\x07"
    package = _zip(tmp_path / "future.apkg", members)
    with pytest.raises(InteropError, match="unknown package version 7"):
        _import(package, tmp_path)


def test_unknown_schema_version(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    members = _legacy_members(anki_packages)
    db_file = tmp_path / "c.db"
    db_file.write_bytes(members["collection.anki21"])
    with sqlite3.connect(db_file) as db:
        db.execute("UPDATE col SET ver = 99")
    members["collection.anki21"] = db_file.read_bytes()
    package = _zip(tmp_path / "schema.apkg", members)
    with pytest.raises(InteropError, match="unknown Anki schema version 99"):
        _import(package, tmp_path)


def test_cancel_stops_the_import(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(CancelledError):
        import_anki_package(
            anki_packages["anki21b"][0], workdir=work, progress=lambda d, t, m: False
        )


def test_csv_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("front,back\ncafé,coffee\n".encode("latin-1"))
    with pytest.raises(InteropError, match=r"latin\.csv:2: is not UTF-8") as info:
        read_text_file(path)
    assert info.value.line == 2


def test_media_names_from_the_package_cannot_escape(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    members = _legacy_members(anki_packages)
    db_file = tmp_path / "c.db"
    db_file.write_bytes(members["collection.anki21"])
    with sqlite3.connect(db_file) as db:
        db.execute("UPDATE notes SET flds = replace(flds, 'café é.jpg', '../../../evil.jpg')")
    members["collection.anki21"] = db_file.read_bytes()
    members["media"] = b'{"0": "../../../evil.jpg"}'
    package = _zip(tmp_path / "names.apkg", members)
    work = tmp_path / "work"
    work.mkdir()
    bundle = import_anki_package(package, workdir=work)
    assert [m.path for m in bundle.media] == ["lang/media/evil.jpg"]
    assert not (tmp_path / "evil.jpg").exists()


def test_declare_notetypes_refuses_front_matter_aliases() -> None:
    # QA repro 1: the front matter a merge rewrites is loaded without aliases, as a deck's.
    from flashcards.core.errors import DeckFormatError
    from flashcards.interop.merge import declare_notetypes

    text = "---\na: &a [x]\nb: [*a, *a]\n---\n## Q {#q1}\nA\n"
    with pytest.raises(DeckFormatError) as info:
        declare_notetypes(text, {"t": {"fields": ["F"]}}, path="deck.md")
    assert (info.value.path, info.value.line) == ("deck.md", 3)


def _mutated(anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path, *sql: str) -> Path:
    """The legacy sample package with `sql` run on its collection."""
    members = _legacy_members(anki_packages)
    db_file = tmp_path / "c.db"
    db_file.write_bytes(members["collection.anki21"])
    with sqlite3.connect(db_file) as db:
        for statement in sql:
            db.execute(statement)
    members["collection.anki21"] = db_file.read_bytes()
    return _zip(tmp_path / "odd.apkg", members)


# QA repro 5: numbers past what Anki stores, or dates past what a date can hold, and values
# of the wrong type gave an OverflowError, a ValueError or a TypeError with no file named.
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "UPDATE cards SET type = 2, queue = 2, due = 9223372036854775807, "
            "ivl = 9223372036854775807",
            r"cards row id=\d+: due 9223372036854775807 is out of range",
        ),
        (
            "INSERT INTO revlog SELECT 9223372036854775807, id, 0, 3, 1, 1, 2500, 1000, 1 "
            "FROM cards LIMIT 1",
            r"revlog row id=9223372036854775807: id 9223372036854775807 is out of range",
        ),
        ("UPDATE notes SET flds = CAST(flds AS BLOB)", r"notes row id=\d+: flds is a blob"),
        (
            "UPDATE cards SET type = 2, due = 2000000",
            r"cards row id=\d+: due 2000000 .*review card's due day",
        ),
        ("UPDATE revlog SET ivl = 1000000", r"revlog row id=\d+: ivl 1000000 .*interval"),
        ("UPDATE cards SET factor = 2500.5", r"cards row id=\d+: factor is a real, not integer"),
        ("UPDATE notes SET tags = x'07'", r"notes row id=\d+: tags is a blob, not text"),
        ("UPDATE cards SET ord = 'one'", r"cards row id=\d+: ord is text, not integer"),
        ("UPDATE col SET crt = -1", r"the col row: crt -1 is out of range"),
    ],
)
def test_values_out_of_range_or_of_the_wrong_type_name_the_row(
    sql: str, message: str, anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package = _mutated(anki_packages, tmp_path, sql)
    with pytest.raises(InteropError, match=r"odd\.apkg:collection\.anki21: " + message):
        _import(package, tmp_path)


def test_extreme_values_anki_accepts_import(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    package = _mutated(
        anki_packages,
        tmp_path,
        "UPDATE cards SET type = 2, queue = 2, due = 199999, ivl = 199999, "
        "factor = 65535, reps = 4294967295",
        "UPDATE revlog SET time = 4294967295, lastIvl = -2147483648, factor = 4294967295",
    )
    _import(package, tmp_path)


def test_a_blob_where_the_new_layout_has_a_name(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    with zipfile.ZipFile(anki_packages["anki21b"][0]) as z:
        members = {n: z.read(n) for n in z.namelist()}
    db_file = tmp_path / "c.db"
    packed = members["collection.anki21b"]
    db_file.write_bytes(zstandard.ZstdDecompressor().decompressobj().decompress(packed))
    db = sqlite3.connect(db_file)
    db.create_collation("unicase", lambda a, b: (a > b) - (a < b))
    with db:
        db.execute("UPDATE decks SET name = CAST(name AS BLOB)")
    db.close()  # the collection is in WAL mode: closing writes the change into the file
    members["collection.anki21b"] = zstandard.ZstdCompressor().compress(db_file.read_bytes())
    package = _zip(tmp_path / "new.apkg", members)
    with pytest.raises(InteropError, match=r"new\.apkg:collection\.anki21b: unreadable"):
        _import(package, tmp_path)


def test_a_refused_package_changes_nothing(
    anki_packages: dict[str, tuple[Path, Sample]], tmp_path: Path
) -> None:
    from flashcards.collection.collection import Collection

    package = _mutated(anki_packages, tmp_path, "UPDATE notes SET flds = CAST(flds AS BLOB)")
    deck = tmp_path / "mine.md"
    deck.write_text("## Mine {#m1}\n\nkept\n", encoding="utf-8")
    with Collection.open(tmp_path / "data", seed=False) as col:
        col.import_path(deck)
        before = {p: p.read_bytes() for p in col.library.rglob("*") if p.is_file()}
        with pytest.raises(InteropError, match="flds is a blob"):
            col.import_path(package)
        after = {p: p.read_bytes() for p in col.library.rglob("*") if p.is_file()}
        assert after == before
        assert len(col.queue(None)) == 1
