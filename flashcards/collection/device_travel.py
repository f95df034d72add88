"""Settings that travel between devices (docs/sync.md, "What travels").

Presets (by a uid; the default preset is `default` on every device), which preset each
deck uses, and the settings in `TRAVELS` are written as events; merging lets the last
event of each key win. Per-machine settings (time zone, window sizes, theme, the concept
map's layout, backups) never go into the log.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flashcards.core.device_log import Event, decode_stored
from flashcards.storage.convert import preset_columns, preset_of

if TYPE_CHECKING:
    from flashcards.collection.device_sync import DeviceSync
    from flashcards.core.scheduling import Preset

TRAVELS = frozenset(
    {
        "exam_profile",
        "exam_dates",
        "exam_deadline",
        "rollover_hour",
        "answer_cap_seconds",
        "learn_ahead_minutes",
        "bury_siblings",
        "shuffle_choices",
    }
)
"""Settings every device shares. Not: timezone (a laptop travels), device_id, seeded,
window and map layouts, readiness trend snapshots, interop maps, import journals."""

UIDS_KEY = "preset_uids"  # local preset id (as text) -> uid
DEFAULT_UID = "default"
GLOBAL_SQL = (
    "SELECT device, data FROM events WHERE card_id = '' AND kind IN "
    "('setting', 'preset', 'preset-delete', 'deck-preset') ORDER BY ord, device, seq"
)


def preset_uid(cur: Any, preset_id: int) -> str:
    """The uid of local preset `preset_id`, made on first use (in `cur`'s transaction)."""
    if preset_id == 1:
        return DEFAULT_UID
    uids = _uids(cur)
    uid = uids.get(str(preset_id))
    if uid is None:
        uid = secrets.token_hex(6)
        uids[str(preset_id)] = uid
        _save_uids(cur, uids)
    return uid


def preset_data(cur: Any, preset_id: int, preset: Preset) -> dict[str, Any]:
    return {"u": preset_uid(cur, preset_id), "v": preset_columns(preset)}


def apply_global(ds: DeviceSync, cur: Any, arrived: Iterable[Event]) -> bool:
    """After new global events: the winner of each key they touch applied here (without
    writing events). True when anything changed."""
    touched = {_key(e) for e in arrived}
    touched.discard(None)
    if not touched:
        return False
    winners: dict[tuple[str, str], Event] = {}
    for device, data in cur.execute(GLOBAL_SQL).fetchall():
        event = decode_stored(device, "", data)
        key = _key(event)
        if key is not None and key in touched:
            winners[key] = event  # in order: the last one wins
    changed = False
    uids = _uids(cur)
    by_uid = {uid: int(local) for local, uid in uids.items()}
    by_uid[DEFAULT_UID] = 1
    for (kind, name), event in sorted(winners.items(), key=lambda kv: kv[0][0] != "preset"):
        if kind == "setting":
            changed |= _apply_setting(cur, name, event.data.get("v"))
        elif kind == "preset":
            changed |= _apply_preset(cur, name, event, by_uid, uids)
    for (kind, name), event in winners.items():
        if kind == "deck-preset":
            local = by_uid.get(str(event.data.get("u")))
            if local is not None:
                changed |= _set_deck_preset(cur, name, local)
    _save_uids(cur, uids)
    return changed


def _key(event: Event) -> tuple[str, str] | None:
    data = event.data
    if event.kind == "setting" and data.get("key") in TRAVELS:
        return ("setting", str(data["key"]))
    if event.kind in ("preset", "preset-delete") and isinstance(data.get("u"), str):
        return ("preset", str(data["u"]))
    if event.kind == "deck-preset" and isinstance(data.get("deck"), str):
        return ("deck-preset", str(data["deck"]))
    return None


def _apply_setting(cur: Any, key: str, value: Any) -> bool:
    row = cur.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    text = json.dumps(value)
    if row is not None and json.loads(row[0]) == value:
        return False
    cur.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, text))
    return True


def _apply_preset(
    cur: Any, uid: str, event: Event, by_uid: dict[str, int], uids: dict[str, str]
) -> bool:
    local = by_uid.get(uid)
    if event.kind == "preset-delete":
        if local is None or local == 1:
            return False
        cur.execute("UPDATE decks SET preset_id = 1 WHERE preset_id = ?", (local,))
        cur.execute("DELETE FROM presets WHERE id = ?", (local,))
        uids.pop(str(local), None)
        by_uid.pop(uid, None)
        return True
    values = event.data.get("v")
    if not isinstance(values, Mapping):
        return False
    try:
        columns = preset_columns(preset_of(**values))
    except (TypeError, ValueError):
        return False
    if local is not None:
        exists = cur.execute("SELECT 1 FROM presets WHERE id = ?", (local,)).fetchone()
        if exists is None:
            local = None
    columns["name"] = _free_name(cur, str(columns["name"]), local)
    names = list(columns)
    if local is not None:
        current = cur.execute(
            f"SELECT {', '.join(names)} FROM presets WHERE id = ?", (local,)
        ).fetchone()
        if current is not None and tuple(current) == tuple(columns[n] for n in names):
            return False
        cur.execute(
            f"UPDATE presets SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
            (*columns.values(), local),
        )
        return True
    cur.execute(
        f"INSERT INTO presets ({', '.join(names)}) VALUES ({','.join('?' * len(names))})",
        tuple(columns.values()),
    )
    local = int(cur.execute("SELECT last_insert_rowid()").fetchone()[0])
    uids[str(local)] = uid
    by_uid[uid] = local
    return True


def _free_name(cur: Any, name: str, local: int | None) -> str:
    """`name`, or `name (2)`…, not taken by another preset (names are unique)."""
    base, n = name, 2
    while True:
        row = cur.execute(
            "SELECT id FROM presets WHERE name = ? COLLATE NOCASE AND id IS NOT ?", (name, local)
        ).fetchone()
        if row is None:
            return name
        name, n = f"{base} ({n})", n + 1


def _set_deck_preset(cur: Any, deck: str, local: int) -> bool:
    done = cur.execute(
        "UPDATE decks SET preset_id = ? WHERE key = ? AND preset_id != ?", (local, deck, local)
    )
    return bool(done.rowcount)


def _uids(cur: Any) -> dict[str, str]:
    row = cur.execute("SELECT value FROM settings WHERE key = ?", (UIDS_KEY,)).fetchone()
    value = json.loads(row[0]) if row is not None else {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _save_uids(cur: Any, uids: Mapping[str, str]) -> None:
    if _uids(cur) != dict(uids):
        cur.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
            (UIDS_KEY, json.dumps(dict(uids), sort_keys=True)),
        )
