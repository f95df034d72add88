"""The `flashcards` command: the app without a subcommand, collection tasks with one.

    flashcards                                  open the app
    flashcards FILE.apkg|FILE.colpkg…             open the app and import them, after asking
    flashcards [--data-dir DIR] import PATH…    .md file or folder, .apkg, .colpkg, .csv/.tsv/.txt
    flashcards [--data-dir DIR] export [--deck NAME] -o OUT
    flashcards [--data-dir DIR] decks [--json]
    flashcards [--data-dir DIR] stats [--json] [--deck|--domain NAME] [--search Q] [--period P]
    flashcards [--data-dir DIR] cheatsheet [--deck NAME | --query Q] [--struggling]
                                [--layout compact|full] [--paper a4|letter] -o OUT.pdf|OUT.html
    flashcards [--data-dir DIR] check [--repair]
    flashcards [--data-dir DIR] backup [--list] | restore FILE | rebuild
    flashcards [--data-dir DIR] sync
    flashcards [--data-dir DIR] optimize [--preset N] [--json] [--dry-run]
    flashcards [--data-dir DIR] simulate [--preset N] [--json]
    flashcards [--data-dir DIR] exam [--json] [--date YYYY-MM-DD|none] [--profile NAME]

Errors the user can fix print `flashcards: error: …` on stderr and exit 1; usage
errors exit 2 (argparse's convention).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from flashcards import __version__
from flashcards.cli_cheatsheet import add_parser as add_cheatsheet_parser
from flashcards.cli_cheatsheet import cmd_cheatsheet
from flashcards.cli_exam import add_parser as add_exam_parser
from flashcards.cli_exam import cmd_exam
from flashcards.cli_optimize import add_parsers as add_optimize_parsers
from flashcards.cli_optimize import cmd_optimize, cmd_simulate
from flashcards.cli_stats import add_parser as add_stats_parser
from flashcards.cli_stats import cmd_stats
from flashcards.core.errors import FlashcardsError

if TYPE_CHECKING:
    from flashcards.collection import Collection

COMMANDS = (
    "import",
    "export",
    "decks",
    "stats",
    "cheatsheet",
    "check",
    "backup",
    "restore",
    "rebuild",
    "sync",
    "optimize",
    "simulate",
    "exam",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flashcards",
        description="Spaced repetition on Markdown decks. Without a command, opens the app; "
        "`flashcards FILE.apkg` opens it and offers to import the Anki package.",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="collection folder (default: $FLASHCARDS_DATA_DIR or the user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"flashcards {__version__}")
    # The app's own options, here so that `--theme dark` parses as well as `--theme=dark`.
    parser.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        default=None,
        help="the app's colours for this run (default: as set in Preferences)",
    )
    parser.add_argument("--study", action="store_true", help="open the app and start reviewing")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("import", help="import decks: .md file or folder, .apkg, .colpkg, .csv")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--format", default=None, help="force a format (markdown, obsidian, apkg, colpkg, csv)"
    )
    csv_group = p.add_argument_group("CSV files (default: from the file's #headers, or guessed)")
    csv_group.add_argument(
        "--delimiter",
        default=None,
        metavar="SEP",
        help="the separator: comma, tab, semicolon, pipe, space, colon, or the character",
    )
    csv_group.add_argument(
        "--header",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the first row holds column names, not a card",
    )
    csv_group.add_argument(
        "--columns",
        default=None,
        metavar="ROLES",
        help="each column's role, in order: front, back, tags, deck, notetype, guid or ignore "
        "(e.g. front,back,tags)",
    )
    csv_group.add_argument(
        "--deck", default=None, metavar="NAME", help="the deck for rows without a deck column"
    )
    p = sub.add_parser("export", help="export a deck, a folder or everything")
    p.add_argument("--deck", default=None, help="deck name, deck file or folder (default: all)")
    p.add_argument("-o", "--out", type=Path, required=True, help="file or folder to write")
    p.add_argument("--format", default=None, help="force a format (default: from OUT)")
    p = sub.add_parser("decks", help="decks with new / learning / due / total counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_stats_parser(sub)
    add_cheatsheet_parser(sub)
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
    sub.add_parser(
        "sync", help="pick up changes made to the deck files and other devices' reviews"
    )
    add_optimize_parsers(sub)
    add_exam_parser(sub)
    return parser


READ_ONLY_COMMANDS = frozenset(
    {"decks", "stats", "cheatsheet", "check", "export", "simulate", "exam", "backup"}
)


def _open(args: argparse.Namespace) -> Collection:
    from flashcards.collection import Collection
    from flashcards.core.errors import CollectionLockedError

    try:
        return Collection.open(args.data_dir)
    except CollectionLockedError:
        if args.command not in READ_ONLY_COMMANDS or getattr(args, "repair", False):
            raise
    # The app has the collection open: reading is safe, without syncing file edits.
    print(
        "flashcards: note: the collection is open in the app; reading it as it was last synced",
        file=sys.stderr,
    )
    return Collection.open(args.data_dir, readonly=True)


def _warn_left_out(col: Collection) -> None:
    """Decks the opening sync could not read are left out of every answer: say so."""
    report = col.last_sync
    for error in report.errors if report is not None else ():
        print(
            f"flashcards: warning: left out a malformed deck (fix it in {col.library}): {error}",
            file=sys.stderr,
        )


def _print_json(value: Any, out: TextIO) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False, default=str)
    out.write("\n")


def _csv_options(args: argparse.Namespace) -> Any:
    """The CSV flags as `CsvOptions`, or None when none was given."""
    from flashcards.interop.csv_layout import CsvOptions, parse_roles

    if args.delimiter is None and args.header is None and args.columns is None and not args.deck:
        return None
    return CsvOptions(
        separator=args.delimiter,
        header_row=args.header,
        columns=parse_roles(args.columns) if args.columns is not None else None,
        deck=args.deck,
    )


def _cmd_import(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    options = _csv_options(args)
    for path in args.paths:
        report = col.import_path(path, format=args.format, options=options)
        read_as = " as Obsidian Spaced Repetition notes" if report.format == "obsidian" else ""
        out.write(
            f"imported {path}{read_as}: {len(report.files)} deck file(s), "
            f"{report.cards_added} new card(s), {report.cards_updated} updated, "
            f"{report.reviews} review(s)"
            + (" (nothing new: it was imported before)" if not report.files else "")
            + "\n"
        )
        for note in report.notes:
            out.write(f"  note: {note}\n")
        for warning in report.warnings:
            out.write(f"  warning: {warning}\n")
    return 0


def _cmd_export(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    report = col.export(args.deck, args.out, format=args.format)
    out.write(f"exported {report.cards} card(s) to {report.out}\n")
    for warning in report.warnings:
        out.write(f"  warning: {warning}\n")
    return 0


def _cmd_decks(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    decks = col.decks()
    if args.json:
        _print_json([dataclasses.asdict(d) for d in decks], out)
        return 0
    width = max((len(d.name) for d in decks), default=4)
    out.write(f"{'Deck':<{width}}  {'New':>5}  {'Learn':>5}  {'Due':>5}  {'Total':>6}\n")
    for d in decks:
        out.write(f"{d.name:<{width}}  {d.new:>5}  {d.learning:>5}  {d.due:>5}  {d.total:>6}\n")
    return 0


def _cmd_check(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    report = col.check()
    if args.repair:
        return _repair(col, report, out)
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


def _repair(col: Collection, before: Any, out: TextIO) -> int:
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


def _cmd_backup(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    if args.list:
        return _list_backups(col.data_dir, out)
    made = col.backups.create(kind="manual")
    out.write(
        f"backed up {made.cards} card(s) and {made.reviews} answer(s) to {made.path} "
        f"({_size(made.size)})\n"
    )
    return 0


def _list_backups(data_dir: Path, out: TextIO) -> int:
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


def _data_dir(args: argparse.Namespace) -> Path:
    from flashcards.storage.data_dir import resolve_data_dir

    return resolve_data_dir(args.data_dir)


def _cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.backup import restore_data_dir

    report, note = restore_data_dir(_data_dir(args), args.file)
    when = report.restored.created.astimezone().strftime("%Y-%m-%d %H:%M")
    out.write(
        f"restored {report.restored.path.name} (made {when}): {report.decks_written} deck "
        f"file(s) written, {report.decks_removed} removed\n"
        f"the collection as it was is backed up in {report.saved.path}\n"
    )
    if note:
        out.write(f"note: {note}\n")
    return 0


def _cmd_rebuild(args: argparse.Namespace, out: TextIO) -> int:
    from flashcards.collection.backup import rebuild_data_dir

    cards, note = rebuild_data_dir(_data_dir(args))
    out.write(
        f"a new database from the deck files: {cards} card(s); the review history and "
        "card states in the library's device logs are back\n"
    )
    if note:
        out.write(f"note: {note}\n")
    return 0


def _cmd_sync(col: Collection, _args: argparse.Namespace, out: TextIO) -> int:
    report = col.last_sync
    assert report is not None  # open() syncs
    out.write(
        f"{report.files_seen} deck file(s): {len(report.files_changed)} changed, "
        f"{len(report.files_removed)} removed; {report.cards_added} card(s) added, "
        f"{report.cards_updated} updated, {report.cards_removed} hidden, "
        f"{report.cards_restored} restored\n"
    )
    if report.events_merged or report.cards_merged:
        out.write(
            f"other devices: {report.events_merged} event(s) merged, "
            f"{len(report.cards_merged)} card(s) brought up to date"
            f"{', settings changed' if report.settings_merged else ''}\n"
        )
    for copy in report.conflicts:
        out.write(
            f"conflict copy: {copy.path} ({copy.engine}) of {copy.original}: compare them, "
            "keep what you want in the original and delete the copy (it is not read)\n"
        )
    for error in report.errors:
        out.write(f"problem: {error}\n")
    return 1 if report.errors else 0


HANDLERS = {
    "import": _cmd_import,
    "export": _cmd_export,
    "decks": _cmd_decks,
    "stats": cmd_stats,
    "cheatsheet": cmd_cheatsheet,
    "check": _cmd_check,
    "backup": _cmd_backup,
    "sync": _cmd_sync,
    "optimize": cmd_optimize,
    "simulate": cmd_simulate,
    "exam": cmd_exam,
}


def _run_gui(args: argparse.Namespace, extra: list[str]) -> int:
    try:
        from flashcards.gui.app import main as gui_main
    except ImportError as exc:
        if exc.name in ("flashcards.gui.app", "PySide6") or (exc.name or "").startswith("PySide6"):
            print(
                f"flashcards: error: the app cannot start ({exc}); the command-line "
                "tasks still work: flashcards --help",
                file=sys.stderr,
            )
            return 1
        raise
    gui_args = [*extra]
    if args.data_dir is not None:
        gui_args = ["--data-dir", str(args.data_dir), *gui_args]
    if args.theme is not None:
        gui_args += ["--theme", args.theme]
    if args.study:
        gui_args.append("--study")
    return int(gui_main(gui_args) or 0)


OPTIONS_WITH_VALUES = ("--data-dir", "--theme")
OPENABLE = (".apkg", ".colpkg")  # as flashcards.gui.desktop.OPENABLE (no Qt imported here)


def split_opened_files(arguments: list[str]) -> tuple[list[str], list[str]]:
    """`flashcards deck.apkg` (what a file manager runs): the packages to open, and the
    other arguments. Nothing is split off once a command is named."""
    files: list[str] = []
    rest: list[str] = []
    expects_value = False
    for argument in arguments:
        if expects_value:
            expects_value = False
        elif argument in OPTIONS_WITH_VALUES:
            expects_value = True
        elif not argument.startswith("-"):
            if argument in COMMANDS:
                return [], arguments
            if argument.lower().endswith(OPENABLE):
                files.append(argument)
                continue
        rest.append(argument)
    return files, rest


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it)."""
    out = out or sys.stdout
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    opened, arguments = split_opened_files(arguments)
    args, extra = parser.parse_known_args(arguments)
    if args.command is None:
        return _run_gui(args, [*extra, *(f"--open={name}" for name in opened)])
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command in ("restore", "rebuild"):  # they open the collection themselves
            code = (_cmd_restore if args.command == "restore" else _cmd_rebuild)(args, out)
            out.flush()
            return code
        if args.command == "backup" and args.list:  # no need to open anything
            code = _list_backups(_data_dir(args), out)
            out.flush()
            return code
        with _open(args) as col:
            if args.command not in ("sync", "check"):  # those two list problems themselves
                _warn_left_out(col)
            code = HANDLERS[args.command](col, args, out)
        out.flush()  # here, so a closed pipe is noticed below rather than at exit
        return code
    except FlashcardsError as exc:
        print(f"flashcards: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # `flashcards decks | head`: the reader stopped listening; as other tools do,
        # stop quietly (and keep Python from complaining when it flushes at exit).
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a killed writer


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
