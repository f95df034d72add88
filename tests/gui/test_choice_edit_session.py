"""The map's "Study these" window keeps a multiple-choice card as the user left it through
an edit, as the daily review does (QA pass): the side shown, the picks (as options of the
edited card), the verdict and the order. Real collection, synchronous runner, no Qt."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from quiz_deck import write_quiz
from test_review_controller import Clock, RecordingView

from flashcards.core.model import NoteId, Rating
from flashcards.gui.concept_map.study_session import ListStudyController
from flashcards.gui.review_models import Face


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_quiz(tmp_path / "data")


def test_the_maps_study_window_keeps_picks_and_verdict_through_an_edit(
    runner: Any, now: datetime
) -> None:
    view = RecordingView()
    controller = ListStudyController(view, runner, now=lambda: now, clock=Clock())
    controller.start(["pick02"])
    order = view.last("question").loaded.order
    for index in (1, 2):  # Banana and Cherry
        controller.toggle_choice(order.index(index))
    controller.reveal()
    assert view.last("answer").correct is True

    controller.edit()
    note_id, source = view.editor
    controller.save_edit(NoteId(note_id), source)  # saved unchanged
    back = view.last("answer")
    assert back.face is Face.BACK and back.selected == {1, 2} and back.correct is True
    assert back.suggested is Rating.GOOD and back.loaded.order == order

    controller.edit()
    note_id, source = view.editor
    controller.save_edit(NoteId(note_id), source.replace("- [ ] Granite\n", ""))
    back = view.last("answer")
    assert [c.text for c in back.loaded.view.card.choices][:2] == ["Banana", "Cherry"]
    assert back.selected == {0, 1} and back.correct is True
    controller.confirm()
    assert [h.rating for h in runner.col.history("pick02")] == [Rating.GOOD]
    assert runner.failures == []
