"""The device logs' cache in the database (schema v9, docs/sync.md).

`events` holds every event of every device's log, one row per card it concerns (card ""
for events about no card), keyed by the canonical order so that a card's history is one
range of the primary key and a line read twice is stored once. `log_files` remembers how
far each log file has been read; `event_orphans` the cards events name that the library
does not hold yet (replayed when their deck file arrives).
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from flashcards.storage.models import Base


class EventRow(Base):
    __tablename__ = "events"

    card_id: Mapped[str] = mapped_column(String, primary_key=True)  # "" for none
    ord: Mapped[int] = mapped_column(Integer, primary_key=True)  # order time, epoch ms
    device: Mapped[str] = mapped_column(String, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    data: Mapped[str] = mapped_column(Text)  # core.device_log.payload_json

    __table_args__ = (
        Index("ix_events_device", "device", "seq"),
        {"sqlite_with_rowid": False},
    )


class LogFile(Base):
    __tablename__ = "log_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)  # "<device>/<file name>"
    size: Mapped[int] = mapped_column(Integer)
    mtime_ns: Mapped[int] = mapped_column(Integer)
    offset: Mapped[int] = mapped_column(Integer)  # bytes read (whole lines)
    lines: Mapped[int] = mapped_column(Integer)  # lines read, for problems' line numbers
    max_seq: Mapped[int] = mapped_column(Integer)  # the greatest `i` read from it


class EventOrphan(Base):
    __tablename__ = "event_orphans"

    card_id: Mapped[str] = mapped_column(String, primary_key=True)


EVENT_TABLES = (EventRow, LogFile, EventOrphan)
