"""The Anki note type a note came from, kept for the export back to that collection.

Anki's package import updates a note it already has (same guid) only where the
package's note names the same note type: the same id, and the same field and template
names in the same order (`equal_schema`); else the note is 'conflicting' and its note
type is added again under a new name ('Basic+'). It replaces its own note type with the
package's only where the package's mtime is later. So the import keeps, per Anki note
type its notes use, the id, name, mtime and field and template names
(`origin_entry`), and the export writes the note type of a note that came from it as
that one (`origin_model`) where its shape here still matches: the same field and template
count, a declared type's names unchanged. The mtime is the one it came with, so Anki
keeps its own templates and CSS (and a note type edited there since stays as edited);
a package opened elsewhere gets working templates that name the original fields.

A cloze note type with fields of its own (Text, Back Extra, Source, say) comes in as
cloze notes whose back holds those fields a paragraph apart; the import keeps what each
held (`anki_cloze_fields`). Such a note goes back as its Anki note type, each field in its
own (`cloze_fields`), where its back is still what they make; a back edited here goes
whole into the second field (Back Extra), the fields after it empty. A note whose
fields were not kept (an import before this) goes as the stock Cloze."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from flashcards.interop.anki_db import AnkiNotetype
from flashcards.interop.export_notes import to_html

# A template's {{Field}}, {{#Field}}, {{/Field}}, {{cloze:Field}}, {{text:hint:Field}}.
_REF = re.compile(r"\{\{([#^/]?)((?:[^{}:]+:)*)([^{}:]+)\}\}")


def origin_entry(notetype: AnkiNotetype) -> dict[str, object]:
    """What an export back needs of an Anki note type (stored as JSON in a setting)."""
    return {
        "name": notetype.name,
        "mod": notetype.mod,
        "cloze": notetype.cloze,
        "fields": list(notetype.fields),
        "templates": [t.name for t in notetype.templates],
    }


def origin_model(
    model: Mapping[str, Any], mid: int, origin: Mapping[str, object], *, declared: bool
) -> dict[str, Any] | None:
    """The package's note type `model` (schema-11 JSON) as the Anki note type `origin`
    (id `mid`) it came from: its id, name, mtime, field and template names (a stock
    type's fields renamed in its templates too). None where the shapes differ: another
    field or template count, another kind, or (`declared`: a note type the deck
    declares, whose names are the Anki ones) other names."""
    fields, templates = origin.get("fields"), origin.get("templates")
    if not isinstance(fields, list) or not isinstance(templates, list):
        return None
    if model["type"] == 1 and len(model["flds"]) == 2 and wide_cloze(origin):
        model = _widened(model, len(fields) - 2)
    ours = [str(f["name"]) for f in model["flds"]]
    our_templates = [str(t["name"]) for t in model["tmpls"]]
    if (
        len(fields) != len(ours)
        or len(templates) != len(our_templates)
        or bool(origin.get("cloze")) != (model["type"] == 1)
        or (declared and (fields != ours or templates != our_templates))
    ):
        return None
    out = copy.deepcopy(dict(model))
    names = {old: str(new) for old, new in zip(ours, fields, strict=True) if old != new}
    for field, name in zip(out["flds"], fields, strict=True):
        field["name"] = str(name)
    for template, name in zip(out["tmpls"], templates, strict=True):
        template["name"] = str(name)
        if names:
            template["qfmt"] = rename_fields(template["qfmt"], names)
            template["afmt"] = rename_fields(template["afmt"], names)
    mod = origin.get("mod")
    out.update(id=mid, name=str(origin.get("name") or model["name"]))
    out["mod"] = mod if isinstance(mod, int) else 0
    return out


def rename_fields(template: str, names: Mapping[str, str]) -> str:
    """`template` with its references to the fields `names` maps renamed, in one pass
    (so two fields may swap names)."""

    def rename(m: re.Match[str]) -> str:
        name = m.group(3)
        return "{{" + m.group(1) + m.group(2) + names.get(name, name) + "}}"

    return _REF.sub(rename, template)


def wide_cloze(origin: Mapping[str, object] | None) -> int:
    """How many fields after its text an Anki cloze note type with fields of its own has
    (beyond Text and Back Extra); 0 for any other."""
    fields = origin.get("fields") if origin is not None else None
    if origin is None or not origin.get("cloze") or not isinstance(fields, list):
        return 0
    return len(fields) - 1 if len(fields) > 2 else 0


def cloze_fields(flds: str, kept: Sequence[str]) -> list[str]:
    """A cloze note's fields (`flds`: text and back as HTML) as its Anki note type has
    them, given what the fields after its text held when it came (`kept`, Markdown): each
    again in its own where the back is still what they make, else the back in the second
    and the others empty."""
    text, _, back = flds.partition("\x1f")
    if to_html("\n\n".join(filter(None, kept))) == back:
        return [text, *(to_html(value) for value in kept)]
    return [text, back, *[""] * (len(kept) - 1)]


def _widened(model: Mapping[str, Any], extra: int) -> dict[str, Any]:
    """The stock Cloze `model` with `extra` fields more, its answer showing each (names
    that `origin_model` renames to the Anki ones)."""
    out = copy.deepcopy(dict(model))
    names = [f"Extra field {i}" for i in range(1, extra + 1)]
    last = out["flds"][-1]
    for name in names:
        out["flds"].append(dict(last, name=name, ord=len(out["flds"])))
    shown = "".join(f"\n{{{{#{n}}}}}<br>\n{{{{{n}}}}}{{{{/{n}}}}}" for n in names)
    for template in out["tmpls"]:
        template["afmt"] += shown
    return out
