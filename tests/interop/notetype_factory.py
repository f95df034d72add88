"""An Anki collection of note types the deck format has no native shape for, made by the
real `anki` package: three templates (one conditional) with a hint, the stock type-in
note type, a 17-field note type whose two templates show some of its fields, LaTeX in
fields and in the field titles come from, and a review history on every card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from anki.collection import Collection

START = datetime(2026, 9, 1, 8, tzinfo=UTC)
CATEGORY = "[$]\\text{Definition of a Category } \\textbf{C}[/$]"
CHINESE_FIELDS = (
    "Hanzi",
    "Pinyin",
    "English",
    "Audio",
    "Traditional",
    "Classifier",
    "Radical",
    "Strokes",
    "HSK",
    "Frequency",
    "Example",
    "Example Pinyin",
    "Example English",
    "Notes",
    "Synonyms",
    "Antonyms",
    "Source",
)
CHINESE_CSS = ".hanzi { font-size: 48px; font-family: 'Noto Sans CJK'; }\n.pinyin { color: grey; }"


@dataclass(frozen=True)
class NotetypeSample:
    vocab_full: str  # guid: every field set, three cards
    vocab_no_ipa: str  # guid: no IPA, so no "Pronounce" card
    vocab_latex: str  # guid: LaTeX in its title field
    typein: str
    chinese: tuple[str, ...]


def _vocab_type(col: Collection) -> None:
    model = col.models.new("Basic (+IPA)")
    for name in ("Word", "IPA", "Meaning", "Hint"):
        col.models.add_field(model, col.models.new_field(name))
    templates = [
        (
            "Recognise",
            '<div class="word">{{Word}}</div>',
            "{{FrontSide}}\n\n<hr id=answer>\n\n{{IPA}}<br>{{Meaning}}",
        ),
        ("Recall", "{{Meaning}}<br>{{hint:Hint}}", "{{FrontSide}}\n\n<hr id=answer>\n\n{{Word}}"),
        (
            "Pronounce",
            "{{#IPA}}Say it: {{IPA}}{{/IPA}}",
            "{{FrontSide}}\n\n<hr id=answer>\n\n{{Word}}",
        ),
    ]
    for name, front, back in templates:
        template = col.models.new_template(name)
        template["qfmt"], template["afmt"] = front, back
        col.models.add_template(model, template)
    model["css"] = ".word { font-size: 30px; }"
    col.models.add(model)


def _chinese_type(col: Collection) -> None:
    model = col.models.new("Chinese (17 fields)")
    for name in CHINESE_FIELDS:
        col.models.add_field(model, col.models.new_field(name))
    forward = col.models.new_template("Chinese > English")
    forward["qfmt"] = '<div class="hanzi">{{Hanzi}}</div>'
    forward["afmt"] = (
        "{{FrontSide}}<hr id=answer>"
        '<div class="pinyin">{{Pinyin}}</div><div>{{English}}</div>'
        "{{#Notes}}<div>{{hint:Notes}}</div>{{/Notes}}"
    )
    backward = col.models.new_template("English > Chinese")
    backward["qfmt"] = "<div>{{English}}</div>{{#Classifier}}<i>({{Classifier}})</i>{{/Classifier}}"
    backward["afmt"] = '{{FrontSide}}<hr id=answer><div class="hanzi">{{Hanzi}}</div>{{Pinyin}}'
    col.models.add_template(model, forward)
    col.models.add_template(model, backward)
    model["css"] = CHINESE_CSS
    col.models.add(model)


def build_notetype_collection(path: Path) -> tuple[Collection, NotetypeSample]:
    col = Collection(str(path))
    _vocab_type(col)
    _chinese_type(col)
    deck = col.decks.id("Languages::Mixed")
    # The image Anki makes of a LaTeX field (named by Anki's own hash of it), as a
    # collection where LaTeX is installed holds it.
    latex = col._backend.extract_latex(text=CATEGORY, svg=False, expand_clozes=False)
    image = path.parent / latex.latex[0].filename
    image.write_bytes(b"\x89PNG fake latex image")
    col.media.add_file(str(image))

    def add(notetype: str, fields: dict[str, str], tags: list[str] | None = None) -> str:
        note = col.new_note(col.models.by_name(notetype))
        for key, value in fields.items():
            note[key] = value
        note.tags = tags or []
        col.add_note(note, deck)
        return note.guid

    full = add(
        "Basic (+IPA)",
        {"Word": "maison", "IPA": "/mɛ.zɔ̃/", "Meaning": "house", "Hint": "feminine: la …"},
        ["fr"],
    )
    no_ipa = add("Basic (+IPA)", {"Word": "chat", "Meaning": "cat", "Hint": "a pet"})
    latex = add(
        "Basic (+IPA)",
        {
            "Word": CATEGORY,
            "IPA": "[$$]\\mathcal{C} = (O, M)[/$$]",
            "Meaning": "objects and arrows",
        },
    )
    typein = add(
        "Basic (type in the answer)", {"Front": "Capital of France?", "Back": "Paris"}, ["geo"]
    )
    chinese = []
    for i, (hanzi, pinyin, english) in enumerate(
        [("你好", "nǐ hǎo", "hello"), ("谢谢", "xièxie", "thank you"), ("猫", "māo", "cat")]
    ):
        values = {name: f"{name} {i}" for name in CHINESE_FIELDS}
        values.update(Hanzi=hanzi, Pinyin=pinyin, English=english, Audio="")
        if i == 2:
            values.update(Notes="", Classifier="只")
        chinese.append(add("Chinese (17 fields)", values, ["hsk1"]))
    _history(col)
    return col, NotetypeSample(full, no_ipa, latex, typein, tuple(chinese))


def _history(col: Collection) -> None:
    """Two or three answers on every card, fixed times; a flag and a suspension here and
    there, as a real collection has."""
    card_ids = [cid for (cid,) in col.db.all("SELECT id FROM cards ORDER BY nid, ord")]
    for n, cid in enumerate(card_ids):
        first = START + timedelta(hours=n)
        answers = [(first, 3, 0, 1), (first + timedelta(days=1), 3, 1, 3)]
        if n % 2 == 0:
            answers.append((first + timedelta(days=4), 1 if n % 4 == 0 else 4, 1, 8))
        for when, ease, kind, ivl in answers:
            col.db.execute(
                "INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)",
                int(when.timestamp() * 1000),
                cid,
                -1,
                ease,
                ivl,
                1,
                2500,
                4000 + n,
                kind,
            )
        col.db.execute(
            "UPDATE cards SET type=2, queue=2, ivl=5, due=?, reps=?, flags=? WHERE id=?",
            col.sched.today + 3,
            len(answers),
            (n % 5) if n % 5 in (1, 3) else 0,
            cid,
        )
    col.sched.suspend_cards(card_ids[2::6])
