"""Sound links in rendered cards, and which files may ever be played."""

from __future__ import annotations

from pathlib import Path

from flashcards.core.markdown_html import markdown_to_html
from flashcards.core.sounds import is_sound_url, playable, sound_urls


def test_anki_sound_tags_and_audio_links_become_play_links(tmp_path: Path) -> None:
    deck_dir = tmp_path / "lib" / "french"
    page = markdown_to_html(
        'Say [sound:maison ü.mp3], then <a href="media/b%20c.ogg">🔊 b c.ogg</a>.',
        base_dir=deck_dir,
    )
    assert "▶ maison ü.mp3" in page and "▶ b c.ogg" in page
    assert "[sound:" not in page and "🔊" not in page
    assert sound_urls(page) == [
        (deck_dir / "maison ü.mp3").as_uri(),
        (deck_dir / "media" / "b c.ogg").as_uri(),
    ]


def test_sound_tags_in_code_and_remote_sounds_are_not_play_links() -> None:
    page = markdown_to_html("`[sound:x.mp3]` and [sound:https://example.com/x.mp3]")
    assert "<code" in page and "[sound:x.mp3]" in page
    assert "▶ https://example.com/x.mp3" in page.replace("\u200b", "")
    assert sound_urls(page) == []


def test_only_regular_audio_files_inside_the_library_are_playable(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    (library / "media").mkdir(parents=True)
    good = library / "media" / "a.mp3"
    good.write_bytes(b"ID3")
    outside = tmp_path / "secret.mp3"
    outside.write_bytes(b"ID3")
    (library / "media" / "link.mp3").symlink_to(outside)
    (library / "media" / "folder.mp3").mkdir()
    (library / "notes.txt").write_text("x")
    assert playable(good.as_uri(), root=library) == good.resolve()
    assert playable((library / "media" / ".." / ".." / "secret.mp3").as_uri(), root=library) is None
    assert playable((library / "media" / "link.mp3").as_uri(), root=library) is None
    assert playable((library / "media" / "folder.mp3").as_uri(), root=library) is None
    assert playable((library / "missing.mp3").as_uri(), root=library) is None
    assert playable((library / "notes.txt").as_uri(), root=library) is None
    assert playable("https://example.com/a.mp3", root=library) is None
    assert playable(good.as_uri(), root=None) is None
    assert is_sound_url(good.as_uri()) and not is_sound_url("card:Title")
