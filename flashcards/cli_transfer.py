"""`flashcards import` and `flashcards export`: decks in and out, with the CSV flags.

flashcards import PATH…                    .md file or folder, .apkg, .colpkg, .csv/.tsv/.txt
flashcards import --columns front,back F   a text file's columns (also --delimiter, --header)
flashcards export [--deck NAME] -o OUT     a deck, a folder or everything
flashcards export -o OUT.csv --safe-for-spreadsheets   formulas escaped for Excel/LibreOffice
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from flashcards.collection import Collection


def add_parsers(sub: Any) -> None:
    """The `import` and `export` commands and their flags."""
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
    p.add_argument(
        "--safe-for-spreadsheets",
        action="store_true",
        help="CSV: put a ' before cells starting with = + - @ so a spreadsheet opening the "
        "file runs no formula (our import reads it back exactly; Anki keeps the ')",
    )


def csv_options(args: argparse.Namespace) -> Any:
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


def cmd_import(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    options = csv_options(args)
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


def cmd_export(col: Collection, args: argparse.Namespace, out: TextIO) -> int:
    report = col.export(
        args.deck, args.out, format=args.format, spreadsheet_safe=args.safe_for_spreadsheets
    )
    out.write(f"exported {report.cards} card(s) to {report.out}\n")
    for warning in report.warnings:
        out.write(f"  warning: {warning}\n")
    return 0
