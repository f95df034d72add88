"""Every window opens inside the screen it appears on, and where the user left it.

`fit_rect` is the rule, a pure function of a preferred (or remembered) rectangle and a
screen's free area. `fit_to_screen` applies it to a window when the window is built and,
given settings and a key, remembers the window's size and place each time it hides. A
place remembered on a bigger or a missing monitor is shrunk and moved onto a screen that
exists, never restored off-screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QDialog, QWidget

FRAME = QMargins(4, 40, 4, 4)
"""Room for the window manager's title bar and borders (unknown before a window shows)."""


def fit_rect(
    preferred: QSize,
    available: QRect,
    *,
    saved: QRect | None = None,
    frame: QMargins = FRAME,
) -> QRect:
    """The window's inner rectangle: `saved` (or `preferred`, centred) shrunk and moved
    so that it, with its `frame`, lies inside `available` (a screen's free area)."""
    room = available.marginsRemoved(frame)
    if saved is not None and saved.isValid():
        rect = QRect(saved.topLeft(), saved.size().boundedTo(room.size()))
    else:
        rect = QRect(QPoint(0, 0), preferred.boundedTo(room.size()))
        rect.moveCenter(room.center())
    left = min(max(rect.left(), room.left()), room.left() + room.width() - rect.width())
    top = min(max(rect.top(), room.top()), room.top() + room.height() - rect.height())
    rect.moveTo(left, top)
    return rect


def screen_for(window: QWidget, saved: QRect | None = None) -> QScreen:
    """Where `window` opens: the screen of its remembered place if that screen is still
    there, else its parent's screen, else the one under the mouse, else the primary."""
    if saved is not None and saved.isValid():
        screen = QGuiApplication.screenAt(saved.center())
        if screen is not None:
            return screen
    parent = window.parentWidget()
    if parent is not None:
        return parent.window().screen()
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


def settings_of(widget: QWidget | None) -> QSettings | None:
    """The settings of `widget` or of the nearest parent that has them (`.settings`)."""
    while widget is not None:
        settings = getattr(widget, "settings", None)
        if isinstance(settings, QSettings):
            return settings
        widget = widget.parentWidget()
    return None


def _key(key: str, what: str) -> str:
    return f"windows/{key}/{what}"


def saved_rect(settings: QSettings, key: str) -> QRect | None:
    """The inner rectangle remembered for window `key` (None if none or unreadable)."""
    value = settings.value(_key(key, "geometry"))
    return value if isinstance(value, QRect) and value.isValid() else None


def save_geometry(window: QWidget, settings: QSettings, key: str) -> None:
    """Remember `window`'s size and place (its normal size when maximized)."""
    settings.setValue(_key(key, "geometry"), window.normalGeometry())
    settings.setValue(_key(key, "maximized"), window.isMaximized())
    settings.sync()


def fit_to_screen(
    window: QWidget,
    preferred: QSize,
    *,
    settings: QSettings | None = None,
    key: str = "",
) -> None:
    """Size and place `window` to fit its screen: where it was left (when `settings` and
    `key` are given and it was open before), else `preferred`, centred. With settings, the
    window's size and place are remembered whenever it hides (closing hides it).

    Without `settings`, a window uses those of the window that owns it (its parents'
    `settings`). A dialog with a parent keeps Qt's placement over its parent and gets
    only the size."""
    if settings is None:
        settings = settings_of(window.parentWidget())
    saved = saved_rect(settings, key) if settings is not None and key else None
    screen = screen_for(window, saved)
    if saved is not None and QGuiApplication.screenAt(saved.center()) is None:
        saved = QRect(QPoint(0, 0), saved.size())  # its monitor is gone: the size only
        saved.moveCenter(screen.availableGeometry().center())
    rect = fit_rect(preferred, screen.availableGeometry(), saved=saved)
    # Not below what the window needs, even on a tiny screen (it will overflow, not crush).
    rect.setSize(rect.size().expandedTo(window.minimumSize()))
    if isinstance(window, QDialog) and window.parentWidget() is not None:
        window.resize(rect.size())
    else:
        window.setGeometry(rect)
    if settings is not None and key:
        if settings.value(_key(key, "maximized"), False, type=bool):
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        window.installEventFilter(_GeometryKeeper(window, settings, key))


class _GeometryKeeper(QObject):
    """Saves a window's geometry when it hides (closing a window hides it first)."""

    def __init__(self, window: QWidget, settings: QSettings, key: str) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        self.key = key

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.window and event.type() == QEvent.Type.Hide:
            save_geometry(self.window, self.settings, self.key)
        return False
