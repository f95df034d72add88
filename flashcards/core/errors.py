"""The one error root and its family.

Everything the app reports to a user as a plain message is a `FlashcardsError`;
anything else that escapes is a bug and is shown with its traceback.
"""

from __future__ import annotations


class FlashcardsError(Exception):
    """Root of every error the app reports as a message rather than a bug."""


class DeckFormatError(FlashcardsError):
    """A deck file that cannot be parsed; names the file and, where known, the line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class DeckChangedError(FlashcardsError):
    """The deck file changed on disk since the editor loaded it; `disk` is its bytes now."""

    def __init__(self, key: str, disk: bytes) -> None:
        self.key = key
        self.disk = disk
        super().__init__(f"{key} changed on disk since it was opened")


class NoteChangedError(DeckChangedError):
    """A note's lines changed on disk since its editor loaded them; `current` is the
    note's Markdown now ("" when the note is gone from its file)."""

    def __init__(self, key: str, disk: bytes, *, note_id: str, current: str) -> None:
        super().__init__(key, disk)
        self.note_id = note_id
        self.current = current
        self.args = (f"card #{note_id} in {key} changed on disk since it was opened",)


class ExamProfileError(DeckFormatError):
    """An `exam.toml` that is not a valid exam profile."""


class StorageError(FlashcardsError):
    """The database cannot be opened, upgraded or written."""


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of the app."""


class CollectionLockedError(StorageError):
    """Another process has the collection open for writing."""


class InteropError(FlashcardsError):
    """A file to import is broken, hostile or of an unknown kind; names the file."""

    def __init__(self, path: str, message: str, *, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class NoCardsError(InteropError):
    """An import that found no card to bring in: nothing was changed."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.args = (f"found 0 cards in {path}: {reason}. Nothing was imported.",)


class CancelledError(FlashcardsError):
    """A long operation was cancelled by the user; nothing was changed."""

    def __init__(self, message: str = "cancelled; nothing was changed") -> None:
        super().__init__(message)


class QueryError(FlashcardsError):
    """A search query that cannot be understood; `position` is a 0-based offset."""

    def __init__(self, message: str, *, position: int | None = None) -> None:
        self.message = message
        self.position = position
        super().__init__(message)
