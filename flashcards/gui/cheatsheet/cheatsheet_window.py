"""The cheat-sheet window: choose the cards (a deck, folder or domain; a search, a tag,
struggling cards) and the setting (compact columns or one full column; A4 or Letter);
read it, see its pages, print it or export it as PDF or a web page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from flashcards.collection.cheatsheet import sheet_path_name
from flashcards.collection.cheatsheet_html import SCREEN_SCALE, Block
from flashcards.core.errors import FlashcardsError
from flashcards.gui.browser.guarded_runner import GuardedRunner
from flashcards.gui.cheatsheet.export import (
    print_blocks,
    print_to,
    sheet_pages,
    write_html,
    write_pdf,
)
from flashcards.gui.cheatsheet.page_preview import PagePreview
from flashcards.gui.cheatsheet.pages import default_paper, page_layout
from flashcards.gui.cheatsheet.sheet import (
    Layout,
    Paper,
    Sheet,
    SheetOptions,
    load_sheet,
    sheet_html,
    sheet_scopes,
)
from flashcards.gui.cheatsheet.sheet_view import SheetView
from flashcards.gui.close_keys import add_close_keys
from flashcards.gui.window_geometry import fit_to_screen


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _sheet_and_page(
    col: Any, options: SheetOptions, layout: Layout, now: datetime
) -> tuple[Sheet, str]:
    """The sheet and its HTML, made on the worker (drawing formulas takes time)."""
    sheet = load_sheet(col, options, now=now)
    return sheet, sheet_html(sheet, layout=layout, scale=SCREEN_SCALE)


class CheatSheetWindow(QMainWindow):
    """A deck, folder, domain or search as one document, with Print and Export."""

    loaded = Signal(object)  # Sheet
    pages_shown = Signal(object)  # SheetPages

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
        self.settings = settings
        self.options = options or SheetOptions()
        self.sheet: Sheet | None = None
        self._blocks: dict[Layout, list[Block]] = {}  # at paper size, for this sheet
        self._scopes: list[SheetOptions] = []
        self.setWindowTitle("Cheat-sheet")
        self.view = SheetView(self)
        self.preview = PagePreview(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.preview)
        self.setCentralWidget(self.stack)
        self._build_toolbars()
        self._typing = QTimer(self)  # the tag and search fields apply after a pause
        self._typing.setSingleShot(True)
        self._typing.setInterval(400)
        self._typing.timeout.connect(self._apply_filters)
        add_close_keys(self)
        fit_to_screen(self, QSize(1000, 900), settings=settings, key="cheatsheet")

    # -- toolbars ---------------------------------------------------------------------------

    def _build_toolbars(self) -> None:
        bar = QToolBar("Cards", self)
        bar.setMovable(False)
        self.scope = QComboBox(self)
        self.scope.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scope.setMinimumContentsLength(34)
        self.scope.activated.connect(self._scope_chosen)
        self.scope.currentTextChanged.connect(self.scope.setToolTip)
        bar.addWidget(self.scope)
        bar.addWidget(QLabel("  Search: ", self))
        self.search = QLineEdit(self.options.search, self)
        self.search.setPlaceholderText("any card, e.g. kind:cloze or eta")
        self.search.setToolTip("Only the cards this search finds (the browser's search language)")
        self.search.setMinimumWidth(190)
        self.search.setMaximumWidth(300)
        self.search.textEdited.connect(lambda _t: self._typing.start())
        self.search.returnPressed.connect(self._apply_filters)
        bar.addWidget(self.search)
        bar.addWidget(QLabel("  Tag: ", self))
        self.tag = QLineEdit(self.options.tag or "", self)
        self.tag.setPlaceholderText("any")
        self.tag.setMaximumWidth(120)
        self.tag.textEdited.connect(lambda _t: self._typing.start())
        self.tag.returnPressed.connect(self._apply_filters)
        bar.addWidget(self.tag)
        bar.addSeparator()
        self.struggling = QCheckBox("Only cards I struggle with", self)
        self.struggling.setToolTip("Recall below 80% now, or forgotten 3 times or more")
        self.struggling.setChecked(self.options.struggling)
        self.struggling.toggled.connect(lambda _on: self._apply_filters())
        bar.addWidget(self.struggling)
        self.addToolBar(bar)
        self.addToolBarBreak()
        out = QToolBar("Paper", self)
        out.setMovable(False)
        out.addWidget(QLabel(" Layout: ", self))
        self.layout_box = QComboBox(self)
        self.layout_box.addItem("Compact (columns)", Layout.COMPACT)
        self.layout_box.addItem("Full (one column)", Layout.FULL)
        self.layout_box.setToolTip(
            "Compact: small type in three columns, questions in bold — a sheet to print"
        )
        out.addWidget(self.layout_box)
        out.addWidget(QLabel("  Paper: ", self))
        self.paper_box = QComboBox(self)
        self.paper_box.addItem("A4", Paper.A4)
        self.paper_box.addItem("Letter", Paper.LETTER)
        out.addWidget(self.paper_box)
        self._restore_setting(self.layout_box, "cheatsheet/layout", Layout.COMPACT)
        self._restore_setting(self.paper_box, "cheatsheet/paper", default_paper())
        self.layout_box.currentIndexChanged.connect(lambda _i: self._layout_changed())
        self.paper_box.currentIndexChanged.connect(lambda _i: self._paper_changed())
        out.addSeparator()
        self.pages_action = QAction("Pages", self)
        self.pages_action.setCheckable(True)
        self.pages_action.setToolTip("See the pages as they will print")
        self.pages_action.toggled.connect(self._show_pages)
        out.addAction(self.pages_action)
        out.addSeparator()
        for text, keys, slot in (
            ("Print…", QKeySequence.StandardKey.Print, self.print_sheet),
            ("Export PDF…", "Ctrl+Shift+P", self.export_pdf),
            ("Export HTML…", "Ctrl+Shift+H", self.export_html),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _=False, s=slot: s())
            out.addAction(action)
        self.addToolBar(out)

    def _restore_setting(self, combo: QComboBox, key: str, default: Any) -> None:
        saved = self.settings.value(key) if self.settings is not None else None
        values = [combo.itemData(i).value for i in range(combo.count())]
        wanted = saved if saved in values else default.value
        combo.setCurrentIndex(values.index(wanted))

    def _save_setting(self, key: str, value: str) -> None:
        if self.settings is not None:
            self.settings.setValue(key, value)

    @property
    def layout_choice(self) -> Layout:
        return Layout(self.layout_box.currentData())

    @property
    def paper(self) -> Paper:
        return Paper(self.paper_box.currentData())

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Fill the scope list, then the sheet for the current options."""
        self.runner.run(sheet_scopes, success=self._scopes_loaded, label="cheat-sheet scopes")
        self.reload()

    def _scopes_loaded(self, scopes: list[tuple[str, SheetOptions]]) -> None:
        self.scope.clear()
        self._scopes = []
        for label, options in scopes:
            self.scope.addItem(label)
            self._scopes.append(options)
        chosen = self.options.selection()
        for i, options in enumerate(self._scopes):
            if options.selection() == chosen:
                self.scope.setCurrentIndex(i)
        # The box elides a long deck name; the list that drops down shows it whole.
        metrics = self.scope.fontMetrics()
        widest = max((metrics.horizontalAdvance(label) for label, _ in scopes), default=0)
        self.scope.view().setMinimumWidth(min(widest + 40, 720))

    def _scope_chosen(self, index: int) -> None:
        if 0 <= index < len(self._scopes):
            chosen = self._scopes[index]
            self.set_options(self._filtered(SheetOptions(deck=chosen.deck, domain=chosen.domain)))

    def _filtered(self, base: SheetOptions) -> SheetOptions:
        return SheetOptions(
            deck=base.deck,
            domain=base.domain,
            struggling=self.struggling.isChecked(),
            tag=self.tag.text().strip() or None,
            search=self.search.text().strip(),
        )

    def _apply_filters(self) -> None:
        self.set_options(self._filtered(self.options))

    def set_options(self, options: SheetOptions) -> None:
        self.options = options
        self.reload()

    def reload(self) -> None:
        options, now, layout = self.options, self.now(), self.layout_choice
        self.runner.run(
            lambda col: _sheet_and_page(col, options, layout, now),
            success=self._loaded,
            failure=self._failed,
            label="cheat-sheet",
        )

    def _loaded(self, loaded: tuple[Sheet, str]) -> None:
        sheet, page = loaded
        self.sheet = sheet
        self._blocks = {}
        self.setWindowTitle(f"{sheet.title} — Cheat-sheet")
        self.view.show_sheet(page, self.layout_choice)
        self.loaded.emit(sheet)
        if self.pages_action.isChecked():
            self._show_pages(True)

    def _failed(self, failure: Any) -> None:
        if isinstance(failure.error, FlashcardsError):
            self.view.show_message(f"<p style='color:#d64541'>{failure.error}</p>")
            self.stack.setCurrentWidget(self.view)
            return
        handler = getattr(self.runner, "default_failure", None)
        if handler is not None:
            handler(failure)

    def _layout_changed(self) -> None:
        self._save_setting("cheatsheet/layout", self.layout_choice.value)
        self.reload()

    def _paper_changed(self) -> None:
        self._save_setting("cheatsheet/paper", self.paper.value)
        if self.pages_action.isChecked():
            self._show_pages(True)

    # -- pages ------------------------------------------------------------------------------

    def with_blocks(self, then: Callable[[list[Block]], None]) -> None:
        """The sheet's blocks at paper size (made on the worker once per sheet)."""
        sheet, layout = self.sheet, self.layout_choice
        if sheet is None:
            return
        cached = self._blocks.get(layout)
        if cached is not None:
            then(cached)
            return

        def made(blocks: list[Block]) -> None:
            if self.sheet is sheet:
                self._blocks[layout] = blocks
                then(blocks)

        self.runner.run(lambda _col: print_blocks(sheet, layout), success=made, label="pages")

    def _show_pages(self, on: bool) -> None:
        if not on:
            self.stack.setCurrentWidget(self.view)
            return
        self.stack.setCurrentWidget(self.preview)
        sheet, layout, paper = self.sheet, self.layout_choice, self.paper

        def shown(blocks: list[Block]) -> None:
            assert sheet is not None
            pages = sheet_pages(sheet, layout=layout, paper=paper, blocks=blocks)
            self.preview.show_pages(pages)
            self.statusBar().showMessage(
                f"{pages.count} page{'s' if pages.count != 1 else ''} "
                f"({paper.value.upper() if paper is Paper.A4 else 'Letter'})",
                6000,
            )
            self.pages_shown.emit(pages)

        self.with_blocks(shown)

    # -- output -----------------------------------------------------------------------------

    def print_sheet(self) -> None:
        if self.sheet is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(self.paper))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print cheat-sheet")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            sheet, layout = self.sheet, self.layout_choice

            def printed(blocks: list[Block]) -> None:
                pages = print_to(printer, sheet, layout=layout, blocks=blocks)
                self.statusBar().showMessage(f"Sent {pages} page(s) to the printer", 6000)

            self.with_blocks(printed)

    def _ask_path(self, caption: str, suffix: str, pattern: str) -> Path | None:
        assert self.sheet is not None
        default = sheet_path_name(self.sheet, suffix)
        name, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / default), pattern)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(suffix)

    def export_pdf(self, path: Path | None = None) -> Path | None:
        """Write the sheet as a PDF (asks where when `path` is None); on the worker's
        blocks, so it may finish after this returns (it has with a synchronous runner)."""
        if self.sheet is None:
            return None
        path = path or self._ask_path("Export cheat-sheet as PDF", ".pdf", "PDF (*.pdf)")
        if path is None:
            return None
        sheet, layout, paper = self.sheet, self.layout_choice, self.paper

        def write(blocks: list[Block]) -> None:
            try:
                write_pdf(sheet, path, layout=layout, paper=paper, blocks=blocks)
            except (OSError, FlashcardsError) as exc:
                QMessageBox.warning(self, "Flashcards", f"Cannot write {path}: {exc}")
                return
            self.statusBar().showMessage(f"Saved {path}", 6000)

        self.with_blocks(write)
        return path

    def export_html(self, path: Path | None = None) -> Path | None:
        """Write the sheet as one self-contained web page (images inlined)."""
        if self.sheet is None:
            return None
        path = path or self._ask_path("Export cheat-sheet as HTML", ".html", "HTML (*.html)")
        if path is None:
            return None
        try:
            write_html(self.sheet, path, layout=self.layout_choice)
        except OSError as exc:
            QMessageBox.warning(self, "Flashcards", f"Cannot write {path}: {exc.strerror}")
            return None
        self.statusBar().showMessage(f"Saved {path}", 6000)
        return path
