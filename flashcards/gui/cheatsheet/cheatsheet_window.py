"""The cheat-sheet view: pick a deck or a domain and filters; read, print or export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from flashcards.core.errors import FlashcardsError
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.cheatsheet.export import print_to, write_html, write_pdf
from flashcards.gui.cheatsheet.sheet import Sheet, SheetOptions, load_sheet, sheet_html
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.plain_copy import PlainCopyBrowser
from flashcards.gui.window_geometry import fit_to_screen


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _sheet_and_page(col: Any, options: SheetOptions, now: datetime) -> tuple[Sheet, str]:
    """The sheet and its HTML, made on the worker (drawing formulas takes time)."""
    sheet = load_sheet(col, options, now=now)
    return sheet, sheet_html(sheet)


def _scopes(col: Any) -> list[tuple[str, SheetOptions]]:
    """(label, options) for every deck and every domain."""
    decks = col.decks()
    scopes = [(f"Deck: {d.name}", SheetOptions(deck=d.file)) for d in decks]
    domains = sorted({d.domain for d in decks if d.domain})
    scopes += [(f"Domain: {name}", SheetOptions(domain=name)) for name in domains]
    return scopes


class CheatSheetWindow(QMainWindow):
    """A deck or a domain as one readable document, with Print and Export."""

    loaded = Signal(object)  # Sheet

    def __init__(
        self,
        runner: Any,
        *,
        options: SheetOptions | None = None,
        now: Callable[[], datetime] = _utc_now,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = GuardedRunner(runner, self)
        self.now = now
        self.options = options or SheetOptions()
        self.sheet: Sheet | None = None
        self._scopes: list[SheetOptions] = []
        self.setWindowTitle("Cheat-sheet")
        self.view = PlainCopyBrowser(self)
        self.view.setOpenLinks(False)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.document().setDocumentMargin(36)
        # A sheet is paper: dark text on white in either theme, as it will print.
        self.view.setStyleSheet("QTextBrowser { background: #ffffff; color: #1f2328; }")
        self.setCentralWidget(self.view)
        self._build_toolbar()
        self._tag_timer = QTimer(self)
        self._tag_timer.setSingleShot(True)
        self._tag_timer.setInterval(400)
        self._tag_timer.timeout.connect(self._apply_filters)
        add_close_keys(self)
        fit_to_screen(self, QSize(960, 900), settings=settings, key="cheatsheet")

    def _build_toolbar(self) -> None:
        bar = QToolBar("Cheat-sheet", self)
        bar.setMovable(False)
        self.scope = QComboBox(self)
        self.scope.setMinimumWidth(260)
        self.scope.activated.connect(self._scope_chosen)
        bar.addWidget(self.scope)
        bar.addSeparator()
        self.struggling = QCheckBox("Only cards I struggle with", self)
        self.struggling.setToolTip("Recall below 80% now, or forgotten 3 times or more")
        self.struggling.setChecked(self.options.struggling)
        self.struggling.toggled.connect(lambda _on: self._apply_filters())
        bar.addWidget(self.struggling)
        bar.addWidget(QLabel("  Tag: ", self))
        self.tag = QLineEdit(self.options.tag or "", self)
        self.tag.setPlaceholderText("any")
        self.tag.setMaximumWidth(140)
        self.tag.textEdited.connect(lambda _t: self._tag_timer.start())
        self.tag.returnPressed.connect(self._apply_filters)
        bar.addWidget(self.tag)
        bar.addSeparator()
        for text, keys, slot in (
            ("Print…", QKeySequence.StandardKey.Print, self.print_sheet),
            ("Export PDF…", "Ctrl+Shift+P", self.export_pdf),
            ("Export HTML…", "Ctrl+Shift+H", self.export_html),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, s=slot: s())
            bar.addAction(action)
        self.addToolBar(bar)

    # -- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """Fill the scope list, then the sheet for the current options."""
        self.runner.run(_scopes, success=self._scopes_loaded, label="cheat-sheet scopes")
        self.reload()

    def _scopes_loaded(self, scopes: list[tuple[str, SheetOptions]]) -> None:
        self.scope.clear()
        self._scopes = []
        for label, options in scopes:
            self.scope.addItem(label)
            self._scopes.append(options)
        for i, options in enumerate(self._scopes):
            if (options.deck, options.domain) == (self.options.deck, self.options.domain):
                self.scope.setCurrentIndex(i)

    def _scope_chosen(self, index: int) -> None:
        if 0 <= index < len(self._scopes):
            chosen = self._scopes[index]
            self.set_options(
                SheetOptions(
                    deck=chosen.deck,
                    domain=chosen.domain,
                    struggling=self.struggling.isChecked(),
                    tag=self.tag.text().strip() or None,
                )
            )

    def _apply_filters(self) -> None:
        self.set_options(
            SheetOptions(
                deck=self.options.deck,
                domain=self.options.domain,
                struggling=self.struggling.isChecked(),
                tag=self.tag.text().strip() or None,
            )
        )

    def set_options(self, options: SheetOptions) -> None:
        self.options = options
        self.reload()

    def reload(self) -> None:
        options, now = self.options, self.now()
        self.runner.run(
            lambda col: _sheet_and_page(col, options, now),
            success=self._loaded,
            failure=self._failed,
            label="cheat-sheet",
        )

    def _loaded(self, loaded: tuple[Sheet, str]) -> None:
        sheet, page = loaded
        self.sheet = sheet
        self.setWindowTitle(f"{sheet.title} — Cheat-sheet")
        self.view.setHtml(page)
        self.loaded.emit(sheet)

    def _failed(self, failure: Any) -> None:
        if isinstance(failure.error, FlashcardsError):
            self.view.setHtml(f"<p style='color:#d64541'>{failure.error}</p>")
            return
        handler = getattr(self.runner, "default_failure", None)
        if handler is not None:
            handler(failure)

    # -- output ---------------------------------------------------------------------------

    def print_sheet(self) -> None:
        if self.sheet is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print cheat-sheet")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_to(printer, self.sheet)

    def _ask_path(self, caption: str, suffix: str, pattern: str) -> Path | None:
        assert self.sheet is not None
        default = self.sheet.title.replace("/", "-").replace("::", " - ") + suffix
        name, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / default), pattern)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(suffix)

    def export_pdf(self, path: Path | None = None) -> Path | None:
        """Write the sheet as a PDF (asks where when `path` is None)."""
        if self.sheet is None:
            return None
        path = path or self._ask_path("Export cheat-sheet as PDF", ".pdf", "PDF (*.pdf)")
        if path is None:
            return None
        try:
            write_pdf(self.sheet, path)
        except OSError as exc:
            QMessageBox.warning(self, "Flashcards", f"Cannot write {path}: {exc.strerror}")
            return None
        self.statusBar().showMessage(f"Saved {path}", 6000)
        return path

    def export_html(self, path: Path | None = None) -> Path | None:
        """Write the sheet as one self-contained HTML file (images inlined)."""
        if self.sheet is None:
            return None
        path = path or self._ask_path("Export cheat-sheet as HTML", ".html", "HTML (*.html)")
        if path is None:
            return None
        try:
            write_html(self.sheet, path)
        except OSError as exc:
            QMessageBox.warning(self, "Flashcards", f"Cannot write {path}: {exc.strerror}")
            return None
        self.statusBar().showMessage(f"Saved {path}", 6000)
        return path
