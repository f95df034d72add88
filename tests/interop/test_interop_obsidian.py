"""Obsidian Spaced Repetition notes: every card syntax and the scheduling comments."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flashcards.core.model import CardKind, CardState
from flashcards.core.parser import parse_deck
from flashcards.interop.detect import OBSIDIAN, markdown_kind
from flashcards.interop.obsidian import parse_sr, read_obsidian

SAMPLE = """---
tags: biology
---
#flashcards/bio

# Cells

Mitochondria::Powerhouse of the cell <!--SR:!2026-11-30,3,250-->
Chat:::Cat
<!--SR:!2026-12-01,4,230!2026-12-05,10,270-->

What is ATP?
It powers cells.
?
Adenosine triphosphate
![[atp diagram.png]]
<!--SR:!2026-11-29,1,250-->

Big
??
Small

The ==nucleus== holds ==DNA==.
<!--SR:!2026-12-10,12,250!2026-12-11,13,130-->

Curly {{clozes}} only when asked.

```python
x::y  # not a card inside code
```

`a::b` is inline code, not a card.
"""


def _vault(tmp_path: Path) -> Path:
    vault = tmp_path / "vault"
    (vault / "Biology").mkdir(parents=True)
    (vault / "Biology" / "Cells & Life.md").write_text(SAMPLE, encoding="utf-8")
    (vault / "assets").mkdir()
    (vault / "assets" / "atp diagram.png").write_bytes(b"PNG!")
    return vault


def test_parse_every_syntax() -> None:
    cards = parse_sr(SAMPLE)
    assert [(c.kind, c.question, c.answer) for c in cards] == [
        ("basic", "Mitochondria", "Powerhouse of the cell"),
        ("reversed", "Chat", "Cat"),
        ("basic", "What is ATP?\nIt powers cells.", "Adenosine triphosphate\n![[atp diagram.png]]"),
        ("reversed", "Big", "Small"),
        ("cloze", "The ==nucleus== holds ==DNA==.", ""),
    ]
    assert cards[1].schedule == (("2026-12-01", 4, 230), ("2026-12-05", 10, 270))
    assert len(parse_sr(SAMPLE, curly_cloze=True)) == 6


def test_vault_becomes_decks_with_states_and_media(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    bundle = read_obsidian([vault / "Biology" / "Cells & Life.md"], root=vault, prefix="vault")
    (path,) = bundle.decks
    assert path == "vault/biology/cells-life.md"
    notes = parse_deck(bundle.decks[path], path=path).deck.notes
    kinds = [[c.kind for c in n.cards] for n in notes]
    assert kinds == [
        [CardKind.BASIC],
        [CardKind.BASIC, CardKind.REVERSE],
        [CardKind.BASIC],
        [CardKind.BASIC, CardKind.REVERSE],
        [CardKind.CLOZE, CardKind.CLOZE],
    ]
    atp = notes[2]
    assert atp.title == "What is ATP?" and "![](media/atp_diagram.png)" in atp.answer
    assert [m.path for m in bundle.media] == ["vault/biology/media/atp_diagram.png"]
    assert bundle.media[0].read() == b"PNG!"

    chat = notes[1]
    forward, backward = bundle.cards[chat.cards[0].id].memory, bundle.cards[chat.cards[1].id].memory
    assert forward.state is CardState.REVIEW and forward.due == datetime(2026, 12, 1, tzinfo=UTC)
    assert forward.stability == 4
    assert backward.due == datetime(2026, 12, 5, tzinfo=UTC)
    c2 = bundle.cards[notes[4].cards[1].id].memory
    assert c2.due == datetime(2026, 12, 11, tzinfo=UTC) and c2.difficulty == 10.0
    assert notes[3].id not in bundle.cards  # no SR comment: stays new


def test_ids_are_stable_across_reads(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    file = vault / "Biology" / "Cells & Life.md"
    first = read_obsidian([file], root=vault)
    file.write_text(SAMPLE.replace("Adenosine triphosphate", "ATP, edited"), encoding="utf-8")
    second = read_obsidian([file], root=vault)
    ids = [
        [n.id for n in parse_deck(t, path=p).deck.notes]
        for b in (first, second)
        for p, t in b.decks.items()
    ]
    assert ids[0] == ids[1]


def test_detection() -> None:
    assert markdown_kind([SAMPLE]) == OBSIDIAN  # more detection cases: test_interop_detect.py
