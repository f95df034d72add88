"""Anki schema 11 (`collection.anki21`): the tables and the JSON the `col` row carries.

The JSON mirrors what current Anki writes for a legacy export, trimmed to the keys its
importer needs; ids are derived from names so re-exports update rather than duplicate.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

SCHEMA = """
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL,
  factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""

_CSS = (
    ".card {\n    font-family: arial;\n    font-size: 20px;\n    line-height: 1.5;\n"
    "    text-align: center;\n    color: black;\n    background-color: white;\n}\n"
)
_CLOZE_CSS = _CSS + ".cloze {\n    font-weight: bold;\n    color: blue;\n}\n"
_LATEX_PRE = (
    "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n"
    "\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n"
    "\\begin{document}\n"
)
_ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"


def _field(name: str, ord_: int) -> dict[str, Any]:
    return {
        "name": name,
        "ord": ord_,
        "sticky": False,
        "rtl": False,
        "font": "Arial",
        "size": 20,
        "description": "",
        "plainText": False,
        "collapsed": False,
        "excludeFromSearch": False,
    }


def _template(name: str, ord_: int, qfmt: str, afmt: str) -> dict[str, Any]:
    return {
        "name": name,
        "ord": ord_,
        "qfmt": qfmt,
        "afmt": afmt,
        "bqfmt": "",
        "bafmt": "",
        "did": None,
        "bfont": "",
        "bsize": 0,
    }


def notetype(mid: int, name: str, *, now: int) -> dict[str, Any]:
    """The schema-11 notetype JSON for one of our three export notetypes."""
    if name == "Cloze":
        fields = ["Text", "Back Extra"]
        templates = [_template("Cloze", 0, "{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}")]
        kind, css, stock = 1, _CLOZE_CSS, 5
    else:
        fields = ["Front", "Back"]
        templates = [_template("Card 1", 0, "{{Front}}", _ANSWER + "{{Back}}")]
        kind, css, stock = 0, _CSS, 1
        if name != "Basic":
            templates.append(_template("Card 2", 1, "{{Back}}", _ANSWER + "{{Front}}"))
            stock = 2
    return {
        "id": mid,
        "name": name,
        "type": kind,
        "mod": now,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": templates,
        "flds": [_field(f, i) for i, f in enumerate(fields)],
        "css": css,
        "latexPre": _LATEX_PRE,
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[i, "any", [i if kind == 0 else 0]] for i in range(len(templates))],
        "originalStockKind": stock,
        "tags": [],
        "vers": [],
    }


def custom_notetype(
    mid: int,
    name: str,
    *,
    fields: list[str],
    templates: list[tuple[str, str, str]],
    requires: list[list[int]],
    now: int,
) -> dict[str, Any]:
    """The schema-11 notetype JSON for a declared note type: its fields and its
    (name, question HTML, answer HTML) templates; `requires` lists, per template, the
    fields any one of which gives its card (Anki's legacy `req`)."""
    return {
        "id": mid,
        "name": name,
        "type": 0,
        "mod": now,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": [_template(t, i, q, a) for i, (t, q, a) in enumerate(templates)],
        "flds": [_field(f, i) for i, f in enumerate(fields)],
        "css": _CSS,
        "latexPre": _LATEX_PRE,
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[i, "any", r] for i, r in enumerate(requires)],
        "tags": [],
        "vers": [],
    }


def deck(did: int, name: str, *, now: int) -> dict[str, Any]:
    return {
        "id": did,
        "mod": now,
        "name": name,
        "usn": -1,
        "lrnToday": [0, 0],
        "revToday": [0, 0],
        "newToday": [0, 0],
        "timeToday": [0, 0],
        "collapsed": False,
        "browserCollapsed": False,
        "desc": "",
        "dyn": 0,
        "conf": 1,
        "extendNew": 0,
        "extendRev": 0,
    }


DECK_CONFIG: dict[str, Any] = {
    "id": 1,
    "mod": 0,
    "name": "Default",
    "usn": 0,
    "maxTaken": 60,
    "autoplay": True,
    "timer": 0,
    "replayq": True,
    "dyn": False,
    "new": {
        "bury": False,
        "delays": [1.0, 10.0],
        "initialFactor": 2500,
        "ints": [1, 4, 0],
        "order": 1,
        "perDay": 20,
    },
    "rev": {
        "bury": False,
        "ease4": 1.3,
        "ivlFct": 1.0,
        "maxIvl": 36500,
        "perDay": 200,
        "hardFactor": 1.2,
    },
    "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
}

CONF: dict[str, Any] = {
    "nextPos": 1,
    "estTimes": True,
    "activeDecks": [1],
    "sortType": "noteFld",
    "timeLim": 0,
    "sortBackwards": False,
    "addToCur": True,
    "curDeck": 1,
    "newSpread": 0,
    "dueCounts": True,
    "curModel": None,
    "collapseTime": 1200,
    "schedVer": 2,
    "sched2021": True,
    "creationOffset": 0,
    "dayLearnFirst": False,
}


def distinct_names(models: dict[str, Any]) -> dict[str, Any]:
    """`models` (by id, in the col row's order) with no two named alike (a declared type
    named `Basic` beside the stock Basic: Anki's importer would call them Basic_, Basic__).
    As Anki names a note type added under a taken name (`Basic-31afd`), one keeps the name
    and another gets five hex digits, here of its id, so a re-export names it the same.
    The last of a name keeps it: the row lists the stock types first (which Anki renames
    on import anyway, its own Basic holding the name), then the declared ones, then those
    that came from Anki as they were, so the user's own note type keeps its name."""
    taken: set[str] = set()
    named: dict[str, Any] = {}
    for key, model in reversed(models.items()):
        name = str(model["name"])
        base, seed = name, str(model["id"])
        while name in taken:  # (and again, should another hold that one too)
            seed = hashlib.sha1(seed.encode()).hexdigest()
            name = f"{base}-{seed[:5]}"
        taken.add(name)
        named[key] = model if name == base else {**model, "name": name}
    return {key: named[key] for key in models}


def col_row(
    *, crt: int, now_ms: int, models: dict[str, Any], decks: dict[str, Any]
) -> tuple[Any, ...]:
    models = distinct_names(models)
    return (
        1,
        crt,
        now_ms,
        now_ms,
        11,
        0,
        0,
        0,
        json.dumps(CONF),
        json.dumps(models),
        json.dumps(decks),
        json.dumps({"1": DECK_CONFIG}),
        "{}",
    )
