"""The Today page names the study day: after midnight and before the rollover hour it is
still the evening's day, as the counts, the heatmap and the exam date have it (at
00:40 it said 'Thursday 3 December' beside a Wednesday heatmap)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from flashcards.gui.home_page import HomePage
from flashcards.gui.today import load_today
from tests.gui.conftest import write_library

DECK = "---\ntitle: Tiny\n---\n\n## One {#one001}\nQ\n?\nA\n"


def test_after_midnight_today_is_still_the_evenings_study_day(
    qtbot: QtBot, data_dir: Path, collection: Any
) -> None:
    write_library(data_dir, {"tiny.md": DECK})
    collection.sync()
    tz = collection.day_config().tz
    late = datetime(2026, 12, 3, 0, 40, tzinfo=tz)  # before the 4 a.m. rollover
    today = load_today(collection, now=late)
    assert today.day == date(2026, 12, 2)
    page = HomePage()
    qtbot.addWidget(page)
    page.set_today(today, now=late)
    assert page.date_label.text() == "Wednesday 2 December"
    morning = datetime(2026, 12, 3, 9, 0, tzinfo=tz)
    page.set_today(load_today(collection, now=morning), now=morning)
    assert page.date_label.text() == "Thursday 3 December"
