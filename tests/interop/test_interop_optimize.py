"""History imported from Anki counts for the optimiser: a package written by the real
`anki` package, with a review log drawn from known parameters, is imported and fitted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import AddNoteRequest
from anki.collection import Collection as AnkiCollection
from anki_factory import export_package

from flashcards.collection import Collection
from flashcards.collection.optimize import optimize_preset, preset_decks, read_history
from flashcards.core.days import day_number, day_start
from flashcards.core.optimize import fit
from flashcards.core.scheduling import Preset
from flashcards.core.synthetic_history import synthetic_history

DEFAULTS = tuple(Preset().parameters)
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
TRUE = (0.6, 1.8, 6.0, 18.0, *DEFAULTS[4:8], 1.3, *DEFAULTS[9:11], 1.2, *DEFAULTS[12:20], 0.3)


def test_an_anki_review_log_is_fitted_like_the_history_it_holds(tmp_path: Path) -> None:
    today = day_number(T0, UTC, 4)
    # All in the past: Anki refuses to export a log with times after its clock.
    history = synthetic_history(
        TRUE,
        cards=600,
        reviews_per_card=5,
        seed=9,
        first_day=today - 500,
        spread_days=200,
        until=today - 1,
    )
    (tmp_path / "anki").mkdir()
    anki = AnkiCollection(str(tmp_path / "anki" / "collection.anki2"))
    deck = anki.decks.id("Imported")
    basic = anki.models.by_name("Basic")
    requests = []
    for card_id in history:
        note = anki.new_note(basic)
        note["Front"], note["Back"] = f"Question {card_id}", f"Answer {card_id}"
        requests.append(AddNoteRequest(note=note, deck_id=deck))
    anki.add_notes(requests)
    card_ids = anki.find_cards(f"did:{deck}", order="c.id")  # in the order added
    rows = []
    for serial, (anki_card, answers) in enumerate(zip(card_ids, history.values(), strict=True)):
        seen_days: set[int] = set()
        for index, answer in enumerate(answers):
            # revlog ids (times in ms) are unique: one millisecond apart per card
            when = day_start(answer.day, UTC, 4) + timedelta(
                hours=9, minutes=index, milliseconds=serial
            )
            kind = 0 if not seen_days else (1 if answer.day not in seen_days else 2)
            seen_days.add(answer.day)
            rows.append(
                (
                    int(when.timestamp() * 1000),
                    anki_card,
                    -1,
                    answer.rating,
                    1,
                    0,
                    2500,
                    int(answer.seconds * 1000),
                    kind,  # learn, review, relearn: all answers that moved the schedule
                )
            )
    anki.db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", rows)
    package = export_package(anki, tmp_path / "imported.apkg", layout="anki21b")
    anki.close()

    col = Collection.open(tmp_path / "data", seed=False, now=T0)
    try:
        col.set_setting("timezone", "UTC")
        report = col.import_path(package)
        assert report.reviews == len(rows)
        imported = read_history(col, preset_decks(col, 1))
        # Every answer arrives, on its study day, with its rating and time.
        assert sorted(imported.values()) == sorted(history.values())

        result = optimize_preset(col, 1)

        assert result.fit.reviews == len(rows)
        assert result.kept
        # The same fit as on the history itself (up to the order of a day's items,
        # which fsrs-rs weighs a little differently).
        direct = fit(history, current=DEFAULTS)
        assert result.fit.items == direct.items
        assert result.fit.fitted == pytest.approx(direct.fitted, abs=0.01)
        assert result.fit.fitted_eval.log_loss == pytest.approx(
            direct.fitted_eval.log_loss, abs=1e-3
        )
    finally:
        col.close()
