"""Playing a card's sounds (Anki's `[sound:…]`) with QtMultimedia, one after another.

QtMultimedia is imported on first use (it loads FFmpeg). Where it or its audio backend
is missing (a minimal Linux without PulseAudio's library, say), `available` is False
and the sound links stay what they say: `▶ name`, opened in the system's player when
clicked. Only files `core.sounds.playable` allows are ever played or opened.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from flashcards.core.sounds import playable, sound_urls
from flashcards.gui.review_models import CardScreen, Face


def _multimedia() -> Any:
    try:
        from PySide6 import QtMultimedia
    except ImportError:  # the module, or a library it links to (libpulse), is missing
        return None
    return QtMultimedia


class SoundPlayer(QObject):
    """Plays sound files in turn; `play` replaces whatever was playing or queued."""

    started = Signal(str)  # the file now playing (tests and the status line listen)
    finished = Signal()  # the queue ran out

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[Path] = deque()
        self._player: Any = None
        self._output: Any = None
        self._tried = False
        self.current: Path | None = None

    @property
    def available(self) -> bool:
        """Can sounds play here (QtMultimedia loads)?"""
        return self._ensure_player() is not None

    def _ensure_player(self) -> Any:
        if self._tried:
            return self._player
        self._tried = True
        qt = _multimedia()
        if qt is None:
            return None
        self._player = qt.QMediaPlayer(self)
        self._output = qt.QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._status_changed)
        self._player.errorOccurred.connect(lambda *_: self._next())
        return self._player

    def play(self, urls: list[str], *, root: Path | None) -> list[Path]:
        """Play the sounds `urls` name that may be played (inside `root`); returns them."""
        files = [f for f in (playable(u, root=root) for u in urls) if f is not None]
        self.stop()
        if not files or self._ensure_player() is None:
            return files
        self._queue.extend(files)
        self._next()
        return files

    def open_outside(self, url: str, *, root: Path | None) -> bool:
        """Open one sound in the system's player (where QtMultimedia is missing)."""
        path = playable(url, root=root)
        if path is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def stop(self) -> None:
        self._queue.clear()
        self.current = None
        if self._player is not None:
            self._player.stop()

    def _next(self) -> None:
        if not self._queue:
            if self.current is not None:
                self.current = None
                self.finished.emit()
            return
        self.current = self._queue.popleft()
        self._player.setSource(QUrl.fromLocalFile(str(self.current)))
        self._player.play()
        self.started.emit(str(self.current))

    def _status_changed(self, status: Any) -> None:
        qt = _multimedia()
        if qt is not None and status in (
            qt.QMediaPlayer.MediaStatus.EndOfMedia,
            qt.QMediaPlayer.MediaStatus.InvalidMedia,
        ):
            self._next()


class CardSounds:
    """The review's sounds: a side's play once when it appears (the answer's own, not the
    question's again), R plays the side's again, a click on `▶ name` plays that one."""

    def __init__(self, player: SoundPlayer) -> None:
        self.player = player
        self._sounded: tuple[str, Face] | None = None  # the side whose sounds last played

    def side_shown(self, screen: CardScreen) -> None:
        """Play the new side's sounds; a re-show of the same side (a picked option, a
        theme change) stays silent."""
        side = (str(screen.card_id), screen.face)
        if side == self._sounded:
            return
        self._sounded = side
        self.player.stop()
        urls = sound_urls(screen.html)
        if screen.face is Face.BACK:
            asked = set(sound_urls(screen.loaded.front_html))
            urls = [u for u in urls if u not in asked]
        if urls:
            self.player.play(urls, root=screen.loaded.media_root)

    def replay(self, screen: CardScreen | None) -> None:
        if screen is not None:
            self.player.play(sound_urls(screen.html), root=screen.loaded.media_root)

    def clicked(self, url: str, screen: CardScreen | None) -> None:
        root = screen.loaded.media_root if screen is not None else None
        if self.player.available:
            self.player.play([url], root=root)
        else:
            self.player.open_outside(url, root=root)

    def stop(self) -> None:
        self.player.stop()
        self._sounded = None
