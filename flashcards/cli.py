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
from flashcards.cli_safety import add_parsers as add_safety_parsers
from flashcards.cli_safety import (
    cmd_backup,
    cmd_check,
    cmd_rebuild,
    cmd_restore,
    data_folder,
    print_backups,
)
from flashcards.cli_stats import add_parser as add_stats_parser
from flashcards.cli_stats import cmd_stats
from flashcards.cli_transfer import add_parsers as add_transfer_parsers
from flashcards.cli_transfer import cmd_export, cmd_import
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
    add_transfer_parsers(sub)
    p = sub.add_parser("decks", help="decks with new / learning / due / total counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    add_stats_parser(sub)
    add_cheatsheet_parser(sub)
    add_safety_parsers(sub)
    sub.add_parser("sync", help="pick up changes made to the deck files and other devices' reviews")
    add_optimize_parsers(sub)
    add_exam_parser(sub)
    return parser


READ_ONLY_COMMANDS = frozenset(
    {"decks", "stats", "cheatsheet", "check", "export", "simulate", "exam", "backup"}
)


def _open(args: argparse.Namespace) -> Collection:
    from flashcards.collection import Collection
    from flashcards.core.errors import CollectionLockedError
    from flashcards.storage.data_dir import resolve_data_dir

    reads_only = args.command in READ_ONLY_COMMANDS and not getattr(args, "repair", False)
    if reads_only and _read_only_folder(args.data_dir):
        # A backup drive, a snapshot, a read-only mount: no lock, no sync can be written.
        print(
            f"flashcards: note: the data folder {resolve_data_dir(args.data_dir)} is "
            "read-only; reading the collection as it was last saved (nothing can be saved there)",
            file=sys.stderr,
        )
        return Collection.open(args.data_dir, readonly=True)
    try:
        return Collection.open(args.data_dir)
    except CollectionLockedError:
        if not reads_only:
            raise
    # The app has the collection open: reading is safe, without syncing file edits.
    print(
        "flashcards: note: the collection is open in the app; reading it as it was last synced",
        file=sys.stderr,
    )
    return Collection.open(args.data_dir, readonly=True)


def _read_only_folder(data_dir: str | None) -> bool:
    """Whether `data_dir` holds a collection in a folder this user may not write."""
    from flashcards.storage.data_dir import resolve_data_dir
    from flashcards.storage.engine import DB_NAME

    folder = resolve_data_dir(data_dir)
    return (
        folder.is_dir()
        and (folder / DB_NAME).is_file()
        and not os.access(folder, os.W_OK | os.X_OK)
    )


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
    "import": cmd_import,
    "export": cmd_export,
    "decks": _cmd_decks,
    "stats": cmd_stats,
    "cheatsheet": cmd_cheatsheet,
    "check": cmd_check,
    "backup": cmd_backup,
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
            code = (cmd_restore if args.command == "restore" else cmd_rebuild)(args, out)
            out.flush()
            return code
        if args.command == "backup" and args.list:  # no need to open anything
            code = print_backups(data_folder(args), out)
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
