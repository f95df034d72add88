"""Every key of every window, as Help ▸ Keyboard shortcuts lists them: one group a window.

Adding a key to a window? Add one row to that window's group below. A test walks every
action and shortcut of every window and fails on a key no row of its group covers.

A row is (keys as shown, what they do). Shown keys split on " / " into key sequences
("Ctrl+= / Ctrl+-" covers Ctrl+= and Ctrl+-); a row whose shown keys are not that
(a range, a key a widget reads itself) may give a third item: the sequences it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

Row = tuple[str, str] | tuple[str, str, tuple[str, ...]]


@dataclass(frozen=True)
class Group:
    """The keys of one window."""

    title: str
    rows: tuple[Row, ...]

    def covered(self) -> set[str]:
        """The key sequences the rows stand for (Qt's portable spelling)."""
        keys: set[str] = set()
        for row in self.rows:
            sequences = row[2] if len(row) == 3 else tuple(row[0].split(" / "))
            keys |= {portable(s.strip()) for s in sequences}
        return keys


REVIEW = Group(
    "Reviewing a card (main window, and the concept map's Study these)",
    (
        ("Space / Enter", "Show the answer · check your choices · confirm the suggested rating"),
        ("1  2  3  4", "Again · Hard · Good · Easy"),
        ("A  B  C …", "Pick or unpick a multiple-choice option"),
        ("PgUp PgDn ↑ ↓ Home End", "Scroll a long card"),
        ("Ctrl+Z", "Undo — back to the previous card"),
        ("Ctrl+Shift+Z", "Redo what Undo took back"),
        (
            "E  or  Ctrl+E",
            "Edit the card's Markdown (Ctrl+E on a multiple-choice question)",
            ("E", "Ctrl+E"),
        ),
        ("Shift+S", "Suspend the card"),
        ("Shift+B", "Bury the card until tomorrow"),
        ("I", "Card info: history, memory state, recall, links (a ninth option: I picks it)"),
        ("R", "Play the card's sounds again (a side's sounds play when it appears)"),
        ("H", "Open the card's next hint (cards of a note type with hints)"),
        ("Enter", "In the answer box of a type-in card: show the answer, compared"),
        (
            "Ctrl+1 … Ctrl+4",
            "Flag red, orange, green, blue · Ctrl+0 clears the flag",
            ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+0"),
        ),
        ("Esc", "Back to Today (in the map's study window: close it)"),
    ),
)

MAIN = Group(
    "Main window",
    (
        (
            "Space / Enter on Today",
            "Study what the Study button says, wherever the focus is",
            ("Space", "Enter"),
        ),
        ("Ctrl+Enter", "Study (Go ▸ Study)", ("Ctrl+Return",)),
        ("Ctrl+H", "Back to Today"),
        ("Ctrl+B", "Browse cards"),
        ("Ctrl+Shift+N", "New card"),
        ("Ctrl+Shift+M", "Edit the deck chosen in the sidebar"),
        ("Ctrl+Shift+C", "Cheat-sheet of the deck or domain chosen in the sidebar"),
        ("Ctrl+M", "Concept map"),
        ("Ctrl+Shift+P", "Practice exam (or resume the one in progress)"),
        ("Ctrl+Shift+R", "Readiness: predicted exam score, domains, weakest decks and tags"),
        ("Ctrl+Shift+S", "Statistics: review heatmap, true retention, forecast, card states"),
        ("Ctrl+Z", "Undo the last change"),
        ("Ctrl+Shift+Z", "Redo what Undo took back"),
        (
            "Ctrl+= / Ctrl+-",
            "Larger / smaller card text (in the review too)",
            ("Ctrl+=", "Ctrl++", "Ctrl+-"),
        ),
        ("Ctrl+,", "Preferences: theme, card text size, review and scheduling options"),
        ("F5", "Sync: pick up decks edited in other programs and your other devices' reviews"),
        ("Ctrl+Shift+I", "Import decks (Anki, Markdown, CSV)"),
        ("Ctrl+Shift+E", "Export a deck"),
        ("F1", "This list"),
        ("Ctrl+Q", "Quit"),
    ),
)

BROWSER = Group(
    "Card browser",
    (
        ("Ctrl+F", 'Search (words, "phrase", deck:, tag:, is:due …)'),
        ("Esc", "Empty the search box, or close the browser"),
        ("Ctrl+W", "Close the browser"),
        ("Ctrl+A", "Select all cards found"),
        ("Ctrl+J", "Suspend or unsuspend the selected cards"),
        ("Ctrl+Shift+J", "Bury them until tomorrow"),
        (
            "Ctrl+1 … Ctrl+4",
            "Flag them red, orange, green, blue · Ctrl+0 clears the flag",
            ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+0"),
        ),
        ("Ctrl+Alt+N", "Forget them (reset to new)"),
        ("Ctrl+Shift+D", "Set their due date"),
        ("Ctrl+Shift+A", "Add tags"),
        ("Ctrl+Alt+Shift+A", "Remove tags"),
        ("Ctrl+D", "Move to another deck"),
        ("Ctrl+E", "Edit the card in its deck file"),
        ("Ctrl+Shift+I", "Card info of the current card"),
        ("Ctrl+Del", "Delete"),
        ("Ctrl+Z", "Undo"),
        ("Ctrl+Shift+Z", "Redo"),
    ),
)

EDITOR = Group(
    "Deck editor",
    (
        ("Ctrl+S", "Save (review history is kept)"),
        ("Ctrl+N", "New card after the one under the cursor"),
        ("[[", "Link to a card: pick its title from the list (Enter or Tab)", ()),
        ("Esc / Ctrl+W", "Close the editor (it asks about unsaved changes)"),
    ),
)

NOTE_EDITOR = Group(
    "Editing a card from the review (E)",
    (
        ("Ctrl+S", "Save"),
        ("Esc", "Cancel"),
    ),
)

CHEATSHEET = Group(
    "Cheat-sheet",
    (
        ("Ctrl+P", "Print"),
        ("Ctrl+Shift+P", "Export as PDF"),
        ("Ctrl+Shift+H", "Export as HTML"),
        ("Esc / Ctrl+W", "Close the cheat-sheet (Esc empties the search or tag field first)"),
    ),
)

CONCEPT_MAP = Group(
    "Concept map",
    (
        ("Ctrl+F", "Find a card", ("Ctrl+F", "Find")),
        ("F5", "Reload the map"),
        ("Esc", "Leave the neighbourhood, clear the selection, then close the map"),
        ("Ctrl+W", "Close the map (or its Study these window)"),
    ),
)

CARD_INFO = Group(
    "Card info (I in the review, Ctrl+Shift+I in the browser)",
    (
        ("Enter", "On a link or backlink: that card's info (a click does it too)", ()),
        ("Alt+Left", "Back to the card shown before"),
        ("Esc / Ctrl+W", "Close card info"),
    ),
)

PRACTICE_EXAM = Group(
    "Practice exam",
    (
        ("Enter", "On the start page: start (or resume) the exam · on the result: review it", ()),
        ("A  B  C …", 'Pick an option (a "choose two" question: pick or unpick)', ()),
        ("Del", "Take the answer back", ()),
        ("← / →  or  P / N", "Previous / next question (Home, End: first, last)", ()),
        ("F", "Flag the question for review (or unflag it)", ()),
        (
            "Ctrl+Enter",
            "Submit the exam (it asks first, naming unanswered and flagged)",
            ("Ctrl+Return",),
        ),
        ("W", "In the review: the next wrong answer", ()),
        ("I  /  B  /  E", "In the review: the card's info / the card in the browser / edit it", ()),
        ("Esc / Ctrl+W", "Leave (an exam waits to be resumed) · from the review: the result"),
    ),
)

STATISTICS = Group(
    "Statistics",
    (
        ("Ctrl+F", "Search: narrow every chart with the browser's search language"),
        ("F5", "Read the figures again"),
        ("Esc / Ctrl+W", "Close the statistics (Esc empties the search field first)"),
    ),
)

GROUPS: tuple[Group, ...] = (
    MAIN,
    REVIEW,
    BROWSER,
    EDITOR,
    NOTE_EDITOR,
    CHEATSHEET,
    CONCEPT_MAP,
    CARD_INFO,
    PRACTICE_EXAM,
    STATISTICS,
)


def portable(sequence: QKeySequence | str) -> str:
    """A key sequence in Qt's portable spelling ("Ctrl+Return", "Esc")."""
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.PortableText)


def registered_keys(window: QWidget) -> dict[str, str]:
    """Every key sequence of an action or a shortcut of `window` and its children, with
    what it does (the action's text), in Qt's portable spelling."""
    found: dict[str, str] = {}
    for action in [*window.actions(), *window.findChildren(QAction)]:
        for sequence in action.shortcuts():
            if not sequence.isEmpty():
                found.setdefault(portable(sequence), action.text().replace("&", ""))
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():  # noqa: SIM118 (a QShortcut, not a dict)
            if not sequence.isEmpty():
                found.setdefault(portable(sequence), "a shortcut")
    return found


def rows_html(rows: tuple[Row, ...]) -> str:
    """Rows as an HTML table: keys in bold, then what they do."""
    cells = "".join(
        f'<tr><td style="padding:3px 18px 3px 0; white-space:nowrap"><b>{escape(row[0])}</b>'
        f'</td><td style="padding:3px 0">{escape(row[1])}</td></tr>'
        for row in rows
    )
    return f"<table cellspacing=0>{cells}</table>"


def groups_html(groups: tuple[Group, ...] = GROUPS) -> str:
    """Every group under its window's name."""
    return "".join(
        f"<h3 style='margin:14px 0 4px 0'>{escape(group.title)}</h3>" + rows_html(group.rows)
        for group in groups
    )
