"""One app per collection: a second start hands over to the running one and exits.

The first instance listens on a local socket named after its data folder (and the
user); a later start with the same folder connects, asks it to come forward, and quits
with status 0 instead of opening a second window on a collection it cannot lock. Two
different data folders are two collections and may each have their app open.

The messages are lines: `activate`, then `open <file URL>` for each file the later start
was given (`flashcards deck.apkg`, a file manager opening a package with the app), which
the running app offers to import.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

ACTIVATE = b"activate\n"
OPEN = b"open "
CONNECT_TIMEOUT_MS = 1000
MAX_LINE = 64 * 1024
"""A longer line is no message of ours: the connection is dropped."""


def server_name(data_dir: Path) -> str:
    """The socket name for a collection: the same folder gives the same name."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): the folder alone
        user = ""
    key = f"{user}\0{data_dir.expanduser().absolute()}".encode()
    return "flashcards-" + hashlib.sha256(key).hexdigest()[:20]


def open_message(path: Path) -> bytes:
    """The line asking the running app to import `path` (a URL: any name fits a line)."""
    url = QUrl.fromLocalFile(str(path.expanduser().absolute()))
    return OPEN + bytes(url.toEncoded().data()) + b"\n"


def hand_over(name: str, paths: Sequence[Path] = ()) -> bool:
    """Ask a running instance listening on `name` to come forward and to offer to import
    `paths`; True if one was there to ask."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(ACTIVATE + b"".join(open_message(path) for path in paths))
    socket.flush()  # usually writes it all at once; else wait for the rest
    delivered = socket.bytesToWrite() == 0 or socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return delivered


class InstanceServer(QObject):
    """Listens for later starts of the app on the same collection."""

    activation_requested = Signal()
    open_requested = Signal(object)  # a Path: a later start was given this file

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        # Only this user's processes may connect.
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        """Start listening; a socket left by a crashed instance is cleared first.

        Called only after `hand_over` found nobody answering on the name, so a socket
        file still there belongs to no running instance."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def close(self) -> None:
        self.server.close()

    def _on_connection(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            # Kept, closed, as the server's child until the server goes: deleteLater on a
            # socket accepted after its peer had left crashed in a later event loop (PySide6
            # 6.11). A hand-over leaves a few hundred bytes.
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.close)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine(MAX_LINE + 1).data())
            if line == ACTIVATE:
                self.activation_requested.emit()
            elif line.startswith(OPEN) and line.endswith(b"\n"):
                url = QUrl.fromEncoded(line[len(OPEN) : -1])
                if url.isLocalFile():
                    self.open_requested.emit(Path(url.toLocalFile()))
            else:  # not ours, or longer than any message of ours
                socket.abort()
                return
        if socket.bytesAvailable() > MAX_LINE:
            socket.abort()
