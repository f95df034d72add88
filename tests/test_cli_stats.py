"""`flashcards stats`: the counts as before, true retention as text, and with --json the
statistics window's figures (true_retention, forecast, heatmap, …) for a fixed history."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.collection import Collection
from flashcards.core.days import day_start
from flashcards.storage.convert import to_epoch, to_epoch_ms

DECK = (
    "---\ntitle: Networking\ndomain: Security\n---\n\n"
    "## VPC {#vpc001}\nA private network.\n\n## Subnet {#sub001}\nA range of a VPC.\n"
)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def log(col: Collection, card: str, when: datetime, rating: int, *, interval: int) -> None:
    """A review answer as the app logs it, after an interval of `interval` days."""
    due = to_epoch(when)
    with col._write() as s:
        s.connection().exec_driver_sql(
            "INSERT INTO reviews (card_id, time_ms, rating, duration_ms, kind, state_before, "
            "due_before, last_review_before, state_after, device_id) "
            "VALUES (?, ?, ?, 6000, 'review', 2, ?, ?, 2, 'dev')",
            (card, to_epoch_ms(when), rating, due, due - interval * 86400),
        )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A fixed history, placed on the study days of the moment the test runs (the
    command reads the clock): today 3 young passes, 1 young fail and 1 mature pass;
    yesterday 1 mature fail; ten days ago 2 young passes. One card due in 3 days."""
    data = tmp_path / "data"
    (data / "decks").mkdir(parents=True)
    (data / "decks" / "networking.md").write_text(DECK, encoding="utf-8")
    with Collection.open(data, seed=False) as col:
        col.set_setting("timezone", "UTC")
        col.set_setting("seeded", True)  # the command adds no bundled decks
        today = col.today()
        cfg = col.day_config()

        def at(days_back: int) -> datetime:
            return day_start(today - days_back, cfg.tz, cfg.rollover_hour) + timedelta(minutes=1)

        for rating in (3, 3, 4, 1):
            log(col, "vpc001", at(0), rating, interval=5)
        log(col, "sub001", at(0), 2, interval=30)
        log(col, "sub001", at(1), 1, interval=25)
        log(col, "vpc001", at(10), 3, interval=3)
        log(col, "vpc001", at(10), 3, interval=3)
        col.set_due(["vpc001"], days=3)
    return data


def test_json_keeps_the_counts_and_adds_the_figures(data: Path) -> None:
    code, text = run("--data-dir", str(data), "stats", "--json")
    assert code == 0
    got = json.loads(text)
    for key in ("decks", "cards", "new", "due_today", "reviews_today", "reviews_total"):
        assert key in got  # the keys it always had
    for key in ("true_retention", "forecast", "heatmap", "reviews", "answer_buttons", "hours"):
        assert key in got
    assert got["reviews_total"] == 8
    retention = got["true_retention"]
    assert list(retention) == ["today", "yesterday", "week", "month", "year"]
    assert retention["today"]["young"] == {"passed": 3, "failed": 1, "retention": 0.75}
    assert retention["today"]["mature"] == {"passed": 1, "failed": 0, "retention": 1.0}
    assert retention["yesterday"]["mature"]["failed"] == 1
    assert retention["yesterday"]["young"]["retention"] is None
    assert retention["week"]["total"] == {"passed": 4, "failed": 2, "retention": 4 / 6}
    assert retention["month"]["young"] == {"passed": 5, "failed": 1, "retention": 5 / 6}
    forecast = got["forecast"]
    assert forecast["days"] == 365 and len(forecast["per_day"]) == 365
    assert forecast["per_day"][3]["total"] == 1 and forecast["per_day"][3]["young"] == 1
    assert forecast["total"] == 1
    heat = got["heatmap"]
    assert heat["current_streak"] == 2 and heat["days_studied"] == 3
    assert sorted(heat["days"].values()) == [1, 2, 5]
    assert heat["days"][heat["last_day"]] == 5
    assert got["answer_buttons"]["young"]["again"] == 1
    (security,) = got["true_retention_by_domain"]
    assert security["domain"] == "Security"
    assert security["year"]["total"] == {"passed": 6, "failed": 2, "retention": 0.75}
    assert security["month"]["young"] == {"passed": 5, "failed": 1, "retention": 5 / 6}
    assert sum(h["answers"] for h in got["hours"]) == 8


def test_filters_and_period(data: Path) -> None:
    def year(*extra: str) -> dict[str, int]:
        code, text = run("--data-dir", str(data), "stats", "--json", *extra)
        assert code == 0, text
        return json.loads(text)["true_retention"]["year"]["total"]

    assert year()["passed"] == 6
    assert year("--domain", "Security")["passed"] == 6
    assert year("--deck", "Networking")["passed"] == 6
    assert year("--search", "Subnet") == {"passed": 1, "failed": 1, "retention": 0.5}
    code, text = run("--data-dir", str(data), "stats", "--json", "--period", "month")
    got = json.loads(text)
    assert got["forecast"]["days"] == 30 and got["filter"]["period"] == "month"
    assert got["reviews"]["days_per_bar"] == 1 and len(got["reviews"]["bars"]) == 30


def test_text_prints_true_retention(data: Path) -> None:
    code, text = run("--data-dir", str(data), "stats")
    assert code == 0
    assert "Reviews in total" in text  # the counts, as before
    assert "True retention (all decks)" in text
    today = next(line for line in text.splitlines() if line.startswith("Today"))
    assert "75.0% of 4" in today and "100.0% of 1" in today and "80.0% of 5" in today
    assert "Streak: 2 day(s)" in text


def test_text_lists_true_retention_by_domain_when_there_are_several(data: Path) -> None:
    other = "---\ntitle: Storage\ndomain: Data\n---\n\n## S3 {#s3s3s3}\nObjects.\n"
    (data / "decks" / "storage.md").write_text(other, encoding="utf-8")
    code, text = run("--data-dir", str(data), "stats")
    assert code == 0
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("By exam domain"))
    assert lines[start + 1].split() == ["Data", "—", "—", "0"]
    assert lines[start + 2].split()[:4] == ["Security", "75.0%", "of", "8"]


def test_bad_filters_are_errors(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--data-dir", str(data), "stats", "--deck", "x", "--domain", "y")[0] == 1
    assert "not both" in capsys.readouterr().err
    assert run("--data-dir", str(data), "stats", "--domain", "Nowhere")[0] == 1
    assert "Nowhere" in capsys.readouterr().err
    assert run("--data-dir", str(data), "stats", "--search", '"unclosed')[0] == 1


def test_leeches_per_domain_in_the_text_and_the_json(data: Path) -> None:
    """Issue 14.5: the leeches of each exam domain, beside its true retention."""
    other = (
        "---\ntitle: Storage\ndomain: Data\n---\n\n## S3 {#s3s3s3}\nObjects.\nTags: leech\n"
        "\n## EBS {#ebsebs}\nBlocks.\nTags: leech\n\n## EFS {#efsefs}\nFiles.\n"
    )
    (data / "decks" / "storage.md").write_text(other, encoding="utf-8")
    code, text = run("--data-dir", str(data), "stats", "--json")
    assert code == 0
    got = {d["domain"]: d["leeches"] for d in json.loads(text)["true_retention_by_domain"]}
    assert got == {"Data": 2, "Security": 0}
    code, text = run("--data-dir", str(data), "stats")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("By exam domain"))
    head, data_row, security = lines[start : start + 3]
    assert head.rstrip().endswith("Leeches")
    assert data_row.split()[-1] == "2" and security.split()[-1] == "0"
    # The counts stand under the column's name, right-aligned with it.
    assert len(data_row) == len(security) == len(head.rstrip())
