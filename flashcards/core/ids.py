"""Note ids: making them and writing them back into deck files, byte for byte."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Container, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.core.crash_point import crash_point
from flashcards.core.headings import parse_heading
from flashcards.core.literal import mask_text
from flashcards.core.model import NoteId
from flashcards.core.parser import ParseResult

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
ID_LENGTH = 6


# Random bytes become id characters: b -> ALPHABET[b % 36] for b < 252 (the largest
# multiple of 36 below 256); bytes from 252 up would favour four characters: dropped.
_TO_ALPHABET = bytes.maketrans(bytes(range(252)), (ALPHABET * 7).encode("ascii"))
_BIASED = bytes(range(252, 256))
_pool = threading.local()  # each thread's random characters not yet used
if hasattr(os, "register_at_fork"):  # a forked child must not repeat its parent's ids
    os.register_at_fork(after_in_child=lambda: _pool.__dict__.clear())


def _random_chars(count: int) -> str:
    """`count` uniformly random characters of ALPHABET (urandom, drawn in blocks rather
    than a system call per id)."""
    chars: str = getattr(_pool, "chars", "")
    while len(chars) < count:
        chars += os.urandom(256).translate(_TO_ALPHABET, _BIASED).decode("ascii")
    _pool.chars = chars[count:]
    return chars[:count]


class AnyOf:
    """Membership in any of several collections, without copying them into one set
    (copying the library's ids once per file made a first sync quadratic)."""

    __slots__ = ("parts",)

    def __init__(self, *parts: Container[str]) -> None:
        self.parts = parts

    def __contains__(self, item: object) -> bool:
        return any(item in part for part in self.parts)


def new_id(taken: Container[str]) -> NoteId:
    """A random 6-character id of [a-z0-9] that is not in `taken` (and not all digits)."""
    while True:
        candidate = _random_chars(ID_LENGTH)
        # All-digit ids read like numbers in YAML, CSV and spreadsheets; skip them.
        if candidate not in taken and not candidate.isdigit():
            return NoteId(candidate)


@dataclass(frozen=True)
class IdWriteBack:
    """The new file contents (None: nothing to change) and what changed.

    `assigned` maps each rewritten heading line (1-based) to its id; `renamed` lists
    (line, old id, new id) for ids that were already owned elsewhere in the library.
    """

    data: bytes | None
    assigned: dict[int, NoteId] = field(default_factory=dict)
    renamed: list[tuple[int, str, NoteId]] = field(default_factory=list)


def _rewrite_heading(raw: bytes, new: NoteId) -> bytes:
    """`raw` (one heading line, with or without its ending) with `new` as its id."""
    body = raw[:-1] if raw.endswith(b"\n") else raw
    if body.endswith(b"\r"):
        body = body[:-1]
    ending = raw[len(body) :]
    bom = b""
    if body.startswith(b"\xef\xbb\xbf"):
        bom, body = body[:3], body[3:]
    title_end = len(body.rstrip(b" \t"))
    if body[title_end - 1 : title_end] not in (b"#", b"}", b"") and not (
        b"`" in body or b"<!--" in body
    ):
        # The common heading, `## Title`: nothing after the title but spaces, nothing
        # masked, so the id goes where `parse_heading` puts it (its `text_end`).
        return b"".join(
            (bom, body[:title_end], b" {#", new.encode("ascii"), b"}", body[title_end:], ending)
        )
    return bom + _with_id(body.decode("utf-8"), new).encode("utf-8") + ending


def _with_id(text: str, new: NoteId) -> str:
    """A heading line (text, no ending) with `new` as its id, found by `parse_heading`."""
    masked = mask_text(text) if "`" in text or "<!--" in text else text
    heading = parse_heading(masked, text)
    assert heading is not None, "assign_ids was given a result parsed from other data"
    if heading.id_span is not None:
        a, b = heading.id_span
        text = f"{text[:a]}#{new}{text[b:]}"
    elif heading.attrs is not None:
        a = heading.attrs[0] + 1
        if text[a : a + 1] == ":":
            a += 1
        while text[a : a + 1] in (" ", "\t"):
            a += 1
        text = f"{text[:a]}#{new} {text[a:]}"
    else:
        end = heading.text_end
        text = f"{text[:end]} {{#{new}}}{text[end:]}"
    return text


def assign_ids(
    data: bytes,
    result: ParseResult,
    *,
    taken: Container[str],
    reuse: Mapping[int, NoteId] | None = None,
) -> IdWriteBack:
    """Give every note in `result` (parsed from `data`) that lacks an id a new one.

    `taken` holds ids owned by other files: a note whose id is in it gets a new id
    (reported in `renamed`). `reuse` maps heading lines to ids to restore (an id the
    identity matcher found for a note whose id was deleted). Only the changed heading
    lines are rewritten; every other byte is kept. `taken` is only asked whether it
    holds an id, so a caller may pass a view of a larger structure.
    """
    reuse = reuse or {}
    # This file's ids and those drawn so far; `taken` is consulted, never copied.
    used: set[str] = {n.id for n in result.deck.notes if n.id is not None}
    used.update(reuse.values())
    avoid = AnyOf(taken, used)
    changes: dict[int, NoteId] = {}
    renamed: list[tuple[int, str, NoteId]] = []
    for note in result.deck.notes:
        if note.id is not None and note.id not in taken:
            continue
        chosen = reuse.get(note.line_start)
        if chosen is None or chosen in taken:
            chosen = new_id(avoid)
        used.add(chosen)
        changes[note.line_start] = chosen
        if note.id is not None:
            renamed.append((note.line_start, note.id, chosen))
    if not changes:
        return IdWriteBack(None)
    # Split on LF only, as the parser does (a lone CR is text); each line keeps its CR.
    lines = data.split(b"\n")
    for line, new in changes.items():
        lines[line - 1] = _rewrite_heading(lines[line - 1], new)
    return IdWriteBack(b"\n".join(lines), dict(changes), renamed)


def _default_mode() -> int:
    # mkstemp creates 0600 files; a new deck should get the usual 0666 & ~umask.
    # Reading the umask means setting it: done once, at import.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_NEW_FILE_MODE = _default_mode()


def _replace_file(path: Path, data: bytes) -> Path:
    """Write `data` to a temp file beside `path`, fsync it, rename it over `path`.

    Returns the folder, whose own fsync (making the rename durable) is the caller's.
    """
    if path.is_symlink():
        path = path.resolve()
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = _NEW_FILE_MODE
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        crash_point(f"atomic-write-before-rename:{path.name}")  # a crash leaves the .tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return folder


def _fsync_folder(folder: Path) -> None:
    # Makes a rename durable where the platform allows fsync on a folder.
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: temp file in the same folder, fsync, rename, mode kept.

    A symlinked deck is written through its link (the link stays a link). A new file
    gets the default permissions (0666 less the umask).
    """
    _fsync_folder(_replace_file(path, data))


def write_atomic_many(files: Iterable[tuple[Path, bytes]], *, workers: int = 8) -> None:
    """`write_atomic` for several files, in parallel threads (fsync waits overlap).

    Each file is replaced atomically; each folder is fsynced once at the end. If some
    writes fail, the others still complete and the first error is raised.
    """
    items = list(files)
    folders: set[Path] = set()
    errors: list[BaseException] = []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(items)))) as pool:
        futures = [pool.submit(_replace_file, path, data) for path, data in items]
        for future in futures:
            try:
                folders.add(future.result())
            except Exception as exc:  # noqa: BLE001 - re-raised below, after the rest
                errors.append(exc)
    for folder in folders:
        _fsync_folder(folder)
    if errors:
        raise errors[0]
