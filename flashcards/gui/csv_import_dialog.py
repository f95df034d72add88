"""Importing a CSV file, as Anki's import page does: the separator, whether the first row
holds column names, what each column is (front, back, tags, deck … or ignored) and the
deck the rows go to, with a preview of the first rows read that way.

The dialog only chooses: `options()` are the `CsvOptions` the import then runs with, so
what the preview shows is what the import does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from flashcards.core.errors import InteropError
from flashcards.interop.anki_convert import deck_paths
from flashcards.interop.csv_layout import (
    SEPARATOR_NAMES,
    ColumnRole,
    CsvOptions,
    CsvPreview,
    check_roles,
    preview,
)
from flashcards.interop.text_import import deck_name

SEPARATOR_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("Auto", None),
    ("Comma  ,", ","),
    ("Tab", "\t"),
    ("Semicolon  ;", ";"),
    ("Pipe  |", "|"),
    ("Space", " "),
    ("Colon  :", ":"),
)
ROLE_CHOICES = (
    ColumnRole.FRONT,
    ColumnRole.BACK,
    ColumnRole.TAGS,
    ColumnRole.DECK,
    ColumnRole.NOTETYPE,
    ColumnRole.GUID,
    ColumnRole.IGNORE,
)
PREVIEW_ROWS = 8
_SAMPLE_CHARS = 40


def _one_line(text: str, limit: int = _SAMPLE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class CsvImportDialog(QDialog):
    """Choices for importing one text file; accepted, `options()` drive the import."""

    def __init__(
        self,
        path: Path,
        text: str,
        *,
        decks: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = path
        self.text = text
        self.decks = dict(decks)  # existing deck name -> its library file
        self.shown: CsvPreview | None = None
        self.role_boxes: list[QComboBox] = []
        self._roles_chosen = False  # the user changed a role: keep them across re-reads
        self._header_choice: bool | None = None  # None: as the file says, or guessed
        self.setWindowTitle(f"Import {path.name}")
        layout = QVBoxLayout(self)

        file_box = QGroupBox("File", self)
        form = QFormLayout(file_box)
        self.separator = QComboBox(file_box)
        for label, char in SEPARATOR_CHOICES:
            self.separator.addItem(label, char)
        self.header_row = QCheckBox("&First row holds column names", file_box)
        row = QHBoxLayout()
        row.addWidget(self.separator)
        row.addSpacing(16)
        row.addWidget(self.header_row)
        row.addStretch(1)
        separator_label = QLabel("&Separator", file_box)
        separator_label.setBuddy(self.separator)
        form.addRow(separator_label, row)
        self.deck = QComboBox(file_box)
        self.deck.setEditable(True)
        self.deck.addItems(sorted(self.decks, key=str.casefold))
        self.deck.setMinimumContentsLength(28)
        self.target = QLabel("", file_box)
        self.target.setTextFormat(Qt.TextFormat.PlainText)
        deck_row = QHBoxLayout()
        deck_row.addWidget(self.deck, 1)
        deck_row.addWidget(self.target, 1)
        deck_label = QLabel("&Deck", file_box)
        deck_label.setBuddy(self.deck)
        form.addRow(deck_label, deck_row)
        layout.addWidget(file_box)

        columns_box = QGroupBox("Columns", self)
        columns_layout = QVBoxLayout(columns_box)
        self.columns_area = QScrollArea(columns_box)
        self.columns_area.setWidgetResizable(True)
        self.columns_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.columns_widget = QWidget(self.columns_area)
        self.columns_grid = QGridLayout(self.columns_widget)
        self.columns_grid.setContentsMargins(0, 0, 0, 0)
        self.columns_area.setWidget(self.columns_widget)
        columns_layout.addWidget(self.columns_area)
        layout.addWidget(columns_box)

        self.preview_box = QGroupBox("Preview", self)
        preview_layout = QVBoxLayout(self.preview_box)
        self.table = QTableWidget(self.preview_box)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        preview_layout.addWidget(self.table)
        layout.addWidget(self.preview_box, 1)

        self.problem = QLabel("", self)
        self.problem.setStyleSheet("color: #d64541;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.import_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.separator.currentIndexChanged.connect(lambda _: self._reread())
        self.header_row.toggled.connect(self._header_toggled)
        self.deck.currentTextChanged.connect(lambda _: self._show_target())
        self._reread()
        if self.shown is not None:
            self.deck.setEditText(self.shown.layout.deck)
        self._show_target()
        self._fit_screen()

    # -- reading the file with the current choices ------------------------------------

    def _header_toggled(self, checked: bool) -> None:
        self._header_choice = checked
        self._reread()

    def _reread(self) -> None:
        """Read the file again after a separator or header-row change."""
        header_row = self._header_choice
        roles = self.roles() if self._roles_chosen else None
        options = CsvOptions(separator=self.separator.currentData(), header_row=header_row)
        try:
            shown = preview(
                self.text,
                label=self.path.name,
                default_deck=deck_name(self.path),
                options=options,
                limit=PREVIEW_ROWS,
            )
            if roles is not None and len(roles) == len(shown.layout.roles):
                shown = preview(
                    self.text,
                    label=self.path.name,
                    default_deck=deck_name(self.path),
                    options=CsvOptions(options.separator, header_row, roles),
                    limit=PREVIEW_ROWS,
                )
            else:
                self._roles_chosen = False
        except InteropError as exc:
            self.shown = None
            self._show_columns(None)
            self._show_problem(str(exc))
            return
        self.shown = shown
        self._show_separator(shown)
        self.header_row.blockSignals(True)
        self.header_row.setChecked(shown.layout.header_row)
        self.header_row.blockSignals(False)
        self._show_columns(shown)
        self._roles_changed()

    def _show_separator(self, shown: CsvPreview) -> None:
        char = shown.layout.separator
        name = SEPARATOR_NAMES.get(char, repr(char))
        how = "Auto" if shown.layout.separator_guessed else "As the file says"
        self.separator.setItemText(0, f"{how} ({name})")

    def _show_columns(self, shown: CsvPreview | None) -> None:
        while self.columns_grid.count():
            item = self.columns_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.role_boxes = []
        if shown is None:
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        layout = shown.layout
        for index, role in enumerate(layout.roles):
            name = layout.names[index]
            sample = next((r[index] for r in shown.rows if r[index].strip()), "")
            title = QLabel(f"Column {index + 1}", self.columns_widget)
            detail = f"“{_one_line(name)}”" if name else f"e.g. {_one_line(sample) or '(empty)'}"
            hint = QLabel(detail, self.columns_widget)
            hint.setTextFormat(Qt.TextFormat.PlainText)
            hint.setStyleSheet("color: palette(placeholder-text);")
            box = QComboBox(self.columns_widget)
            for choice in ROLE_CHOICES:
                box.addItem(choice.label, choice)
            box.setCurrentIndex(ROLE_CHOICES.index(role))
            box.setAccessibleName(f"Column {index + 1}")
            box.currentIndexChanged.connect(self._role_picked)
            title.setBuddy(box)
            row, col = divmod(index, 2)
            self.columns_grid.addWidget(title, row, col * 4)
            self.columns_grid.addWidget(box, row, col * 4 + 1)
            self.columns_grid.addWidget(hint, row, col * 4 + 2)
            self.role_boxes.append(box)
        self.columns_grid.setColumnStretch(2, 1)
        self.columns_grid.setColumnStretch(6, 1)
        if len(layout.roles) > 1:
            self.columns_grid.setColumnMinimumWidth(3, 24)
        rows = (len(layout.roles) + 1) // 2
        line = self.role_boxes[0].sizeHint().height() + 6 if self.role_boxes else 30
        self.columns_area.setMinimumHeight(min(rows, 4) * line)
        self.table.setColumnCount(len(layout.roles))
        self.table.setRowCount(len(shown.rows))
        for r, values in enumerate(shown.rows):
            for c, value in enumerate(values):
                cell = QTableWidgetItem(_one_line(value, 80))
                cell.setToolTip(value)
                self.table.setItem(r, c, cell)

    # -- roles ----------------------------------------------------------------------------

    def roles(self) -> tuple[ColumnRole, ...]:
        """Each column's role as the boxes show it."""
        return tuple(box.currentData() for box in self.role_boxes)

    def _role_picked(self) -> None:
        self._roles_chosen = True
        self._roles_changed()

    def _roles_changed(self) -> None:
        roles = self.roles()
        shown = self.shown
        names = shown.layout.names if shown is not None else ()
        labels = []
        for index, role in enumerate(roles):
            name = names[index] if index < len(names) else ""
            named = name and name.casefold() != role.label.casefold()
            labels.append(
                f"{index + 1} · {role.label}" + (f" ({_one_line(name, 24)})" if named else "")
            )
        self.table.setHorizontalHeaderLabels(labels)
        self.table.resizeColumnsToContents()  # headers included: they name the roles
        for c in range(self.table.columnCount()):
            self.table.setColumnWidth(c, min(max(self.table.columnWidth(c), 90), 280))
        grey = self.palette().color(QPalette.ColorRole.PlaceholderText)
        text = self.palette().color(QPalette.ColorRole.Text)
        for c, role in enumerate(roles):
            for r in range(self.table.rowCount()):
                item = self.table.item(r, c)
                if item is not None:
                    item.setForeground(grey if role is ColumnRole.IGNORE else text)
        if shown is not None:
            count = shown.row_count
            first = min(count, PREVIEW_ROWS)
            self.preview_box.setTitle(
                f"Preview: the first {first} of {count} rows"
                if count > first
                else f"Preview: {count} row{'s' if count != 1 else ''}"
            )
        try:
            check_roles(roles, label=self.path.name)
        except InteropError as exc:
            self._show_problem(exc.message[:1].upper() + exc.message[1:] + ".")
            return
        self._show_problem("")
        self._show_target()

    # -- deck ------------------------------------------------------------------------------

    def deck_choice(self) -> tuple[str, str | None]:
        """(deck name, its existing file or None) as typed or picked."""
        name = self.deck.currentText().strip()
        return name, self.decks.get(name)

    def _show_target(self) -> None:
        name, existing = self.deck_choice()
        has_column = ColumnRole.DECK in self.roles()
        if not name:
            text = "Give the deck a name"
        elif existing is not None:
            text = f"Adds to {existing}"
        else:
            text = f"New deck file {deck_paths([name])[name]}"
        # With a Deck column, only the rows that leave it empty go to this deck.
        self.target.setText(text + (" (rows without a Deck)" if has_column and name else ""))
        self._update_button()

    def _update_button(self) -> None:
        ok = self.shown is not None and not self.problem.isVisible()
        self.import_button.setEnabled(ok and bool(self.deck_choice()[0]))

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self._update_button()

    # -- result ----------------------------------------------------------------------------

    def options(self) -> CsvOptions:
        """The choices, as the import takes them."""
        name, existing = self.deck_choice()
        return CsvOptions(
            separator=self.separator.currentData(),
            header_row=self.header_row.isChecked(),
            columns=self.roles(),
            deck=name or None,
            deck_file=existing,
        )

    def _fit_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        width, height = 900, 620
        if room is not None:
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(width, height)
