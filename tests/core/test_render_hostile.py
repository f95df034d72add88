"""A stranger's card cannot read files outside the library, hang or crash the renderer.

Images reach only regular files inside the library (no `file:` URL, no absolute path,
no `../` out of it, never a FIFO or a device), and Markdown nested past the limits or
too slow to convert shows as its source under a one-line reason.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

import pytest

from flashcards.core.image_size import image_size
from flashcards.core.media_files import inside, local_media, read_regular_file
from flashcards.core.model import Card, CardId, CardKind, Choice, NoteId
from flashcards.core.render import Side, clear_render_cache, render_card, render_markdown
from flashcards.core.render_limits import MAX_INDENT, MAX_NESTING, time_budget
from flashcards.core.sanitize import MAX_HTML_DEPTH, sanitize_html


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_render_cache()


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging) when the block runs longer than `seconds`: SIGALRM
    interrupts even a blocking open() of a FIFO."""

    def timeout(signum: int, frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    """A library with a deck folder `deck/` holding one real image."""
    (tmp_path / "lib" / "deck" / "media").mkdir(parents=True)
    (tmp_path / "lib" / "deck" / "media" / "ok.png").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (64).to_bytes(4, "big") * 2 + b"\x08"
    )
    (tmp_path / "secret.png").write_bytes(b"\x89PNG not yours")
    return tmp_path / "lib"


def _render(text: str, library: Path) -> str:
    return render_markdown(text, base_dir=library / "deck", media_root=library)


@pytest.mark.parametrize(
    "source",
    [
        '<img src="file:///etc/passwd" alt="pw">',
        '<img src="FILE:///etc/passwd" alt="pw">',
        '<img src="fi\tle:///etc/passwd" alt="pw">',
        "![pw](file:///etc/passwd)",
        "![pw](/etc/passwd)",
        '<img src="/etc/passwd" alt="pw">',
        "![pw](%2Fetc%2Fpasswd)",
        "![pw](../../secret.png)",
        "![pw](../../../../../../etc/passwd)",
        "![pw](media/../../../secret.png)",
        '<img src="..%2F..%2Fsecret.png" alt="pw">',
        "![pw](C:\\Windows\\win.ini)",
        "![pw](\\\\server\\share\\x.png)",
        "![pw](~/secret.png)",
        "![pw][r]\n\n[r]: /etc/passwd",
    ],
)
def test_images_outside_the_library_are_refused(source: str, library: Path) -> None:
    html = _render(source, library)
    assert "<img" not in html
    assert "passwd" not in html.replace(">pw<", "") or "file:" not in html
    assert "file:" not in html
    assert "pw" in html  # the alt text stands in


def test_images_inside_the_library_still_show(library: Path) -> None:
    (library / "shared").mkdir()
    (library / "shared" / "logo.png").write_bytes(b"GIF89a\x10\x00\x10\x00")
    html = _render("![ok](media/ok.png) ![logo](../shared/logo.png)", library)
    assert f'src="{(library / "deck" / "media" / "ok.png").as_uri()}"' in html
    assert f'src="{(library / "shared" / "logo.png").as_uri()}"' in html


def test_a_card_side_refuses_them_too(library: Path) -> None:
    card = Card(
        id=CardId("a1"),
        note_id=NoteId("a1"),
        kind=CardKind.CHOICE,
        file="deck/x.md",
        title="Which file?",
        prompt='<img src="file:///etc/passwd" alt="pw">',
        answer="![up](../../secret.png)",
        line_start=1,
        line_end=5,
        choices=(Choice("![c](/etc/passwd)", True), Choice("no", False)),
    )
    html = render_card(card, side=Side.BACK, base_dir=library / "deck", media_root=library)
    assert "<img" not in html and "file:" not in html


def test_a_fifo_named_as_an_image_never_blocks(library: Path) -> None:
    fifo = library / "deck" / "pipe.png"
    os.mkfifo(fifo)
    with within(5):
        assert image_size(fifo) is None
        assert read_regular_file(fifo) is None
        html = _render("![pipe](pipe.png) <img src='pipe.png' alt='p2'>", library)
    assert "<img" not in html  # not a regular file: refused like a path outside


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_never_read(device: str, library: Path) -> None:
    link = library / "deck" / "endless.png"
    link.symlink_to(device)  # inside the library by name, a device in fact
    with within(5):
        assert image_size(link) is None
        assert read_regular_file(link) is None
        assert image_size(Path(device)) is None
        html = _render(f"![e](endless.png) ![d]({device}) <img src='file://{device}'>", library)
    assert "<img" not in html


def test_reading_is_bounded_by_size(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(b"x" * 2000)
    assert read_regular_file(big, limit=1000) is None
    assert read_regular_file(big, limit=2000) == b"x" * 2000
    assert read_regular_file(tmp_path) is None  # a folder


def test_local_media_rules(tmp_path: Path) -> None:
    deck = tmp_path / "lib" / "deck"
    assert local_media("a%20b.png", base_dir=deck, root=tmp_path / "lib") == deck / "a b.png"
    assert local_media("../x.png", base_dir=deck, root=tmp_path / "lib") is not None
    assert local_media("../x.png", base_dir=deck) is None  # no root: the deck's folder
    assert local_media("../../x.png", base_dir=deck, root=tmp_path / "lib") is None
    assert local_media("/etc/passwd", base_dir=deck, root=tmp_path) is None
    assert not inside(tmp_path / "libx", tmp_path / "lib")  # a prefix is not a parent


# -- nesting and time --------------------------------------------------------------------


DEEP = {
    "list on one line, 500 deep": "- " * 500 + "x",
    "ordered list on one line": "1. " * 600 + "x",
    "mixed containers on one line": "> - 1. * + " * 300 + "x",
    "800 nested lines": "\n".join("  " * i + "- x" for i in range(800)),
    "5,000 nested lines": "\n".join("  " * i + "- x" for i in range(5000)),
    "5,000 nested lines, 4 spaces": "\n".join("    " * i + "- x" for i in range(5000)),
    "5,000 nested lines, tabs": "\n".join("\t" * i + "- x" for i in range(5000)),
    "5,000 nested quotes": "\n".join(">" * i + " x" for i in range(1, 5000)),
    "quoted lists": "\n".join("> " * i + "- x" for i in range(1, 3000)),
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_nesting_shows_the_source_in_bounded_time(name: str) -> None:
    start = time.monotonic()
    with within(20):
        html = render_markdown(DEEP[name])
    assert time.monotonic() - start < 5
    assert "Shown as written:" in html
    assert re.search(r"nest more than \d+ deep|indented more than \d+ columns", html)
    shown = html.split('<pre style="white-space:pre-wrap;">', 1)[1]
    assert shown.startswith(escape(DEEP[name][:40], quote=False))


def test_nesting_within_the_limits_renders() -> None:
    levels = 8
    text = "\n".join("    " * i + f"- level {i}" for i in range(levels))
    html = render_markdown(text)
    assert "Shown as written" not in html
    assert html.count("<ul") == levels
    quoted = "\n".join(">" * i + f" q{i}" for i in range(1, 10))
    assert "Shown as written" not in render_markdown(quoted)
    assert MAX_NESTING >= 40 and MAX_INDENT >= 80  # room for any real card


def test_a_conversion_past_its_time_budget_stops_and_the_next_one_is_right() -> None:
    slow = "[" * 5000 + "x" + "]" * 5000  # python-markdown's link scan is quadratic
    lists = "- a\n    - b\n\n1. c\n\n> q\n> - d\n\ntext\n\n    code"
    before = render_markdown(lists)
    clear_render_cache()
    start = time.monotonic()
    with time_budget(0.3):
        html = render_markdown(slow)
    assert time.monotonic() - start < 2
    assert "Shown as written: it takes more than 3 seconds to lay out." in html
    # The converter that was stopped half-way is not reused in a broken state.
    assert render_markdown(lists) == before
    clear_render_cache()
    render_markdown(DEEP["list on one line, 500 deep"])  # stopped inside a list
    clear_render_cache()
    assert render_markdown(lists) == before


def test_a_deep_html_nest_is_cut_to_the_limit() -> None:
    html = sanitize_html("<div>" * 5000 + "deep" + "</div>" * 5000 + "<b>after</b>")
    assert html.count("<div>") == MAX_HTML_DEPTH
    assert "deep" in html and html.endswith("<b>after</b>")
    assert html.count("</div>") == MAX_HTML_DEPTH


def _cloze(prompt: str, answer: str = "") -> Card:
    return Card(
        id=CardId("c1:c1"),
        note_id=NoteId("c1"),
        kind=CardKind.CLOZE,
        file="deck/x.md",
        title="Deep",
        prompt=prompt,
        answer=answer,
        line_start=1,
        line_end=9,
        cloze=1,
    )


def test_a_card_that_cannot_render_shows_its_source_and_never_the_answer() -> None:
    card = _cloze("The secret is {{c1::forty-two}}.\n\n" + "- " * 600 + "x", "Why: deep")
    front = render_card(card, side=Side.FRONT)
    assert "Shown as written: its lists or quotes nest more than" in front
    assert "## Deep" in front and "The secret is [" in front
    assert "forty-two" not in front and "Why: deep" not in front
    back = render_card(card, side=Side.BACK)
    assert "forty-two" in back and "Why: deep" in back
    assert "\n?\n" in back


def test_a_choice_card_front_source_does_not_mark_the_right_option() -> None:
    card = Card(
        id=CardId("m1"),
        note_id=NoteId("m1"),
        kind=CardKind.CHOICE,
        file="deck/x.md",
        title="Pick",
        prompt="- " * 600 + "x",
        answer="",
        line_start=1,
        line_end=9,
        choices=(Choice("right", True), Choice("wrong", False)),
    )
    front = render_card(card, side=Side.FRONT)
    assert "Shown as written" in front
    assert "- [ ] right" in front and "[x]" not in front
    assert "- [x] right" in render_card(card, side=Side.BACK)


def _template_card(prompt: str, answer: str) -> Card:
    return Card(
        id=CardId("n1:t2"),
        note_id=NoteId("n1"),
        kind=CardKind.TEMPLATE,
        file="deck/x.md",
        title="A note of a note type",
        prompt=prompt,
        answer=answer,
        line_start=1,
        line_end=5,
    )


def test_a_note_types_card_keeps_to_the_library_and_the_limits(library: Path) -> None:
    """A note type's card (its sides are its template filled in) has every card's bounds:
    images inside the library only, and a field nested past the limits shows as written
    under the reason (it raised RenderLimitError: no card on screen), without the hint
    and type-in marks."""
    from flashcards.core.template_side import render_template_card

    (library / "shared").mkdir()
    (library / "shared" / "logo.png").write_bytes(b"GIF89a\x10\x00\x10\x00")
    card = _template_card("![logo](../shared/logo.png) ![pw](../../secret.png)", "ok")
    html = render_card(card, side=Side.FRONT, base_dir=library / "deck", media_root=library)
    assert f'src="{(library / "shared" / "logo.png").as_uri()}"' in html
    assert "secret" not in html
    alone = render_card(card, side=Side.FRONT, base_dir=library / "deck")
    assert "<img" not in alone  # without the library's folder: the deck's own only
    deep = DEEP["5,000 nested lines"]
    marked = f"<!--fc:hint Hint-->a clue<!--fc:/hint-->\n\n{deep}\n\n<!--fc:type Word-->"
    hostile = _template_card(marked, marked)
    with within(20):
        for html in (
            render_card(hostile, side=Side.FRONT),
            render_card(hostile, side=Side.BACK, base_dir=library / "deck", media_root=library),
            render_template_card(hostile, back=True, hints=frozenset({0}), typed="x"),
        ):
            assert "Shown as written:" in html and "indented more than" in html
            assert "a clue" in html and "fc:" not in html
