"""Where a collection lives when nobody says: `$FLASHCARDS_DATA_DIR`, else the platform's
user data folder. Light to import (no SQLAlchemy): the app asks before anything loads."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "FLASHCARDS_DATA_DIR"


def default_data_dir() -> Path:
    """`$FLASHCARDS_DATA_DIR`, else the platform's user data folder for the app."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("flashcards", appauthor=False))


def resolve_data_dir(data_dir: str | os.PathLike[str] | None) -> Path:
    """The absolute folder a collection opened with `data_dir` lives in."""
    folder = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    return folder.absolute()
