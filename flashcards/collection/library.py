"""Where a collection lives: the data folder, the library of deck files, its roots,
the bundled decks it is seeded with, and deck names derived from paths."""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from flashcards.core.conflict_copies import CopyName, conflict_original, shares_cards
from flashcards.core.frontmatter import humanise_stem
from flashcards.core.media_files import inside, shown_name, utf8_name
from flashcards.storage.failures import os_failure

LIBRARY_DIR = "decks"
NOT_UTF8_NAME = "skipped: its name is not valid UTF-8; rename it (then sync)"
MEDIA_SUFFIXES = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".svg",
        ".webp",
        ".bmp",
        ".mp3",
        ".ogg",
        ".wav",
        ".m4a",
        ".mp4",
        ".webm",
        ".pdf",
    ]
)


def bundled_decks_dir() -> Path | None:
    """The decks shipped with the app: the installed package, else the repo's `decks/`."""
    try:
        root = resources.files("flashcards.bundled_decks")
    except (ModuleNotFoundError, TypeError):
        root = None
    if root is not None:
        if isinstance(root, Path):
            if root.is_dir():
                return root
        else:
            # A namespace package (the folder has no __init__.py) comes back as a
            # MultiplexedPath, whose entries are real paths.
            entries = list(root.iterdir())
            if entries:
                return Path(str(entries[0])).parent
    repo = Path(__file__).resolve().parents[2] / "decks"
    return repo if repo.is_dir() else None


def holds_decks(library: Path) -> bool:
    """Whether `library` holds a deck file (`.md`) outside its hidden folders."""
    return any(
        not any(part.startswith(".") for part in path.relative_to(library).parts)
        for path in library.rglob("*.md")
    )


def seed_library(library: Path, source: Path) -> int:
    """Copy the bundled decks into an empty library; returns the number of deck files."""
    count = 0
    for item in sorted(source.rglob("*")):
        rel = item.relative_to(source)
        if any(part.startswith((".", "__")) for part in rel.parts):
            continue
        target = library / rel
        try:
            if item.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            elif not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    shutil.copy2(item, target)
                except OSError:
                    # Not half a deck (a full disk): the next start copies it again.
                    target.unlink(missing_ok=True)
                    raise
                count += item.suffix.lower() == ".md"
        except OSError as exc:
            raise os_failure(exc, f"cannot copy bundled deck {rel}", name_file=False) from exc
    return count


@dataclass(frozen=True)
class LibraryRoot:
    """A folder of decks: the library (label "") or an external folder."""

    id: int
    path: Path
    label: str
    external: bool

    def key(self, rel: str) -> str:
        """The library-wide deck key of `rel` inside this root."""
        return rel if not self.label else f"{self.label}/{rel}"


def root_holding(roots: Iterable[LibraryRoot], path: Path) -> Path | None:
    """The folder of the root (the library or an added folder) that holds `path`: the
    folder a deck's images and sounds must stay inside. None when none holds it."""
    holding = [r.path for r in roots if inside(path, r.path)]
    return max(holding, key=lambda p: len(p.parts)) if holding else None


def walk_decks(
    root: Path,
    *,
    on_problem: Callable[[str, str], None] | None = None,
    on_exam: Callable[[str], None] | None = None,
    on_conflict: Callable[[str, str, str], None] | None = None,
    on_outside_link: Callable[[str], None] | None = None,
) -> Iterator[tuple[str, os.stat_result]]:
    """(POSIX path relative to `root`, stat) of every `.md` file, skipping hidden folders.

    Symlinked folders are followed (people link shared decks in), each real folder once.
    What cannot be read is skipped and, given `on_problem`, reported as (relative path,
    reason): a folder that cannot be listed ("" for `root` itself), a `.md` entry that
    cannot be looked at or is not a regular file (a FIFO, a device, a broken link), a
    `.md` file or folder whose name is not valid UTF-8 (shown with its bytes escaped).
    `on_exam` is given the relative path of every `exam.toml` on the way.
    A sync engine's conflict copy of a deck (core.conflict_copies) is never a deck: it is
    given to `on_conflict` as (its relative path, its original's, the engine).
    Given `on_outside_link` (an import of a stranger's folder), a symbolic link to a deck
    file or folder outside `root` is not followed but given to it (`more/` for a folder).
    """
    top = os.path.realpath(root) if on_outside_link is not None else ""
    stack = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            entries = list(os.scandir(folder))
        except OSError as exc:
            if on_problem is not None:
                rel = folder.relative_to(root).as_posix()
                on_problem("" if rel == "." else rel, f"cannot read the folder: {_reason(exc)}")
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue  # a symlink loop, or the same folder linked twice
        seen.add((st.st_dev, st.st_ino))
        names = {entry.name for entry in entries}
        # The folder's path relative to `root` once, each entry's by joining its name
        # (a Path per entry was most of a sync with nothing changed).
        under = folder.relative_to(root).as_posix()
        prefix = "" if under == "." else under + "/"
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if not utf8_name(entry.name):  # cannot be stored (nor printed) as it is
                if on_problem is not None and (rel.lower().endswith(".md") or _is_dir(entry)):
                    on_problem(shown_name(rel), NOT_UTF8_NAME)
                continue
            copy = _conflict_copy(entry, names)
            if copy is not None:
                if on_conflict is not None:
                    original = rel[: len(rel) - len(entry.name)] + copy.original
                    on_conflict(rel, original, copy.engine)
                continue
            try:
                if (
                    on_outside_link is not None
                    and entry.is_symlink()
                    and (entry.is_dir() or entry.name.lower().endswith(".md"))
                    and not inside(os.path.realpath(entry.path), top)
                ):
                    on_outside_link(rel + "/" if entry.is_dir() else rel)
                    continue
                if entry.is_dir():
                    stack.append(Path(entry.path))
                elif not entry.name.lower().endswith(".md"):
                    if entry.name == "exam.toml" and on_exam is not None:
                        on_exam(rel)
                elif entry.is_file():
                    yield rel, entry.stat()
                elif on_problem is not None:
                    entry.stat()  # raises for a broken link, an unreadable target
                    on_problem(rel, "cannot read: not a regular file")
            except OSError as exc:
                if on_problem is not None:  # vanished or unreadable while we looked
                    on_problem(rel, f"cannot read: {_reason(exc)}")
                continue


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _conflict_copy(entry: os.DirEntry[str], names: set[str]) -> CopyName | None:
    """The deck file `entry` is a sync engine's conflict copy of, if it is one."""
    if not entry.name.lower().endswith(".md"):
        return None
    copy = conflict_original(entry.name, names)
    if copy is not None and copy.engine == "OneDrive":  # the name alone is only a guess
        original = Path(entry.path).with_name(copy.original)
        try:
            if not shares_cards(Path(entry.path).read_bytes(), original.read_bytes()):
                return None
        except OSError:
            return None
    return copy


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def folder_title(folder: Path) -> str:
    """A folder's display name: its exam.toml `short_name` or `name`, else humanised."""
    exam = folder / "exam.toml"
    if exam.is_file():
        try:
            data = tomllib.loads(exam.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            data = {}
        for field in ("short_name", "name"):
            value = data.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return humanise_stem(folder.name)


def folder_titles(root: Path, rel: str, *, label: str = "") -> tuple[str, ...]:
    """Display names of the folders from the root down to deck file `rel`."""
    parts = PurePosixPath(rel).parts[:-1]
    titles = [label] if label else []
    for depth in range(1, len(parts) + 1):
        titles.append(folder_title(root.joinpath(*parts[:depth])))
    return tuple(titles)


def deck_name(folders: tuple[str, ...], title: str) -> str:
    """`AWS ML Specialty::Modeling`: folder names then the deck title, Anki style."""
    return "::".join((*folders, title))


def referenced_media(deck_file: Path, text: str) -> list[Path]:
    """Media files a deck refers to by relative path (images, audio) that exist."""
    import re

    found: list[Path] = []
    folder = deck_file.parent
    pattern = re.compile(r"""!\[[^\]]*\]\(\s*<?([^)\s>]+)>?|(?:src|href)\s*=\s*["']([^"']+)["']""")
    for match in pattern.finditer(text):
        ref = (match.group(1) or match.group(2) or "").split("#", 1)[0].split("?", 1)[0]
        if not ref or "://" in ref or ref.startswith(("/", "data:", "card:")):
            continue
        candidate = (folder / ref).resolve()
        try:
            candidate.relative_to(folder.resolve())
        except ValueError:
            continue  # outside the deck's folder: not ours to copy
        if candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found
