"""Live preview of the deck being edited, rendered off the GUI thread.

`preview_html` is pure (parse + render); `PreviewRenderer` runs it on one background
thread and delivers the newest result by signal, dropping answers that a later
request has already superseded (typing fast renders only what is still wanted).
"""

from __future__ import annotations

import html
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from flashcards.core.errors import DeckFormatError
from flashcards.core.model import Note
from flashcards.core.parser import parse_deck
from flashcards.core.render import Side, render_card, render_markdown


def note_at(notes: tuple[Note, ...], line: int) -> Note | None:
    """The note whose lines hold 1-based `line` (or the last one above it)."""
    best = None
    for note in notes:
        if note.line_start <= line:
            best = note
        else:
            break
    if best is not None and line > best.line_end + 1:
        # Below the note: blank lines before the next heading still count as its own.
        following = [n for n in notes if n.line_start > best.line_end]
        if following and following[0].line_start <= line:
            return following[0]
    return best


def preview_html(
    text: str,
    *,
    key: str,
    line: int,
    whole: bool,
    base_dir: Path | None,
    media_root: Path | None = None,
) -> str:
    """HTML for the card at `line` (all its cards, back side), or the whole document.
    Images resolve against `base_dir` and stay inside `media_root` (see `render_card`)."""
    if whole:
        return render_markdown(text, base_dir=base_dir, media_root=media_root)
    try:
        deck = parse_deck(text, path=key).deck
    except DeckFormatError as exc:
        return (
            '<p style="color:#d64541;"><b>This deck does not parse yet.</b><br>'
            f"{html.escape(str(exc))}</p>"
        )
    note = note_at(deck.notes, line)
    if note is None or not note.cards:
        intro = deck.description.strip() or f"# {deck.title}"
        return render_markdown(intro, base_dir=base_dir, media_root=media_root)
    parts = []
    for i, card in enumerate(note.cards):
        if i:
            parts.append('<hr style="border:0; border-top:2px dashed #bbb;">')
        if len(note.cards) > 1:
            parts.append(
                f'<p style="color:#888; font-size:small;">Card {i + 1} of {len(note.cards)} '
                f"· {card.kind.value}</p>"
            )
        parts.append(render_card(card, side=Side.BACK, base_dir=base_dir, media_root=media_root))
    return "".join(parts)


class PreviewRenderer(QObject):
    """One background thread; `rendered(token, html)` arrives on the GUI thread."""

    rendered = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview")
        self._latest = 0
        self._closed = False
        self.renders = 0  # finished renders (tests count them)

    def request(
        self,
        text: str,
        *,
        key: str,
        line: int,
        whole: bool,
        base_dir: Path | None,
        media_root: Path | None = None,
    ) -> int:
        """Render in the background; returns the request's token (-1 once shut down)."""
        if self._closed:
            return -1
        self._latest += 1
        token = self._latest

        def work() -> str:
            if token != self._latest:
                return ""  # superseded while queued: skip the work
            return preview_html(
                text, key=key, line=line, whole=whole, base_dir=base_dir, media_root=media_root
            )

        future = self._pool.submit(work)
        future.add_done_callback(lambda f: self._done(token, f))
        return token

    def _done(self, token: int, future: Future[str]) -> None:
        if token != self._latest or future.cancelled():
            return
        error = future.exception()
        if error is not None:
            page = f'<p style="color:#d64541;">Preview failed: {html.escape(str(error))}</p>'
        else:
            page = future.result()
        self.renders += 1
        self.rendered.emit(token, page)  # queued to the GUI thread (we live there)

    def shutdown(self) -> None:
        self._closed = True
        self._latest += 1
        self._pool.shutdown(wait=True, cancel_futures=True)
