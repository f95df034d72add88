"""True retention as the True Retention add-on shows it: passed, failed and retention of
young and mature review answers for today, yesterday, the last week, month and year; and
the same by exam domain for the last month and year."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from flashcards.collection.domain_retention import DomainRetention
from flashcards.core.stats import PassFail, RetentionRow


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def table_html(rows: Sequence[RetentionRow]) -> str:
    """The table as HTML: a header row of groups, one of columns, a row a period."""
    cell = "padding:3px 10px; text-align:right"
    head = "padding:3px 10px; text-align:right; font-weight:600"
    groups = "".join(
        f'<th colspan="3" style="{head}; text-align:center">{g}</th>'
        for g in ("Young", "Mature", "Total")
    )
    columns = "".join(
        f'<th style="{head}">{c}</th>' for _ in range(3) for c in ("Passed", "Failed", "Retention")
    )
    body = []
    for row in rows:
        cells = []
        for part, strong in ((row.young, False), (row.mature, False), (row.total, True)):
            cells.append(_cells(part, cell, strong=strong))
        body.append(
            f'<tr><td style="padding:3px 10px 3px 0">{escape(row.label)}</td>'
            + "".join(cells)
            + f'<td style="{cell}">{row.total.total:,}</td></tr>'
        )
    return (
        '<table cellspacing="0" style="border-collapse:collapse">'
        f'<tr><th></th>{groups}<th style="{head}"></th></tr>'
        f'<tr><th style="{head}; text-align:left; padding-left:0">Period</th>{columns}'
        f'<th style="{head}">Reviews</th></tr>' + "".join(body) + "</table>"
    )


def _cells(part: PassFail, style: str, *, strong: bool) -> str:
    retention = percent(part.retention)
    if strong:
        retention = f"<b>{retention}</b>"
    return (
        f'<td style="{style}">{part.passed:,}</td><td style="{style}">{part.failed:,}</td>'
        f'<td style="{style}">{retention}</td>'
    )


class RetentionTable(QLabel):
    """The table (a rich-text label: small, selectable, and it grabs as it looks)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: tuple[RetentionRow, ...] = ()
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_rows(self, rows: Sequence[RetentionRow]) -> None:
        self.rows = tuple(rows)
        self.setText(table_html(rows))


def domains_html(rows: Sequence[DomainRetention]) -> str:
    """A row a domain: young, mature and total retention (of how many answers) over the
    last month and the last year, and its leeches."""
    cell = "padding:3px 10px; text-align:right"
    head = "padding:3px 10px; text-align:right; font-weight:600"

    def share(part: PassFail, *, strong: bool = False) -> str:
        text = f"{percent(part.retention)} <small>of {part.total:,}</small>" if part.total else "—"
        return f'<td style="{cell}">{"<b>" + text + "</b>" if strong else text}</td>'

    groups = "".join(
        f'<th colspan="3" style="{head}; text-align:center">{g}</th>'
        for g in ("Last month", "Last year")
    )
    columns = (
        "".join(
            f'<th style="{head}">{c}</th>' for _ in range(2) for c in ("Young", "Mature", "Total")
        )
        + f'<th style="{head}">Leeches</th>'
    )

    body = "".join(
        f'<tr><td style="padding:3px 10px 3px 0">{escape(row.domain)}</td>'
        + share(row.month_young)
        + share(row.month_mature)
        + share(row.month, strong=True)
        + share(row.year_young)
        + share(row.year_mature)
        + share(row.year, strong=True)
        + f'<td style="{cell}">{row.leeches:,}</td>'
        + "</tr>"
        for row in rows
    )
    return (
        '<table cellspacing="0" style="border-collapse:collapse">'
        f"<tr><th></th>{groups}<th></th></tr>"
        f'<tr><th style="{head}; text-align:left; padding-left:0">Domain</th>{columns}</tr>'
        + body
        + "</table>"
    )


class DomainTable(RetentionTable):
    """True retention and leeches by exam domain."""

    def set_domains(self, rows: Sequence[DomainRetention]) -> None:
        self.domains = tuple(rows)
        self.setText(domains_html(rows))
