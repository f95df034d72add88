"""A statistics panel: a title, a chart (or any widget), a line of figures under it, and
Save image… (a button and the context menu) that writes the panel as a PNG."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flashcards.gui.theme import scaled_font

SAVE_DIR_KEY = "statistics/save_dir"


class Panel(QFrame):
    """One chart of the statistics window."""

    def __init__(
        self,
        key: str,
        title: str,
        body: QWidget,
        *,
        settings: QSettings | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.settings = settings
        self.now = now
        self.setObjectName("tile")
        self.setAutoFillBackground(True)  # the PNG gets the window's background
        self.body = body
        self.title = QLabel(title, self)
        self.title.setFont(scaled_font(self.font(), 1.15, weight=self.font().Weight.DemiBold))
        self.save_button = QToolButton(self)
        self.save_button.setText("Save image…")
        self.save_button.setAutoRaise(True)
        self.save_button.setToolTip("Save this chart as a PNG image (also in its context menu)")
        self.save_button.clicked.connect(lambda _=False: self.ask_and_save())
        self.summary = QLabel("Loading…", self)
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(body, 1)
        layout.addWidget(self.summary)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        body.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        body.customContextMenuRequested.connect(lambda pos: self._menu(body.mapTo(self, pos)))

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)

    # -- saving -----------------------------------------------------------------------------

    def image(self) -> QPixmap:
        """The panel as it looks, without the Save button."""
        self.save_button.hide()
        try:
            return self.grab()
        finally:
            self.save_button.show()

    def save_png(self, path: Path | str) -> bool:
        """Write the panel as a PNG; False if the file could not be written."""
        return bool(self.image().save(str(path), "PNG"))

    def ask_and_save(self) -> Path | None:
        """Ask where, then save (the folder is remembered)."""
        folder = str(self.settings.value(SAVE_DIR_KEY, "")) if self.settings else ""
        name = f"flashcards-{self.key}-{self.now().astimezone().date().isoformat()}.png"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save chart as image", str(Path(folder or Path.home()) / name), "PNG (*.png)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        if not self.save_png(path):
            QMessageBox.warning(self, "Save chart", f"Could not write {path}.")
            return None
        if self.settings is not None:
            self.settings.setValue(SAVE_DIR_KEY, str(path.parent))
        return path

    def copy_image(self) -> None:
        QGuiApplication.clipboard().setPixmap(self.image())

    def _menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        save = QAction("Save as PNG…", menu)
        save.triggered.connect(lambda _=False: self.ask_and_save())
        copy = QAction("Copy image", menu)
        copy.triggered.connect(lambda _=False: self.copy_image())
        menu.addActions([save, copy])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.mapToGlobal(pos))
