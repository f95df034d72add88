"""Go ▸ Practice exam in the main window and its button on the Today page's exam line
(both read "Resume practice exam" while a sitting waits), and opening the practice-exam
window on the app's worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from flashcards.gui.exam import practice_ops as ops
from flashcards.gui.exam.practice_window import PracticeExamWindow

MENU_KEYS = "Ctrl+Shift+P"
START_TEXT = "&Practice exam…"
RESUME_TEXT = "Resume &practice exam"


def open_practice_exam(main: Any) -> PracticeExamWindow:
    """Show the main window's practice-exam window (made on first use). An open one is
    only raised: a sitting on screen stays as it is."""
    window: PracticeExamWindow | None = main.findChild(PracticeExamWindow)
    if window is None:
        window = PracticeExamWindow(main.worker, now=main.now, settings=main.settings, parent=main)
        window.changed.connect(lambda _change: main.refresh())
        window.progress_changed.connect(lambda waiting: _label(main, waiting))
        window.browse_requested.connect(lambda query: _browse(main, query))
        window.edit_requested.connect(lambda key, line: _edit(main, key, line))
    if not window.isVisible():
        window.load()
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def install_practice_exam(main: Any) -> QAction:
    """Add Go ▸ Practice exam (Ctrl+Shift+P) and name it after what it will do."""
    action: QAction = main.go_menu.addAction(START_TEXT)
    action.setObjectName("practiceExamAction")
    action.setShortcut(QKeySequence(MENU_KEYS))
    action.triggered.connect(lambda _=False: open_practice_exam(main))
    main.worker.run(
        ops.unfinished_id,
        success=lambda found: _label(main, found is not None),
        label="practice exam in progress",
    )
    return action


def _label(main: Any, waiting: bool) -> None:
    """Name the ways in after what they will do: start, or resume the sitting left open."""
    for action in main.go_menu.actions():
        if action.objectName() == "practiceExamAction":
            action.setText(RESUME_TEXT if waiting else START_TEXT)
    line = getattr(main, "exam_line", None)  # the Today page's exam line, once installed
    if line is not None:
        if not line.property("practiceConnected"):
            line.practice_requested.connect(lambda: open_practice_exam(main))
            line.setProperty("practiceConnected", True)
        line.set_practice_waiting(waiting)


def _browse(main: Any, query: str) -> None:
    from flashcards.gui.browser.launch import open_browser

    open_browser(main, query=query)


def _edit(main: Any, key: str, line: int) -> None:
    from flashcards.gui.browser.launch import open_editor

    open_editor(main, key, line=line)
