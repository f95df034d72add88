"""A database file's path as an SQLite URI, every character of the path escaped.

`f"file:{path}?mode=ro"` breaks on a folder named `a?b`, `50%` or `#1`: SQLite reads the
path up to the first `?` or `#` and decodes `%` escapes. `Path.as_uri()` escapes them
(and writes `file:///C:/…` on Windows, which SQLite also reads)."""

from __future__ import annotations

from pathlib import Path


def sqlite_uri(path: Path | str, mode: str, *params: str) -> str:
    """`path` opened in `mode` (`ro`, `rw`, `rwc`), with further `key=value` params."""
    query = "&".join((f"mode={mode}", *params))
    return f"{Path(path).absolute().as_uri()}?{query}"
