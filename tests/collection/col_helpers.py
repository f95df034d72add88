from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

# A fixed moment: Saturday 28 Nov 2026, 12:00 UTC (13:00 in Berlin, after the rollover).
T0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def note(title: str, answer: str = "", *, nid: str | None = None, prompt: str = "") -> str:
    head = f"## {title}" + (f" {{#{nid}}}" if nid else "")
    body = (
        f"{prompt}\n?\n{answer or 'Answer of ' + title}"
        if prompt
        else (answer or f"Answer of {title}")
    )
    return f"{head}\n{body}\n"


def deck_text(*notes: str, title: str | None = None, domain: str | None = None) -> str:
    front = []
    if title:
        front.append(f"title: {title}")
    if domain:
        front.append(f"domain: {domain}")
    head = "---\n" + "\n".join(front) + "\n---\n\n" if front else ""
    return head + "\n".join(notes)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes (for byte-identical checks)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
