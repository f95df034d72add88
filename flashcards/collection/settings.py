"""Collection settings (a key → JSON table) and the user's time zone."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from flashcards.core.days import DEFAULT_ROLLOVER_HOUR
from flashcards.storage import models as m

DEFAULTS: dict[str, Any] = {
    "rollover_hour": DEFAULT_ROLLOVER_HOUR,
    "timezone": None,  # None: the system's zone
    "answer_cap_seconds": 60,  # longer answers are logged as this long (walked away)
    "learn_ahead_minutes": 20,
    "bury_siblings": True,
    "shuffle_choices": True,  # multiple-choice options in a fresh order each presentation
    "seeded": False,
    "device_id": "",
}


def get_setting(session: Session, key: str) -> Any:
    raw = session.execute(select(m.Setting.value).where(m.Setting.key == key)).scalar()
    return DEFAULTS.get(key) if raw is None else json.loads(raw)


def set_setting(session: Session, key: str, value: Any) -> None:
    stmt = sqlite_insert(m.Setting).values(key=key, value=json.dumps(value))
    session.execute(
        stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value})
    )


def all_settings(session: Session) -> dict[str, Any]:
    values = dict(DEFAULTS)
    for key, raw in session.execute(select(m.Setting.key, m.Setting.value)):
        values[key] = json.loads(raw)
    return values


def system_zone() -> tzinfo:
    """The machine's IANA zone (DST-aware), falling back to its current fixed offset."""
    name = os.environ.get("TZ", "").lstrip(":")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    localtime = Path("/etc/localtime")
    try:
        target = str(localtime.resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        try:
            return ZoneInfo(target.split("zoneinfo/", 1)[1])
        except (ZoneInfoNotFoundError, ValueError):
            pass
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def zone_from(name: str | None) -> tzinfo:
    if not name:
        return system_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return system_zone()


@dataclass(frozen=True)
class DayConfig:
    tz: tzinfo
    rollover_hour: int
