"""Import: Markdown here (its source read in `markdown_source`); other formats delegate to
`interop_ops` (export: `export`).

`apply_import` is the one way anything enters the collection from outside: files are
validated, staged in the data folder, applied to the database in one transaction, and
moved into the library once it has committed (import_journal.py: a crash at any moment
leaves the whole import or nothing). Any error leaves library and database as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from sqlalchemy.orm import Session

from flashcards.collection.base import CollectionBase, utc
from flashcards.collection.device_appended import after_append, before_append
from flashcards.collection.device_record import record_import
from flashcards.collection.import_journal import (
    STAGE_PREFIX,
    TMP_DIR,
    clear_pending,
    make_parents,
    mark_pending,
    move_in,
    remove_made,
    stage_files,
    staged_stats,
    write_journal,
)
from flashcards.collection.import_rows import initial_scheduling, write_scheduling
from flashcards.collection.import_source import check_import_source
from flashcards.collection.markdown_source import INTEROP_SUFFIXES as INTEROP_SUFFIXES
from flashcards.collection.markdown_source import MARKDOWN as MARKDOWN
from flashcards.collection.markdown_source import (
    MARKDOWN_IMPORTS,
    import_kind,
    outside_links_skipped,
    read_markdown_source,
    remembered_import,
    source_key,
)
from flashcards.collection.settings import get_setting, set_setting
from flashcards.collection.sync import refresh_names, sync_into
from flashcards.collection.sync_files import BIG_SYNC_BYTES
from flashcards.collection.views import ImportReport
from flashcards.core.crash_point import crash_point
from flashcards.core.errors import (
    CancelledError,
    DeckFormatError,
    FlashcardsError,
    InteropError,
)
from flashcards.core.gc_pause import gc_paused
from flashcards.core.media_files import shown_name
from flashcards.core.media_refs import drop_outside_media_in_files, dropped_note
from flashcards.core.model import CardId, Flag, MemoryState, ReviewEntry
from flashcards.core.parser import ParseResult, parse_deck
from flashcards.interop.csv_layout import CsvOptions
from flashcards.storage.convert import to_epoch
from flashcards.storage.failures import os_failure

Progress = Callable[[int, int, str], bool]


def _tick(progress: Progress | None, done: int, total: int, message: str) -> None:
    if progress is not None and progress(done, total, message) is False:
        raise CancelledError()


def _safe_rel(rel: str) -> str:
    pure = PurePosixPath(rel.replace("\\", "/"))
    if (
        pure.is_absolute()
        or ".." in pure.parts
        or not pure.parts
        or any(p.startswith(".") for p in pure.parts)
    ):
        raise InteropError(rel, "unsafe path for a library file")
    return pure.as_posix()


def _merge_settings(
    session: Session, merge: Mapping[str, Mapping[str, object]]
) -> dict[str, dict[str, object]]:
    """Merge each key's entries into its stored dict, in `session`; the new values."""
    merged: dict[str, dict[str, object]] = {}
    for key, entries in merge.items():
        if entries:
            value = dict(get_setting(session, key) or {})
            value.update(entries)
            set_setting(session, key, value)
            merged[key] = value
    return merged


class TransferMixin(CollectionBase):
    """Import, export and the atomic import primitive interop uses."""

    # -- the atomic import primitive --------------------------------------------------

    def apply_import(
        self,
        files: Mapping[str, bytes],
        *,
        media: Mapping[str, bytes] | None = None,
        reviews: list[ReviewEntry] | None = None,
        states: Mapping[CardId, MemoryState] | None = None,
        card_flags: Mapping[CardId, tuple[bool, Flag]] | None = None,
        replace_history_for: set[CardId] | None = None,
        lapses: Mapping[CardId, int] | None = None,
        source: str = "",
        now: datetime | None = None,
        progress: Progress | None = None,
        parsed: Mapping[str, ParseResult] | None = None,
        checked: AbstractSet[str] = frozenset(),
        merge_settings: Mapping[str, Mapping[str, object]] | None = None,
    ) -> ImportReport:
        """Add or replace deck files and apply scheduling data, all or nothing.

        See docs/architecture.md, "collection internals for interop", for the contract.
        `parsed` maps a file's path to `parse_deck(files[path], path=path)` when the
        caller has already parsed those exact bytes (interop checks the decks it writes);
        those files are not parsed again. Every other file is parsed once, here, except
        those in `checked` (the caller parsed those exact bytes without keeping the parse).
        `merge_settings` maps a setting key to entries merged into that setting's dict
        (e.g. interop's note id -> Anki guid map) in the same transaction, so they are
        stored exactly when the import is.
        """
        with gc_paused():  # parsing and row building make many small acyclic objects
            return self._apply_import(
                files,
                media=media,
                reviews=reviews,
                states=states,
                card_flags=card_flags,
                replace_history_for=replace_history_for,
                lapses=lapses or {},
                source=source,
                now=now,
                progress=progress,
                parsed=parsed or {},
                checked=checked,
                merge_settings=merge_settings or {},
            )

    def _apply_import(
        self,
        files: Mapping[str, bytes],
        *,
        media: Mapping[str, bytes] | None,
        reviews: list[ReviewEntry] | None,
        states: Mapping[CardId, MemoryState] | None,
        card_flags: Mapping[CardId, tuple[bool, Flag]] | None,
        replace_history_for: set[CardId] | None,
        lapses: Mapping[CardId, int],
        source: str,
        now: datetime | None,
        progress: Progress | None,
        parsed: Mapping[str, ParseResult],
        checked: AbstractSet[str],
        merge_settings: Mapping[str, Mapping[str, object]],
    ) -> ImportReport:
        media = dict(media or {})
        files = {_safe_rel(k): v for k, v in files.items()}
        media = {_safe_rel(k): v for k, v in media.items()}
        for rel in files:
            if not rel.lower().endswith(".md"):
                raise InteropError(rel, "deck files must end in .md")
        total = len(files)
        results: dict[str, ParseResult] = {}
        # A big import (a CSV of a million rows in many deck files) keeps no parse: the
        # sync below parses its files in groups, so memory holds one group's notes.
        keep = sum(len(data) for data in files.values()) <= BIG_SYNC_BYTES
        for done, (rel, data) in enumerate(sorted(files.items())):
            _tick(progress, done, total, f"checking {rel}")
            # DeckFormatError here: nothing has been touched yet. The sync below reuses
            # each result rather than parsing the same bytes again.
            if rel in checked and rel not in parsed:
                continue
            result = parsed.get(rel) or parse_deck(data, path=rel)
            if keep or rel in parsed:
                results[rel] = result
            del result
        roots = self.roots()
        library = next(r for r in roots if not r.external)
        now_dt = utc(now)
        tmp_parent = self.data_dir / TMP_DIR
        try:
            tmp_parent.mkdir(exist_ok=True)
            stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=tmp_parent))
        except OSError as exc:
            raise os_failure(exc, f"cannot stage the import in {tmp_parent}") from exc
        made_dirs: list[Path] = []
        committed = False
        try:
            with self.devices.batch(now_dt) as log, self._write() as s:
                overlay = {rel: (library, rel, data) for rel, data in files.items()}
                plan = sync_into(
                    s,
                    roots,
                    now_s=to_epoch(now_dt),
                    overlay=overlay,
                    parsed=results,
                    initial=initial_scheduling(states or {}, reviews or []),
                )
                bad = [e for e in plan.report.errors if e.split(":", 1)[0] in files]
                if bad:
                    raise DeckFormatError(bad[0].split(":", 1)[0], None, bad[0])
                write_scheduling(
                    s.connection(),
                    states=states or {},
                    card_flags=card_flags or {},
                    replace_history_for=replace_history_for or set(),
                    reviews=reviews or [],
                    scheduled=plan.scheduled,
                    lapses=lapses,
                )
                record_import(  # the history and states travel (docs/sync.md)
                    log,
                    s,
                    states=states or {},
                    card_flags=card_flags or {},
                    replace_history_for=replace_history_for or set(),
                    reviews=reviews or [],
                    lapses=lapses,
                )
                # Lines the merge after the import need not read back (device_appended).
                own_log = before_append(self.devices, log.cursor(s), log.order_ms)
                merged = _merge_settings(s, merge_settings)
                _tick(progress, total, total, "moving files into the library")
                writes = {rel: plan.writes[rel][1] for rel in files if rel in plan.writes}
                # Crash-safe (import_journal.py): the files wait in the staging folder,
                # named by its journal; the commit below records the journal, and only
                # then do they move in (a crash after the commit is finished on open).
                items = [*writes.items(), *media.items()]
                try:
                    stage_files(stage, items)
                    stats = staged_stats(stage, writes)
                    made_dirs = make_parents(library.path, [rel for rel, _ in items])
                    write_journal(stage, [rel for rel, _ in items])
                except OSError as exc:
                    raise os_failure(exc, "cannot stage the import") from exc
                if stats:  # the moved files' stat: the sync after the move reads none
                    s.connection().exec_driver_sql(
                        "UPDATE decks SET mtime_ns = ?, size = ? WHERE key = ?",
                        [(mtime, size, library.key(rel)) for mtime, size, rel in stats],
                    )
                mark_pending(s, stage.name)
                crash_point("import-before-commit")
            committed = True
            after_append(self.devices, own_log, log.events)
            crash_point("import-committed")
            try:
                move_in(stage, library.path)
            except OSError as exc:
                raise os_failure(
                    exc,
                    "the import was saved, but not all of its files could be moved into the "
                    "library; Flashcards moves them in the next time it opens the collection",
                ) from exc
            crash_point("import-moved")
            with self._write() as s:
                clear_pending(s, stage.name)
            shutil.rmtree(stage, ignore_errors=True)
        except BaseException:
            if not committed:
                shutil.rmtree(stage, ignore_errors=True)
                remove_made(made_dirs)
            raise
        self._settings.update(merged)  # committed: the cache may follow
        self._generation += 1
        self.sync()  # other devices' logs; the moved files' stat is already recorded
        with self._write() as s:
            refresh_names(s, roots)  # an exam.toml may have arrived with the decks
        report = plan.report
        return ImportReport(
            source=source,
            files=tuple(sorted(files)),
            media=tuple(sorted(media)),
            cards_added=report.cards_added,
            cards_updated=report.cards_updated,
            reviews=len(reviews or []),
            warnings=tuple(str(w) for w in report.warnings if w.path in files),
        )

    # -- import -------------------------------------------------------------------------

    def import_path(
        self,
        path: str | os.PathLike[str],
        *,
        format: str | None = None,
        options: CsvOptions | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import a Markdown deck or folder (copied into the library), or delegate
        .apkg/.colpkg/.csv/.tsv/.txt and Obsidian notes to interop.

        A `.md` file or a folder without `.obsidian/` is read as Obsidian Spaced
        Repetition notes when it looks like them (`interop.detect`). `options` choose a
        text file's separator, header row, column roles and deck. A malformed deck raises
        DeckFormatError (`file:line: message`), an import that finds no card
        NoCardsError; either changes nothing.
        """
        source = Path(path).expanduser()
        if not source.exists():
            raise FlashcardsError(f"{shown_name(source)}: no such file or folder")
        check_import_source(source)  # only regular files, UTF-8 names: before any read
        try:
            return self._import_path(source, format=format, options=options, progress=progress)
        except OSError as exc:  # a full disk, a file we may not read: said, not a traceback
            raise os_failure(exc, f"cannot import {source}") from exc

    def _import_path(
        self,
        source: Path,
        *,
        format: str | None,
        options: CsvOptions | None,
        progress: Progress | None,
    ) -> ImportReport:
        kind = format or import_kind(source)
        if options is not None and kind != "csv":
            raise FlashcardsError(
                f"{source.name}: column and separator choices apply to CSV files only"
            )
        if kind != MARKDOWN:
            from flashcards.collection import interop_ops

            return interop_ops.import_path(
                self, source, kind=kind, options=options, progress=progress
            )
        last = remembered_import(self, source)
        read = read_markdown_source(
            self, source, progress, landing=last.landing if last is not None else None
        )
        if last is not None and last.digest == read.digest:  # as it was imported
            return ImportReport(source=str(source), format=MARKDOWN)
        files, other, links = read.files, read.other, read.outside_links
        # A shared deck may name files anywhere on this disk: those references go.
        files, dropped = drop_outside_media_in_files(files)
        # Notes without `{#id}`s find their cards again by their text (the sync's identity
        # matcher), once the source lands where it did before.
        remember = {source_key(source): {"to": read.landing, "digest": read.digest}}
        report = self.apply_import(
            files,
            media=other,
            source=str(source),
            progress=progress,
            merge_settings={MARKDOWN_IMPORTS: remember},
        )
        if dropped:
            report = replace(report, warnings=(*report.warnings, dropped_note(dropped)))
        if links:
            note = f"skipped {outside_links_skipped(source, links)}"
            report = replace(report, warnings=(*report.warnings, note))
        return replace(report, format=MARKDOWN)
