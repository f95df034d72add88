"""The `flashcards` command, in-process through `main(argv)` and once as a process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flashcards.cli import main

DECK = (
    "---\ntitle: Networking\ndomain: Security\n---\n\n"
    "## VPC {#vpc001}\nA private network.\n\n## Subnet\nA range of a VPC.\n"
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def deck_file(tmp_path: Path) -> Path:
    path = tmp_path / "networking.md"
    path.write_text(DECK, encoding="utf-8")
    return path


def test_import_then_decks_json(data: Path, deck_file: Path) -> None:
    code, text = run("--data-dir", str(data), "import", str(deck_file))
    assert code == 0 and "2 new card(s)" in text
    code, text = run("--data-dir", str(data), "decks", "--json")
    decks = {d["name"]: d for d in json.loads(text)}
    assert decks["Networking"]["total"] == 2 and decks["Networking"]["new"] == 2
    assert decks["Networking"]["domain"] == "Security"
    code, text = run("--data-dir", str(data), "decks")
    assert code == 0 and "Networking" in text and "Total" in text


def test_data_dir_from_environment(
    data: Path, deck_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASHCARDS_DATA_DIR", str(data))
    assert run("import", str(deck_file))[0] == 0
    assert (data / "decks" / "networking.md").is_file()


def test_stats_and_check(data: Path, deck_file: Path) -> None:
    run("--data-dir", str(data), "import", str(deck_file))
    code, text = run("--data-dir", str(data), "stats", "--json")
    stats = json.loads(text)
    assert code == 0 and stats["new"] >= 2 and stats["reviews_total"] == 0
    code, text = run("--data-dir", str(data), "stats")
    assert "Due today" in text
    code, text = run("--data-dir", str(data), "check")
    assert code == 0, text


def test_check_reports_a_broken_deck(data: Path) -> None:
    run("--data-dir", str(data), "decks")
    (data / "decks" / "broken.md").write_text("## A {#same01}\nx\n\n## B {#same01}\ny\n")
    code, text = run("--data-dir", str(data), "check")
    assert code == 1
    assert "problem: broken.md:4:" in text


def test_export_markdown(data: Path, deck_file: Path, tmp_path: Path) -> None:
    run("--data-dir", str(data), "import", str(deck_file))
    out = tmp_path / "out.md"
    code, text = run("--data-dir", str(data), "export", "--deck", "Networking", "-o", str(out))
    assert code == 0 and "exported 2 card(s)" in text
    assert "## VPC {#vpc001}" in out.read_text()


def test_malformed_import_is_an_error_on_stderr(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("## A {#same01}\nx\n\n## B {#same01}\ny\n")
    code, _ = run("--data-dir", str(data), "import", str(bad))
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"flashcards: error: {bad}:4:")


def test_unknown_deck_and_missing_folder_are_errors(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run("--data-dir", str(data), "export", "--deck", "Nope", "-o", str(tmp_path / "x"))[0] == 1
    )
    assert "no deck or folder called 'Nope'" in capsys.readouterr().err
    (tmp_path / "file").write_text("")
    assert run("--data-dir", str(tmp_path / "file" / "such"), "decks")[0] == 1
    assert "cannot create data folder" in capsys.readouterr().err


def test_usage_errors_exit_2(data: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", str(data), "export"])  # -o is required
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["--data-dir", str(data), "decks", "--bogus"])
    assert exc.value.code == 2


def test_as_a_process(data: Path, deck_file: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo), "FLASHCARDS_DATA_DIR": str(data)}
    done = subprocess.run(
        [sys.executable, "-m", "flashcards.cli", "import", str(deck_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "flashcards.cli", "decks", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "Networking" in done.stdout
    # While another process holds the collection, reading works and writing is refused.
    from flashcards.collection import Collection

    with Collection.open(data):
        read = subprocess.run(
            [sys.executable, "-m", "flashcards.cli", "decks", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        write = subprocess.run(
            [sys.executable, "-m", "flashcards.cli", "import", str(deck_file)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert read.returncode == 0 and "Networking" in read.stdout
    assert "open in the app" in read.stderr
    assert write.returncode == 1
    assert "flashcards: error:" in write.stderr and "open in another" in write.stderr


def test_a_reader_that_stops_listening_ends_the_command_quietly(data: Path) -> None:
    """`flashcards decks | head -1`: no traceback when the pipe closes early."""
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo), "FLASHCARDS_DATA_DIR": str(data)}
    child = subprocess.Popen(
        [sys.executable, "-m", "flashcards.cli", "decks"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # nobody reads: the command's first write meets a closed pipe
    with child.stderr:
        stderr = child.stderr.read().decode()
    assert child.wait(timeout=120) == 141
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_export_an_exam_domain(data: Path, deck_file: Path, tmp_path: Path) -> None:
    assert run("--data-dir", str(data), "import", str(deck_file))[0] == 0
    code, text = run(
        "--data-dir", str(data), "export", "--deck", "domain:security", "-o", str(tmp_path / "s")
    )
    assert code == 0 and "exported 2 card(s)" in text
    assert [p.name for p in (tmp_path / "s").rglob("*.md")] == ["networking.md"]
    code, _ = run("--data-dir", str(data), "export", "--deck", "domain:Nowhere", "-o", "x.apkg")
    assert code == 1


def _fresh_home_env(home: Path) -> dict[str, str]:
    """A stranger's machine: HOME is an empty folder and no XDG_* or data-dir variable."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("XDG_") and k != "FLASHCARDS_DATA_DIR"
    }
    env["HOME"] = str(home)
    repo = Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = str(repo) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_a_fresh_home_gets_its_data_folder_and_the_bundled_decks(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "flashcards", "decks", "--json"],
        env=_fresh_home_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    names = [d["name"] for d in json.loads(done.stdout)]
    assert "Getting started" in names and len(names) > 10
    data = home / ".local" / "share" / "flashcards"
    assert (data / "collection.sqlite3").is_file()
    assert (data / "decks" / "getting-started.md").is_file()


@pytest.mark.parametrize("command", ["stats", "check", "sync"])
def test_every_command_works_in_a_fresh_home(tmp_path: Path, command: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "flashcards", command],
        env=_fresh_home_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (home / ".local" / "share" / "flashcards" / "decks").is_dir()


def test_version_and_the_apps_options_parse_either_way(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == "flashcards 0.1.0"
    from flashcards.cli import build_parser

    for argv in (["--theme", "dark"], ["--theme=dark"]):
        args, extra = build_parser().parse_known_args(argv)
        assert (args.command, args.theme, extra) == (None, "dark", [])


def test_a_malformed_deck_left_out_is_named_on_stderr(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = data / "decks"
    library.mkdir(parents=True)
    (library / "good.md").write_text(DECK, encoding="utf-8")
    (library / "bad.md").write_text(
        "## A {#aaaaaa}\nx\n\n## B {#aaaaaa}\ny\n", encoding="utf-8"
    )
    code, text = run("--data-dir", str(data), "decks")
    assert code == 0 and "Networking" in text and "Bad" not in text
    err = capsys.readouterr().err
    assert "left out a malformed deck" in err
    assert "bad.md:4: id #aaaaaa is already used on line 1" in err
