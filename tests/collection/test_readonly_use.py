"""A collection opened read-only can be searched and exported: while the app holds it,
and on read-only media (a folder nobody may write, where SQLite cannot even make the
`-shm` file WAL mode wants)."""

from __future__ import annotations

import ctypes
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from flashcards.cli import main
from flashcards.collection.browse import count_cards, search_cards, search_start
from flashcards.collection.collection import Collection
from flashcards.storage.migrations import SCHEMA_VERSION, create_schema, migrate

DECK = "## VPC {#vpc001}\nA private network.\n\n## Subnet {#sub001}\nA range of a VPC.\n"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    with Collection.open(data, seed=False) as col:
        (col.library / "net.md").write_text(DECK, encoding="utf-8")
        col.sync()
    return data


def _indexes(db: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))
        names = {r[0] for r in rows}
    engine.dispose()
    return names


def test_the_browse_index_is_made_by_the_schema(tmp_path: Path, data: Path) -> None:
    assert "ix_cards_browse" in _indexes(data / "collection.sqlite3")
    old = tmp_path / "v6.sqlite3"
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:
        create_schema(conn, version=6)
    assert "ix_cards_browse" not in _indexes(old)
    assert migrate(engine, old) == 6
    engine.dispose()
    assert "ix_cards_browse" in _indexes(old) and SCHEMA_VERSION >= 7


def test_search_a_collection_open_read_only_while_the_app_holds_it(data: Path) -> None:
    with Collection.open(data, seed=False) as app, Collection.open(data, readonly=True) as ro:
        assert len(search_cards(app, "")) == 2  # the app's own search still works
        assert search_cards(ro, "network") == ["vpc001"]
        assert count_cards(ro, "vpc") == 2
        assert search_start(ro, "subnet").ids == ["sub001"]


@pytest.mark.parametrize("name", ["out.apkg", "out.colpkg", "out.csv"])
def test_export_while_the_app_holds_the_collection(
    name: str, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    with Collection.open(data, seed=False):  # the app
        printed = io.StringIO()
        code = main(["--data-dir", str(data), "export", "-o", str(out)], out=printed)
    assert code == 0, capsys.readouterr().err
    assert "exported 2 card(s)" in printed.getvalue()
    assert "was not noted in it" in printed.getvalue()  # the one thing it could not do
    assert "as it was last synced" in capsys.readouterr().err
    if name == "out.csv":
        assert "A private network." in out.read_text(encoding="utf-8")
    else:
        assert zipfile.is_zipfile(out)


# File modes do not stop root: the child runs without root's right to write (or read)
# anything (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH dropped from its bounding set).
ON_READ_ONLY_MEDIA = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from flashcards.collection.browse import search_cards
    from flashcards.collection.collection import Collection
    from flashcards.core.errors import StorageError
    out = {"writable": __import__("os").access(sys.argv[1], __import__("os").W_OK)}
    try:
        with Collection.open(sys.argv[1], readonly=True) as col:
            out["decks"] = [d.name for d in col.decks()]
            out["found"] = search_cards(col, "subnet")
            out["exported"] = col.export(None, Path(sys.argv[2])).cards
    except StorageError as exc:
        out["error"] = str(exc)
    print(json.dumps(out))
    """
)


def _without_write_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _read_only(folder: Path, out: Path) -> dict[str, object]:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        done = subprocess.run(
            [sys.executable, "-c", ON_READ_ONLY_MEDIA, str(folder), str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=_without_write_override if os.geteuid() == 0 else None,  # noqa: PLW1509
        )
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    if "cannot drop a capability" in done.stderr:
        pytest.skip("root here cannot drop CAP_DAC_OVERRIDE: a read-only folder cannot be made")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_read_only_media(data: Path, tmp_path: Path) -> None:
    assert not (data / "collection.sqlite3-shm").exists()  # closed cleanly: no -shm
    result = _read_only(data, tmp_path / "copy.apkg")
    assert result["writable"] is False  # really read-only for the child
    assert result.get("error") is None
    assert result["decks"] == ["Net"] and result["found"] == ["sub001"]
    assert result["exported"] == 2 and (tmp_path / "copy.apkg").is_file()


def test_read_only_media_with_changes_left_in_the_log(data: Path, tmp_path: Path) -> None:
    copy = tmp_path / "unclean"
    with Collection.open(data, seed=False) as col:
        (col.library / "net.md").write_text(DECK + "\n## Route {#rt0001}\nA path.\n")
        col.sync()  # a change still in the -wal file
        shutil.copytree(data, copy)  # as a crash would leave it
    assert (copy / "collection.sqlite3-wal").stat().st_size > 0
    # With its -shm file beside it, SQLite reads the log too: the last change is there.
    result = _read_only(copy, tmp_path / "copy.apkg")
    assert result.get("error") is None and result["exported"] == 3
    # Without it, a reader would have to make one: say what to do.
    (copy / "collection.sqlite3-shm").unlink()
    result = _read_only(copy, tmp_path / "never.apkg")
    assert "not closed cleanly" in str(result["error"])
    assert "open it once where it can be written" in str(result["error"])


def _cli_on_read_only(folder: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`flashcards --data-dir folder ARGS` in a child that may not write the folder."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    env["HOME"] = str(tmp_path / "home")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "flashcards", "--data-dir", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            preexec_fn=_without_write_override if os.geteuid() == 0 else None,  # noqa: PLW1509
        )
    finally:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    if "cannot drop a capability" in done.stderr:
        pytest.skip("root here cannot drop CAP_DAC_OVERRIDE: a read-only folder cannot be made")
    return done


def test_cli_reads_and_exports_a_collection_in_a_read_only_folder(
    data: Path, tmp_path: Path
) -> None:
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    listed = _cli_on_read_only(data, tmp_path, "decks")
    assert listed.returncode == 0, listed.stderr
    assert "Net" in listed.stdout
    note = "is read-only; reading the collection as it was last saved (nothing can be saved"
    assert note in listed.stderr and len(listed.stderr.strip().splitlines()) == 1
    out = tmp_path / "out.md"
    exported = _cli_on_read_only(data, tmp_path, "export", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "## Subnet" in out.read_text()
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before
