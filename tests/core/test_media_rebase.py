"""rebase_media: a note's file references rewritten for a deck in another folder, with
the parser that finds them for imports (core.media_refs)."""

from __future__ import annotations

from flashcards.core.media_refs import rebase_media


def test_references_are_rewritten_to_the_same_files() -> None:
    text = (
        "![a](media/a.png \"t\") ![b](<media/my b.png>) <IMG SRC='media/c%20d.png'>\n"
        '[sound:media/e.mp3] <a href="media/e.mp3#t=1">🔊 e</a> [deck](../other.md#id1)\n'
        "[r]: media/ref.png\n"
    )
    new, count = rebase_media(text, source="x/deck.md", dest="y/z/deck.md")
    assert count == 7
    assert new == (
        '![a](../../x/media/a.png "t") ![b](<../../x/media/my b.png>) '
        "<IMG SRC='../../x/media/c%20d.png'>\n"
        '[sound:../../x/media/e.mp3] <a href="../../x/media/e.mp3#t=1">🔊 e</a> '
        "[deck](../../other.md#id1)\n"
        "[r]: ../../x/media/ref.png\n"
    )
    back, _ = rebase_media(new, source="y/z/deck.md", dest="x/deck.md")
    assert back == text


def test_what_is_not_a_relative_file_stays_as_written() -> None:
    text = (
        "[w](https://example.org/a.png) ![d](data:image/png;base64,AAAA) [s](#here)\n"
        "![abs](/etc/x.png) ![out](../../../x.png) `![code](media/a.png)`\n"
        "<!-- ![c](media/a.png) -->\n"
    )
    assert rebase_media(text, source="a/d.md", dest="b/d.md") == (text, 0)
    assert rebase_media("![a](media/a.png)", source="a/d.md", dest="a/e.md") == (
        "![a](media/a.png)",
        0,
    )
