"""The "Study these" session without Qt: a list of cards, due ones reviewed, the rest
practised, on a real collection through the synchronous runner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from flashcards.core.model import CardState, NoteId, Rating, ReviewKind
from flashcards.gui.concept_map.study_session import ListStudyController
from flashcards.gui.review_models import ReviewState

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

DECK = """\
---
title: Study
domain: Modeling
---

## Alpha {#alpha1}
First fact.

## Beta {#beta01}
Second fact.

## Gamma {#gamma1}
Third {{fact}} and {{c2::more}}.
"""


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    library = tmp_path / "data" / "decks"
    library.mkdir(parents=True)
    (library / "study.md").write_text(DECK, encoding="utf-8")
    return tmp_path / "data"


class Screen:
    """Records what the controller shows (the ReviewView interface)."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, Any]] = []

    def _log(self, name: str, value: Any = None) -> None:
        self.shown.append((name, value))

    def show_loading(self) -> None:
        self._log("loading")

    def show_question(self, screen: Any) -> None:
        self._log("question", screen.card_id)

    def show_answer(self, screen: Any) -> None:
        self._log("answer", screen.card_id)

    def show_summary(self, summary: Any) -> None:
        self._log("summary", summary)

    def show_progress(self, progress: Any) -> None:
        self._log("progress", progress)

    def show_editor(self, source: Any) -> None:
        self._log("editor", source.text)

    def show_related(self, related: Any) -> None:
        self._log("related", related)

    def show_message(self, text: str) -> None:
        self._log("message", text)


def _controller(runner: Any) -> tuple[ListStudyController, Screen]:
    screen = Screen()
    clock = iter(float(i) for i in range(1000))
    return ListStudyController(screen, runner, now=lambda: NOW, clock=lambda: next(clock)), screen


def _answer(controller: ListStudyController, rating: Rating = Rating.GOOD) -> None:
    controller.reveal()
    assert controller.state is ReviewState.ANSWER
    controller.answer(rating)


def test_due_cards_are_reviewed_and_others_practised(runner: Any, collection: Any) -> None:
    collection.answer("alpha1", Rating.EASY, now=NOW - timedelta(hours=2))  # due in days
    not_due = collection.card("alpha1").memory
    controller, screen = _controller(runner)
    controller.start(["alpha1", "beta01", "alpha1"])  # duplicates collapse
    assert controller.cards == ["alpha1", "beta01"]
    assert ("message", "Not due: practice only, its schedule stays as it is.") in screen.shown
    assert controller.screen is not None and controller.screen.loaded.intervals == {}
    _answer(controller, Rating.AGAIN)
    assert controller.screen is not None and controller.screen.loaded.intervals  # due: shown
    _answer(controller)
    assert controller.state is ReviewState.SUMMARY
    assert [(s.card_id, s.practised, s.rating) for s in controller.studied] == [
        ("alpha1", True, Rating.AGAIN),
        ("beta01", False, Rating.GOOD),
    ]
    assert collection.card("alpha1").memory == not_due
    assert [h.kind for h in collection.history("alpha1")] == [
        ReviewKind.REVIEW,
        ReviewKind.PRACTICE,
    ]
    assert collection.card("beta01").memory.state is not CardState.NEW
    summary = screen.shown[-1][1]
    assert summary.reviewed == 2 and summary.again == 1


def test_undo_takes_back_the_last_answer(runner: Any, collection: Any) -> None:
    controller, _ = _controller(runner)
    controller.start(["beta01", "gamma1:c1"])
    _answer(controller)
    assert controller.progress.done == 1
    controller.undo()
    assert controller.position == 0 and controller.studied == []
    assert controller.screen is not None and controller.screen.card_id == "beta01"
    assert collection.card("beta01").memory.state is CardState.NEW
    assert collection.history("beta01") == []


def test_suspend_skips_a_card_and_flags_stay_on_screen(runner: Any, collection: Any) -> None:
    controller, screen = _controller(runner)
    controller.start(["gamma1:c1", "gamma1:c2"])
    from flashcards.core.model import Flag

    controller.set_flag(Flag.RED)
    assert collection.card("gamma1:c1").flag is Flag.RED
    controller.suspend()
    assert collection.card("gamma1:c1").suspended
    assert controller.skipped == ["gamma1:c1"]
    assert controller.screen is not None and controller.screen.card_id == "gamma1:c2"
    _answer(controller)
    assert controller.state is ReviewState.SUMMARY
    assert [s.card_id for s in controller.studied] == ["gamma1:c2"]


def test_edit_shows_the_note_source_and_saving_keeps_history(
    runner: Any, collection: Any, data_dir: Path
) -> None:
    collection.answer("beta01", Rating.GOOD, now=NOW - timedelta(days=1))
    controller, screen = _controller(runner)
    controller.start(["beta01"])
    controller.edit()
    source = screen.shown[-1][1]
    assert source.startswith("## Beta {#beta01}")
    controller.save_edit(NoteId("beta01"), source.replace("Second fact.", "Second fact, edited."))
    assert "Second fact, edited." in (data_dir / "decks" / "study.md").read_text()
    assert len(collection.history("beta01")) == 1
    assert controller.screen is not None and "edited" in controller.screen.loaded.back_html


def test_an_empty_list_ends_at_once(runner: Any) -> None:
    controller, screen = _controller(runner)
    controller.start([])
    assert controller.state is ReviewState.SUMMARY
    assert screen.shown[-1][0] == "summary"
