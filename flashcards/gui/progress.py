"""Progress of a long worker operation shown on the GUI thread, with Cancel."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class ProgressRelay(QObject):
    """A collection progress callback (`(done, total, message) -> keep going`) that is
    called on the worker and drives a QProgressDialog on the GUI thread."""

    progressed = Signal(int, int, str)

    def __init__(self, title: str, parent: QWidget, *, delay_ms: int = 300) -> None:
        super().__init__(parent)
        self._cancelled = threading.Event()
        self.dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(delay_ms)  # quick jobs never flash a dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._cancelled.set)
        self.progressed.connect(self._show)

    def __call__(self, done: int, total: int, message: str) -> bool:
        """Worker side: report and say whether to go on."""
        self.progressed.emit(done, total, message)
        return not self._cancelled.is_set()

    def finish(self) -> None:
        """GUI side: close the dialog (success or failure)."""
        self.dialog.reset()
        self.dialog.close()
        self.deleteLater()

    def _show(self, done: int, total: int, message: str) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if message:
            self.dialog.setLabelText(message)
