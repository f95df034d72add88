"""The commands that keep a collection safe: `check [--repair]`, `backup [--list]`,
`restore FILE` and `rebuild` (a new database from the deck files and device logs).

`restore`, `rebuild` and `backup --list` work on the data folder without opening the
collection; `check` and `backup` are given the open collection.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from flashcards.collection import Collection


def add_parsers(sub: Any) -> None:
    """The `check`, `backup`, `restore` and `rebuild` commands."""
    p = sub.add_parser("check", help="verify deck files and the database; report problems")
    p.add_argument(
        "--repair",
        action="store_true",
        help="also mend the database: remove orphaned rows, rebuild indexes and the search "
        "index, compact (a backup is made first)",
    )
    p = sub.add_parser("backup", help="back up the collection now (database and deck files)")
    p.add_argument("--list", action="store_true", help="list the backups instead")
    p = sub.add_parser(
        "restore", help="go back to a backup (the collection as it is is backed up first)"
    )
    p.add_argument("file", metavar="FILE", help="a backup file, or its name in the backups folder")
    sub.add_parser(
        "rebuild",
        help="a new database from the deck files, when the old one is missing or damaged "
        "(review history and card states come back from the library's device logs)",
    )


def cmd_check(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    report = col.check()
    if args.repair:
        return repair_database(col, report, out)
    for warning in report.warnings:
        out.write(f"warning: {warning}\n")
    for problem in report.problems:
        out.write(f"problem: {problem}\n")
    out.write(
        f"{len(report.problems)} problem(s), {len(report.warnings)} warning(s)\n"
        if report.problems or report.warnings
        else "no problems found\n"
    )
    return 0 if report.ok else 1


def repair_database(col: Collection, before: Any, out: TextIO) -> int:
    from flashcards.collection.repair import repair

    for problem in before.problems:
        out.write(f"problem: {problem}\n")
    done = repair(col)
    out.write(f"backed up first to {done.backup.path}\n")
    for line in done.fixed:
        out.write(f"repaired: {line}\n")
    after = col.check()
    for problem in (*done.remaining, *after.problems):
        out.write(f"still a problem: {problem}\n")
    still = len(done.remaining) + len(after.problems)
    out.write("the database is sound\n" if not still else f"{still} problem(s) left\n")
    return 0 if not still else 1


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"


def cmd_backup(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    if args.list:
        return print_backups(col.data_dir, out)
    made = col.backups.create(kind="manual")
    out.write(
        f"backed up {made.cards} card(s) and {made.reviews} answer(s) to {made.path} "
        f"({_size(made.size)})\n"
    )
    return 0


def print_backups(data_dir: Path, out: TextIO) -> int:
    """`backup --list`: the backups in `data_dir`, oldest first (nothing is opened)."""
    from flashcards.collection.backup import list_backups

    backups = list_backups(data_dir, details=True)
    if not backups:
        out.write(f"no backups yet in {data_dir / 'backups'}\n")
        return 0
    for b in backups:
        when = b.created.astimezone().strftime("%Y-%m-%d %H:%M")
        cards = f"{b.cards} cards, {b.reviews} answers" if b.cards is not None else "?"
        out.write(f"{b.path.name}  {when}  {b.label}, {cards}, {_size(b.size)}\n")
    return 0


def data_folder(args: argparse.Namespace) -> Path:
    """The data folder `--data-dir` or the environment names."""
    from flashcards.storage.data_dir import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.backup import restore_data_dir

    report, note = restore_data_dir(data_folder(args), args.file)
    when = report.restored.created.astimezone().strftime("%Y-%m-%d %H:%M")
    out.write(
        f"restored {report.restored.path.name} (made {when}): {report.decks_written} deck "
        f"file(s) written, {report.decks_removed} removed\n"
        f"{report.kept_as}\n"
    )
    for line in (*report.notes, *([note] if note else [])):
        out.write(f"note: {line}\n")
    return 0


def cmd_rebuild(args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.backup import rebuild_data_dir

    cards, note = rebuild_data_dir(data_folder(args))
    out.write(
        f"a new database from the deck files: {cards} card(s); the review history and "
        "card states in the library's device logs are back\n"
    )
    if note:
        out.write(f"note: {note}\n")
    return 0
