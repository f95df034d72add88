"""SQLAlchemy 2 typed models: the database schema (version in migrations.SCHEMA_VERSION).

Times are stored as integer UTC epoch seconds (milliseconds for the review log, which
needs ordering within a second); `buried_until` is a study-day number (see core.days).
Integers keep the queue index small and its comparisons cheap. Lists are JSON text.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

EASY_DAYS = "[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]"
"""Every weekday normal: the default of `presets.easy_days`."""


class Base(DeclarativeBase):
    pass


class SchemaVersion(Base):
    __tablename__ = "schema_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


class Root(Base):
    """A folder of deck files: the library itself or an external folder the user added."""

    __tablename__ = "roots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)  # absolute
    label: Mapped[str] = mapped_column(String, unique=True)  # "" for the library
    external: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class Preset(Base):
    __tablename__ = "presets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9, server_default="0.9")
    learning_steps: Mapped[str] = mapped_column(
        Text, default="[60, 600]", server_default="[60, 600]"
    )  # seconds
    relearning_steps: Mapped[str] = mapped_column(Text, default="[600]", server_default="[600]")
    maximum_interval: Mapped[int] = mapped_column(Integer, default=36500, server_default="36500")
    enable_fuzzing: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    new_per_day: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200, server_default="200")
    parameters: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list
    # core.queue_order.NewGather / NewSort values (schema v4)
    new_gather: Mapped[str] = mapped_column(String, default="domains", server_default="domains")
    new_sort: Mapped[str] = mapped_column(
        String, default="interleaved", server_default="interleaved"
    )
    # Leeches and load balancing (schema v5): core.leeches.LeechAction value; easy days
    # as Anki stores them, a JSON list of 7 loads (1.0 normal, 0.5 reduced, 0.0 minimum).
    leech_threshold: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    leech_action: Mapped[str] = mapped_column(String, default="tag", server_default="tag")
    load_balancing: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    easy_days: Mapped[str] = mapped_column(Text, default=EASY_DAYS, server_default=EASY_DAYS)


class Deck(Base):
    """A deck file. `key` is its library path (`folder/deck.md`, external ones under
    their root's label); the stat and hash columns let sync skip unchanged files."""

    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    root_id: Mapped[int] = mapped_column(ForeignKey("roots.id", ondelete="CASCADE"))
    rel: Mapped[str] = mapped_column(Text)  # POSIX path inside the root
    name: Mapped[str] = mapped_column(Text)  # "AWS ML Specialty::Modeling"
    title: Mapped[str] = mapped_column(Text)
    domain: Mapped[str | None] = mapped_column(Text, nullable=True)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    tags: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    folders: Mapped[str] = mapped_column(
        Text, default="[]", server_default="[]"
    )  # folder display names
    mtime_ns: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sha1: Mapped[str] = mapped_column(String, default="", server_default="")
    present: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    preset_id: Mapped[int] = mapped_column(ForeignKey("presets.id"), default=1, server_default="1")


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    # core.links.normalise_title(title): links are resolved by it without loading every note
    title_key: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the file
    line_start: Mapped[int] = mapped_column(Integer)
    line_end: Mapped[int] = mapped_column(Integer)
    section_path: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    links: Mapped[str] = mapped_column(
        Text, default="[]", server_default="[]"
    )  # core Link values as JSON
    content_hash: Mapped[str] = mapped_column(String, default="", server_default="")
    text: Mapped[str] = mapped_column(
        Text, default="", server_default=""
    )  # prompt + answer, for text matching
    present: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class AnkiFields(Base):
    """A note as Anki fields (HTML), as an export rendered it (schema v8): rendering the
    Markdown is most of an export's work, and a note's fields change only with its text.
    A row serves while `content_hash` is the note's and `renderer` the exporter's own."""

    __tablename__ = "anki_fields"

    note_id: Mapped[str] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    content_hash: Mapped[str] = mapped_column(String)  # the note's, when rendered
    renderer: Mapped[str] = mapped_column(String)  # what rendered it (export_notes.RENDERER)
    notetype: Mapped[str] = mapped_column(Text)  # Anki note type name
    # Anki's notes columns as they follow from the fields (before media are renamed):
    fields: Mapped[str] = mapped_column(Text)  # `flds`: the HTML fields joined by \x1f
    tags: Mapped[str] = mapped_column(Text)  # the note's tags, space-separated
    sort_field: Mapped[str] = mapped_column(Text)  # `sfld`: the first field's text
    checksum: Mapped[int] = mapped_column(Integer)  # `csum`
    fingerprint: Mapped[str] = mapped_column(String)  # interop.bundle.fingerprint
    # Schema v10: the Anki ids derived from ours (`export_notes.stable_int`, a SHA-1 each),
    # before a clash moves one: the note's, and its cards' in card order as `;card=id`
    # each (renderer 2; 8-byte integers before). An export reads them instead of hashing
    # every id again; SQLite finds a card's with `instr` where it builds a package.
    anki_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    card_ids: Mapped[str | None] = mapped_column(Text, nullable=True)


class Card(Base):
    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(String, primary_key=True)
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id"), index=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id"))
    position: Mapped[int] = mapped_column(Integer)  # file order across the deck's cards
    kind: Mapped[str] = mapped_column(String)
    cloze: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(Text)
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    choices: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    tags: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    domain: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_hash: Mapped[str] = mapped_column(String, default="", server_default="")
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    buried_until: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )  # study day; 0 = not
    flag: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0"
    )  # epoch s; 0 for new cards
    last_review: Mapped[int | None] = mapped_column(Integer, nullable=True)  # epoch s
    reps: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lapses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    present: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    added: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # epoch s
    modified: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last event that set the scheduling columns (schema v9, docs/sync.md): the
    # parent an answer records, so a merge tells answers made apart from ones made after.
    head: Mapped[str | None] = mapped_column(String, nullable=True)

    __table_args__ = (
        # Serves every queue query. It covers the columns the queue filters and sorts
        # on, so ranking 20,000 due reviews never touches the table itself.
        Index(
            "ix_cards_queue",
            "present",
            "suspended",
            "state",
            "due",
            "buried_until",
            "deck_id",
            "stability",
            "last_review",
            "note_id",
            "id",
        ),
        # New cards of a deck in file order, and the per-deck counts of decks(): covering,
        # so neither reads the wide card rows.
        Index(
            "ix_cards_deck_new",
            "deck_id",
            "state",
            "position",
            "present",
            "suspended",
            "buried_until",
            "due",
            "note_id",
            "id",
        ),
    )


class Review(Base):
    """One answer (or practice/manual change). The `*_before` columns let undo restore
    the card exactly; the `*_after` ones feed statistics and export."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[str] = mapped_column(ForeignKey("cards.id"))
    time_ms: Mapped[int] = mapped_column(Integer)  # UTC epoch milliseconds
    rating: Mapped[int] = mapped_column(Integer)  # 0 for manual rows
    duration_ms: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    kind: Mapped[str] = mapped_column(String, default="review", server_default="review")
    state_before: Mapped[int] = mapped_column(Integer)
    step_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stability_before: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty_before: Mapped[float | None] = mapped_column(Float, nullable=True)
    due_before: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_review_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state_after: Mapped[int] = mapped_column(Integer)
    stability_after: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty_after: Mapped[float | None] = mapped_column(Float, nullable=True)
    elapsed_days: Mapped[float] = mapped_column(Float, default=0.0, server_default="0.0")
    scheduled_days: Mapped[float] = mapped_column(Float, default=0.0, server_default="0.0")
    device_id: Mapped[str] = mapped_column(String, default="", server_default="")

    __table_args__ = (
        Index("ix_reviews_time", "time_ms"),
        Index("ix_reviews_card", "card_id", "time_ms"),
    )


class PracticeSitting(Base):
    """One practice exam (schema v6): in progress until `finished` is set. The exam's
    scale is kept with it, so a later change to exam.toml leaves past results as they were."""

    __tablename__ = "practice_sittings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile_key: Mapped[str] = mapped_column(Text)  # the exam.toml's folder (collection/exam.py)
    exam: Mapped[str] = mapped_column(Text)  # its short label when sat ("MLS-C01")
    started: Mapped[int] = mapped_column(Integer)  # epoch s
    finished: Mapped[int | None] = mapped_column(Integer, nullable=True)  # epoch s
    limit_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: untimed
    used_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0.0")
    current: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # on screen
    seed: Mapped[int] = mapped_column(Integer)
    score_min: Mapped[int] = mapped_column(Integer)
    score_max: Mapped[int] = mapped_column(Integer)
    pass_mark: Mapped[int] = mapped_column(Integer)
    pass_share: Mapped[float] = mapped_column(Float)
    predicted: Mapped[float | None] = mapped_column(Float, nullable=True)  # forecast at start
    right: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scaled: Mapped[int | None] = mapped_column(Integer, nullable=True)
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    __table_args__ = (Index("ix_practice_sittings_profile", "profile_key", "started"),)


class PracticeAnswer(Base):
    """A question of a practice exam and what was answered (schema v6). Options are the
    card's file indexes; `correct` is what was right when the exam was sat."""

    __tablename__ = "practice_answers"

    sitting_id: Mapped[int] = mapped_column(
        ForeignKey("practice_sittings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-based
    card_id: Mapped[str] = mapped_column(String)
    domain: Mapped[str] = mapped_column(Text)
    choice_order: Mapped[str] = mapped_column(Text)  # JSON: options as shown
    correct: Mapped[str] = mapped_column(Text)  # JSON
    picked: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON; None: unanswered
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0.0")


def review_entry_columns() -> tuple[Any, ...]:
    """The columns `convert.review_of` takes, in its order (a ReviewEntry's fields)."""
    return (Review.card_id, Review.time_ms, Review.rating, Review.duration_ms, Review.kind)


class LinkRow(Base):
    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    from_note: Mapped[str] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    to_note: Mapped[str | None] = mapped_column(String, nullable=True, index=True)
    target: Mapped[str] = mapped_column(Text)
    file: Mapped[str | None] = mapped_column(Text, nullable=True)
    line: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Title keys the link can match: the target's, and `file#target` read as one title.
    target_key: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    alt_key: Mapped[str | None] = mapped_column(Text, nullable=True, index=True)


# FTS5 over card text, kept in sync by triggers so no code path can forget it. Rows are
# keyed by the cards' rowid so an update touches one row (VACUUM would renumber rowids,
# so `REBUILD_FTS` runs after one). A sync adding thousands of cards pauses the insert
# trigger (a row in `fts_pause`, inside its transaction) and indexes them in one
# `FTS_ADD_NEW` statement, twice as fast as a trigger per row.
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS cards_fts USING fts5("
    "card_id UNINDEXED, title, prompt, answer, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TABLE IF NOT EXISTS fts_pause (id INTEGER PRIMARY KEY)",
    "CREATE TRIGGER IF NOT EXISTS cards_fts_ai AFTER INSERT ON cards "
    "WHEN NOT EXISTS (SELECT 1 FROM fts_pause) BEGIN "
    "INSERT INTO cards_fts(rowid, card_id, title, prompt, answer) "
    "VALUES (new.rowid, new.id, new.title, new.prompt, new.answer); END",
    "CREATE TRIGGER IF NOT EXISTS cards_fts_ad AFTER DELETE ON cards BEGIN "
    "DELETE FROM cards_fts WHERE rowid = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS cards_fts_au AFTER UPDATE OF title, prompt, answer ON cards "
    "WHEN old.title IS NOT new.title OR old.prompt IS NOT new.prompt "
    "OR old.answer IS NOT new.answer "
    "BEGIN DELETE FROM cards_fts WHERE rowid = old.rowid; "
    "INSERT INTO cards_fts(rowid, card_id, title, prompt, answer) "
    "VALUES (new.rowid, new.id, new.title, new.prompt, new.answer); END",
)

MAX_CARD_ROWID = "SELECT COALESCE(MAX(rowid), 0) FROM cards"
FTS_PAUSE = "INSERT OR IGNORE INTO fts_pause (id) VALUES (1)"
FTS_RESUME = "DELETE FROM fts_pause"
FTS_ADD_NEW = (
    "INSERT INTO cards_fts(rowid, card_id, title, prompt, answer) "
    "SELECT rowid, id, title, prompt, answer FROM cards WHERE rowid > ?"
)
REBUILD_FTS = (
    "DELETE FROM cards_fts",
    "INSERT INTO cards_fts(rowid, card_id, title, prompt, answer) "
    "SELECT rowid, id, title, prompt, answer FROM cards",
)
