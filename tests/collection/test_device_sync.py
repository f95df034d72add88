"""Studying on two machines (issue 21, docs/sync.md): the cases by name."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from device_helpers import (
    T0,
    deliver,
    exchange,
    log_files,
    make_machine,
    open_machine,
    rebuilt,
    snapshot,
)

from flashcards.collection.device_travel import TRAVELS
from flashcards.core.model import CardState, Flag, Rating
from flashcards.core.scheduling import Preset


@pytest.fixture
def machines(tmp_path: Path) -> tuple[Path, Path]:
    return make_machine(tmp_path, "laptop"), make_machine(tmp_path, "desktop")


def _own_log(data: Path) -> Path:
    (path,) = [p for p in log_files(data) if p.name.startswith("reviews-")]
    return path


def test_answers_on_both_machines_meet_in_either_order(machines: tuple[Path, Path]) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        a.answer("c00000", Rating.GOOD, now=T0)
        a.answer("c00001", Rating.AGAIN, now=T0 + timedelta(minutes=1))
        b.answer("c00002", Rating.EASY, now=T0 + timedelta(minutes=2))
        b.set_flag(["c00000"], Flag.RED)
        deliver(laptop, desktop)
        report = b.sync(now=T0 + timedelta(minutes=3))
        assert report.events_merged >= 2 and report.cards_merged == {"c00000", "c00001"}
        assert b.card("c00000").flag is Flag.RED and b.card("c00000").reps == 1
        deliver(desktop, laptop)
        a.sync(now=T0 + timedelta(minutes=3))
        assert snapshot(a) == snapshot(b)
        assert [h.rating for h in a.history("c00002")] == [Rating.EASY]
        # The Today counts follow: the desktop's new card is no longer new here.
        assert (
            a.counts(now=T0 + timedelta(minutes=4))[0] == b.counts(now=T0 + timedelta(minutes=4))[0]
        )
    finally:
        a.close()
        b.close()
    # No file was written by both: each machine wrote in its own folder only.
    folders = {p.parent.name for p in log_files(laptop)}
    assert len(folders) == 2
    assert not [p for p in log_files(laptop) if "conflict" in p.name]


def test_the_same_card_answered_on_both_is_the_same_everywhere(
    machines: tuple[Path, Path],
) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        a.answer("c00000", Rating.GOOD, now=T0)
        b.answer("c00000", Rating.AGAIN, now=T0 + timedelta(hours=1))  # not seen yet
        exchange(laptop, desktop)
        a.sync(now=T0 + timedelta(hours=2))
        b.sync(now=T0 + timedelta(hours=2))
        assert snapshot(a) == snapshot(b)
        history = a.history("c00000")
        assert [h.rating for h in history] == [Rating.GOOD, Rating.AGAIN]
        assert a.card("c00000").reps == 2  # both answers count, in time order
    finally:
        a.close()
        b.close()


def test_deleting_the_database_gives_back_every_history_and_state(
    machines: tuple[Path, Path],
) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        for day in range(5):
            when = T0 + timedelta(days=day)
            a.answer(f"c0000{day}", Rating.GOOD, now=when)
            b.answer("c00009", Rating.HARD if day % 2 else Rating.GOOD, now=when)
            exchange(laptop, desktop)
            a.sync(now=when)
            b.sync(now=when)
        a.suspend(["c00007"])
        a.reset(["c00001"], now=T0 + timedelta(days=6))
        a.set_due(["c00008"], days=4, now=T0 + timedelta(days=6))
        exchange(laptop, desktop)
        b.sync(now=T0 + timedelta(days=6))
        expected = snapshot(a)
        assert snapshot(b) == expected
    finally:
        a.close()
        b.close()
    assert rebuilt(laptop) == expected
    # The other machine loses its database too: still everything, from the logs.
    assert rebuilt(desktop) == expected


def test_a_torn_duplicated_or_late_file_changes_nothing_acknowledged(
    machines: tuple[Path, Path],
) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        # The laptop studies across a month's end: two files.
        a.answer("c00000", Rating.GOOD, now=T0 - timedelta(days=3))  # February
        a.answer("c00001", Rating.GOOD, now=T0)  # March
        a.answer("c00002", Rating.EASY, now=T0 + timedelta(minutes=1))
        b.answer("c00003", Rating.GOOD, now=T0 + timedelta(minutes=2))
        acknowledged = snapshot(b)
        march, february = sorted(
            (p for p in log_files(laptop) if p.name.startswith("reviews-")), reverse=True
        )
        # March arrives first, caught half-way through its last line.
        size = march.stat().st_size
        deliver(laptop, desktop, files=[march], cut={march: size - 7})
        report = b.sync(now=T0 + timedelta(minutes=3))
        assert report.errors == ()  # a torn last line is not a problem, only unfinished
        assert b.history("c00002") == [] and len(b.history("c00001")) == 1
        assert [r for r in snapshot(b)[1] if r[0] == "c00003"] == [
            r for r in acknowledged[1] if r[0] == "c00003"
        ]
        # Then the rest, February last, plus a sync engine's conflict copy of March.
        deliver(laptop, desktop, files=[march])
        copy = march.with_name("reviews-2026-03.sync-conflict-20260302-101112-ABCDEFG.log")
        shutil.copy(march, copy)
        deliver(laptop, desktop, files=[copy, february])
        b.sync(now=T0 + timedelta(minutes=4))
        # Lines twice over in one file count once too.
        target = desktop / "decks" / march.relative_to(laptop / "decks")
        target.write_bytes(target.read_bytes() * 2)
        b.sync(now=T0 + timedelta(minutes=5))
        for card in ("c00000", "c00001", "c00002", "c00003"):
            assert len(b.history(card)) == 1, card
        deliver(desktop, laptop)
        a.sync(now=T0 + timedelta(minutes=5))
        assert snapshot(a) == snapshot(b)
    finally:
        a.close()
        b.close()


def test_a_bad_line_is_named_and_skipped(machines: tuple[Path, Path]) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        a.answer("c00000", Rating.GOOD, now=T0)
        a.answer("c00001", Rating.GOOD, now=T0)
        deliver(laptop, desktop)
        target = desktop / "decks" / _own_log(laptop).relative_to(laptop / "decks")
        lines = target.read_bytes().splitlines(keepends=True)
        target.write_bytes(lines[0] + b'{"i": "oops"}\n' + b"".join(lines[1:]))
        report = b.sync(now=T0)
        (problem,) = report.errors
        assert problem.endswith(":2: 'i' must be a whole number >= 0")
        assert target.name in problem
        assert len(b.history("c00000")) == 1 and len(b.history("c00001")) == 1
    finally:
        a.close()
        b.close()


def test_two_git_clones_pull_and_push(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")

    def run(cwd: Path, *args: str) -> str:
        done = subprocess.run(
            [git, "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    origin = tmp_path / "origin.git"
    run(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    laptop = make_machine(tmp_path, "laptop")
    library = laptop / "decks"
    run(library, "init", "-q", "-b", "main")
    run(library, "add", "-A")
    run(library, "commit", "-q", "-m", "decks")
    run(library, "remote", "add", "origin", str(origin))
    run(library, "push", "-q", "origin", "main")
    desktop = tmp_path / "desktop"
    desktop.mkdir()
    run(desktop, "clone", "-q", str(origin), "decks")

    def commit_and_push(data: Path, message: str) -> None:
        run(data / "decks", "add", "-A")
        run(data / "decks", "commit", "-q", "-m", message)
        run(data / "decks", "pull", "-q", "--no-rebase", "origin", "main")
        run(data / "decks", "push", "-q", "origin", "main")

    a, b = open_machine(laptop), open_machine(desktop)
    try:
        a.answer("c00000", Rating.GOOD, now=T0)
        b.answer("c00000", Rating.HARD, now=T0 + timedelta(minutes=5))  # the same card
        b.answer("c00001", Rating.EASY, now=T0 + timedelta(minutes=6))
        commit_and_push(laptop, "laptop")
        commit_and_push(desktop, "desktop")  # merges the laptop's push: no conflict
        run(laptop / "decks", "pull", "-q", "--no-rebase", "origin", "main")
        a.sync(now=T0 + timedelta(minutes=7))
        b.sync(now=T0 + timedelta(minutes=7))
        assert snapshot(a) == snapshot(b)
        assert len(a.history("c00000")) == 2 and len(a.history("c00001")) == 1
        # More study, more pushes: still in step, never a conflict.
        a.answer("c00002", Rating.GOOD, now=T0 + timedelta(hours=1))
        commit_and_push(laptop, "laptop again")
        b.answer("c00003", Rating.GOOD, now=T0 + timedelta(hours=1))
        commit_and_push(desktop, "desktop again")
        run(laptop / "decks", "pull", "-q", "--no-rebase", "origin", "main")
        a.sync(now=T0 + timedelta(hours=2))
        b.sync(now=T0 + timedelta(hours=2))
        assert snapshot(a) == snapshot(b)
        assert "<<<<<<<" not in "".join(p.read_text() for p in log_files(laptop))
    finally:
        a.close()
        b.close()


def test_presets_deck_presets_and_exam_dates_travel_time_zone_does_not(
    machines: tuple[Path, Path],
) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        cram = a.save_preset(Preset(name="Cram", desired_retention=0.95, new_per_day=50))
        a.set_deck_preset("sync.md", cram)
        a.set_setting("exam_dates", {"": "2026-06-01"})
        a.set_setting("rollover_hour", 6)
        a.set_setting("timezone", "Europe/Paris")  # this machine's own
        deliver(laptop, desktop)
        report = b.sync(now=T0)
        assert report.settings_merged
        names = {p.name: p for p in b.presets().values()}
        assert names["Cram"].desired_retention == 0.95 and names["Cram"].new_per_day == 50
        assert b.preset_for("sync.md").name == "Cram"
        assert b.setting("exam_dates") == {"": "2026-06-01"} and b.setting("rollover_hour") == 6
        assert b.setting("timezone") == "UTC"
        # Edited on the desktop later: the laptop takes the later edit.
        (local,) = [i for i, p in b.presets().items() if p.name == "Cram"]
        b.devices.wall = lambda: T0 + timedelta(hours=1)
        b.save_preset(Preset(name="Cram", desired_retention=0.93), preset_id=local)
        deliver(desktop, laptop)
        a.sync(now=T0 + timedelta(hours=1))
        assert a.presets()[cram].desired_retention == 0.93
        assert "timezone" not in TRAVELS
    finally:
        a.close()
        b.close()


def test_undo_on_one_machine_is_undone_on_the_other(machines: tuple[Path, Path]) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        a.answer("c00000", Rating.GOOD, now=T0)
        deliver(laptop, desktop)
        b.sync(now=T0)
        assert b.card("c00000").reps == 1
        a.undo()
        deliver(laptop, desktop)
        b.sync(now=T0 + timedelta(minutes=1))
        assert b.card("c00000").memory.state is CardState.NEW and b.history("c00000") == []
        a.redo()
        deliver(laptop, desktop)
        b.sync(now=T0 + timedelta(minutes=2))
        assert b.card("c00000").reps == 1 and snapshot(a) == snapshot(b)
    finally:
        a.close()
        b.close()


def test_a_sync_engine_replacing_our_log_with_an_old_copy_loses_nothing(
    machines: tuple[Path, Path],
) -> None:
    laptop, _desktop = machines
    a = open_machine(laptop)
    try:
        a.answer("c00000", Rating.GOOD, now=T0)
        log = _own_log(laptop)
        old = log.read_bytes()
        a.answer("c00001", Rating.GOOD, now=T0 + timedelta(minutes=1))
        replacement = log.with_name("incoming.tmp")
        replacement.write_bytes(old[:-5])  # an older version, itself cut mid-line
        replacement.replace(log)
        a.answer("c00002", Rating.GOOD, now=T0 + timedelta(minutes=2))
        a.sync(now=T0 + timedelta(minutes=3))  # puts back what the log lost
        expected = snapshot(a)
    finally:
        a.close()
    assert rebuilt(laptop) == expected
    assert [r[0] for r in expected[1]] == ["c00000", "c00001", "c00002"]


def test_a_power_cut_that_took_the_last_lines_is_mended_at_the_next_open(
    machines: tuple[Path, Path],
) -> None:
    laptop, _desktop = machines
    a = open_machine(laptop)
    try:
        for i in range(3):
            a.answer(f"c0000{i}", Rating.GOOD, now=T0 + timedelta(minutes=i))
    finally:
        a.close()
    log = _own_log(laptop)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-1]) + lines[-1][:10])  # the last answer half gone
    a = open_machine(laptop)
    try:
        expected = snapshot(a)
        assert len(a.history("c00002")) == 1
    finally:
        a.close()
    assert log.read_bytes().count(b'"k":"answer"') == 3  # written again, whole
    assert rebuilt(laptop) == expected


def test_a_data_folder_copied_to_another_machine_gets_its_own_device(tmp_path: Path) -> None:
    laptop = make_machine(tmp_path, "laptop")
    a = open_machine(laptop)
    first = a.devices.device
    a.close()
    copy = tmp_path / "elsewhere"
    shutil.copytree(laptop, copy)
    stored = json.loads((copy / "device.json").read_text())
    stored["machine"] = "another-machine"
    (copy / "device.json").write_text(json.dumps(stored))
    b = open_machine(copy)
    try:
        assert b.devices.device != first
        assert b.setting("device_id") == b.devices.device
    finally:
        b.close()
    again = open_machine(laptop)  # the original keeps its id
    try:
        assert again.devices.device == first
    finally:
        again.close()


def test_the_first_open_after_the_upgrade_writes_the_history_once(
    machines: tuple[Path, Path],
) -> None:
    laptop, desktop = machines
    a = open_machine(laptop)
    a.answer("c00000", Rating.GOOD, now=T0)
    a.set_flag(["c00001"], Flag.BLUE)
    a.close()
    # As an older version left it: history in the database, no log, no events.
    shutil.rmtree(laptop / "decks" / ".flashcards")
    with sqlite3.connect(laptop / "collection.sqlite3") as raw:
        raw.execute("DELETE FROM events")
        raw.execute("DELETE FROM log_files")
        raw.execute("UPDATE cards SET head = NULL")
        raw.execute("DELETE FROM settings WHERE key IN ('device_log_started', 'device_log_clock')")
    a = open_machine(laptop)
    try:
        before = snapshot(a)
        (upgrade,) = [p for p in log_files(laptop) if p.name.startswith("upgrade-")]
        kinds = [
            json.loads(line)["k"]
            for line in gzip.decompress(upgrade.read_bytes()).split(b"\n")
            if line
        ]
        assert kinds.count("history") == 1 and kinds.count("state") == 2
        a.sync(now=T0)
        assert len([p for p in log_files(laptop) if p.name.startswith("upgrade-")]) == 1
    finally:
        a.close()
    deliver(laptop, desktop)
    b = open_machine(desktop)
    try:
        assert len(b.history("c00000")) == 1 and b.card("c00001").flag is Flag.BLUE
        ours = snapshot(b)
    finally:
        b.close()
    assert [r[1:] for r in ours[0]] == [r[1:] for r in before[0]]


def test_reviews_of_a_deck_that_has_not_arrived_wait_for_it(
    machines: tuple[Path, Path],
) -> None:
    laptop, desktop = machines
    (laptop / "decks" / "extra.md").write_text("## Extra {#extra1}\nq\n?\na\n", encoding="utf-8")
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        a.answer("extra1", Rating.GOOD, now=T0)
        deliver(laptop, desktop)
        b.sync(now=T0)  # the log came first; the deck file is still on its way
        shutil.copy(laptop / "decks" / "extra.md", desktop / "decks" / "extra.md")
        b.sync(now=T0 + timedelta(minutes=1))
        assert b.card("extra1").reps == 1 and len(b.history("extra1")) == 1
        assert snapshot(a) == snapshot(b)
    finally:
        a.close()
        b.close()


def test_a_restore_goes_back_on_both_machines(machines: tuple[Path, Path]) -> None:
    from flashcards.collection.backup import restore

    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        a.answer("c00000", Rating.GOOD, now=T0)
        made = a.backups.create(now=T0)
        a.answer("c00001", Rating.GOOD, now=T0 + timedelta(minutes=1))
        b.answer("c00002", Rating.GOOD, now=T0 + timedelta(minutes=1))
        exchange(laptop, desktop)
        a.sync(now=T0 + timedelta(minutes=2))
        a, _report = restore(a, made.path, now=T0 + timedelta(minutes=3))
        a.devices.wall = lambda: T0 + timedelta(minutes=3)
        assert a.history("c00001") == [] and a.history("c00002") == []
        assert len(a.history("c00000")) == 1
        exchange(laptop, desktop)
        b.sync(now=T0 + timedelta(minutes=4))
        a.sync(now=T0 + timedelta(minutes=4))
        assert snapshot(a) == snapshot(b)
        assert b.history("c00002") == []
    finally:
        a.close()
        b.close()


def test_closed_months_everyone_has_read_are_compacted(machines: tuple[Path, Path]) -> None:
    laptop, desktop = machines
    a, b = open_machine(laptop), open_machine(desktop)
    try:
        b.answer("c00005", Rating.GOOD, now=T0 - timedelta(days=50))  # the desktop is known
        deliver(desktop, laptop)
        a.answer("c00000", Rating.GOOD, now=T0 - timedelta(days=40))  # January
        a.answer("c00001", Rating.GOOD, now=T0)  # March
        january = a.devices.folder / "reviews-2026-01.log"  # the laptop's own
        later = T0 + timedelta(days=20)  # January ended more than a month ago
        a.devices.wall = lambda: later
        a.devices.compacted_day = 0
        a.sync(now=later)
        assert january.exists()  # the desktop has not read it yet: kept as it is
        deliver(laptop, desktop)
        b.sync(now=later)  # it reads it, and says so in its seen.json
        deliver(desktop, laptop)
        a.devices.compacted_day = 0
        a.sync(now=later)
        assert not january.exists()
        packed = january.with_name("reviews-2026-01.log.gz")
        assert gzip.decompress(packed.read_bytes()).count(b'"k":"answer"') == 1
        assert (january.with_name("reviews-2026-03.log")).exists()  # not closed yet
        deliver(laptop, desktop)
        b.sync(now=later)
        assert snapshot(a) == snapshot(b)
        expected = snapshot(a)
    finally:
        a.close()
        b.close()
    assert rebuilt(desktop) == expected  # a rebuild reads the compacted month


def test_a_new_machine_opening_a_shared_library_gets_no_bundled_decks(tmp_path: Path) -> None:
    laptop = make_machine(tmp_path, "laptop")
    a = open_machine(laptop)
    a.answer("c00000", Rating.GOOD, now=T0)
    a.close()
    desktop = tmp_path / "desktop"
    shutil.copytree(laptop / "decks", desktop / "decks")
    from flashcards.collection import Collection

    with Collection.open(desktop) as b:  # seeding allowed, as on a first start
        assert [d.file for d in b.decks(now=T0)] == ["sync.md"]
        assert len(b.history("c00000")) == 1
