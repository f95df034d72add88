"""What Preferences ▸ Scheduling reads and writes on the worker: the presets and the decks
that use them (`load_scheduling`), and the dialog's staged edits (`PresetChanges`, made
by `staged_changes`) written in one job when it is saved."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any

from flashcards.collection.optimize import recompute_memory
from flashcards.collection.queue import DEFAULT_PRESET_ID
from flashcards.collection.views import DeckPreset
from flashcards.core.scheduling import Preset


@dataclass(frozen=True)
class SchedulingData:
    """What the Scheduling tab shows, read on the worker."""

    presets: dict[int, Preset]
    decks: list[DeckPreset]


def load_scheduling(col: Any) -> SchedulingData:
    return SchedulingData(presets=col.presets(), decks=col.deck_presets())


@dataclass(frozen=True)
class PresetChanges:
    """Staged preset edits; keys below zero are presets created in the dialog."""

    deleted: tuple[int, ...] = ()
    updated: dict[int, Preset] = field(default_factory=dict)
    created: dict[int, Preset] = field(default_factory=dict)
    assigned: dict[str, int] = field(default_factory=dict)  # deck key -> preset key
    # presets whose cards are under other FSRS parameters now: memory states recomputed
    recompute: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.deleted or self.updated or self.created or self.assigned)

    def apply(self, col: Any) -> None:
        """Write the changes (on the worker): deletions first, so their names are free."""
        for preset_id in self.deleted:
            col.delete_preset(preset_id)
        for preset_id, preset in self.updated.items():
            col.save_preset(preset, preset_id=preset_id)
        ids = {key: col.save_preset(preset) for key, preset in self.created.items()}
        for deck, key in self.assigned.items():
            col.set_deck_preset(deck, ids.get(key, key))
        for key in self.recompute:
            recompute_memory(col, ids.get(key, key))


def staged_changes(
    presets: Mapping[int, Preset],
    original: Mapping[int, Preset],
    *,
    assigned: Mapping[str, int],
    original_assigned: Mapping[str, int],
    deleted: Set[int],
) -> PresetChanges:
    """What Save must write: the dialog's presets and deck choices against those loaded."""
    return PresetChanges(
        deleted=tuple(sorted(deleted)),
        updated={k: p for k, p in presets.items() if k > 0 and original.get(k) != p},
        created={k: p for k, p in presets.items() if k < 0},
        assigned={
            deck: key for deck, key in assigned.items() if original_assigned.get(deck) != key
        },
        recompute=_new_parameters(presets, original, assigned, original_assigned),
    )


def _new_parameters(
    presets: Mapping[int, Preset],
    original: Mapping[int, Preset],
    assigned: Mapping[str, int],
    original_assigned: Mapping[str, int],
) -> tuple[int, ...]:
    """Presets whose decks' cards now use other FSRS parameters: changed parameters,
    or decks moved in from a preset with other parameters (Anki recomputes then too)."""
    default = Preset().parameters
    keys = {
        key
        for key, preset in presets.items()
        if preset.parameters != (original[key] if key > 0 else Preset()).parameters
        or (key < 0 and preset.parameters != default)
    }
    for deck, key in assigned.items():
        before = original.get(original_assigned.get(deck, DEFAULT_PRESET_ID))
        if key != original_assigned.get(deck) and (
            before is None or before.parameters != presets[key].parameters
        ):
            keys.add(key)
    return tuple(sorted(keys))
