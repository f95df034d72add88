"""A small deck every Anki-export test starts from (not a test module): a basic card
with an image and tags, a reverse card, two clozes and a multiple-choice question; and
how those tests read a package's rows."""

import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from flashcards.collection import interop_ops
from flashcards.collection.collection import Collection
from flashcards.collection.export_origins import anki_origins
from flashcards.collection.export_rows import read_package_data
from flashcards.collection.export_sql import export_by_sql
from flashcards.interop.apkg_export import write_package
from flashcards.interop.bundle import ExportReport

MODELING = """---
title: Modeling
---

# Trees

## XGBoost eta {#k3f9q2}
What happens when you lower `eta`?
?
Each tree adds less. See [[Early stopping]].

![diagram](img/trees ü.png)

Tags: xgboost, aws::ml

## Chat {#rev001 .reverse}
cat

## Precision {#p8d2m1}
Precision = {{TP / (TP + FP)}}; recall = {{c2::TP / (TP + FN)::formula}}.

## Metric for rare fraud {#q1w2e3}
Which metric should you watch?
- [ ] Accuracy
- [x] Area under the precision-recall curve
- [ ] Mean squared error
?
Accuracy is 99.9% for a model that flags nothing.
"""


def write_modeling(library: Path, text: str = MODELING) -> None:
    """The deck above (or `text`) as `aws/modeling.md`, with its image."""
    (library / "aws" / "img").mkdir(parents=True)
    (library / "aws" / "img" / "trees ü.png").write_bytes(b"\x89PNG fake")
    (library / "aws" / "modeling.md").write_text(text, encoding="utf-8")


def package_rows(path: Path, *, indexes: bool = False) -> dict[str, Any]:
    """Every row of an .apkg's tables (sorted), its media map and media entries; with
    `indexes`, the names of its indexes too."""
    out: dict[str, Any] = {}
    with zipfile.ZipFile(path) as z:
        out["entries"] = {n: z.read(n) for n in z.namelist() if n != "collection.anki21"}
        db_file = path.with_suffix(".anki21")
        db_file.write_bytes(z.read("collection.anki21"))
    with sqlite3.connect(db_file) as db:
        for table in ("col", "notes", "cards", "revlog", "graves"):
            out[table] = sorted(db.execute(f"SELECT * FROM {table}").fetchall())
        if indexes:
            out["indexes"] = sorted(
                db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
            )
    db.close()
    db_file.unlink()
    return out


def python_export(
    col: Collection, out: Path, deck: str | None = None, *, now: datetime
) -> ExportReport:
    """The export the Python way (`read_package_data` + `write_package`), with the guids
    and note types Anki-made notes came with; its report."""
    guids = col.setting(interop_ops.GUID_SETTING) or {}
    package = read_package_data(col, deck, guids=guids, origins=anki_origins(col))
    return write_package(package, out, now=now)


def sql_equals_python(
    col: Collection, folder: Path, deck: str | None = None, *, now: datetime
) -> tuple[dict[str, Any], ExportReport, ExportReport]:
    """Export by SQL (which must apply) and the Python way into `folder`; their packages'
    rows are equal. The SQL package's rows, and both reports."""
    sql = export_by_sql(col, deck, folder / "sql.apkg", now=now)
    assert sql is not None  # the SQL way applied
    python = python_export(col, folder / "python.apkg", deck, now=now)
    package = package_rows(folder / "sql.apkg", indexes=True)
    assert package == package_rows(folder / "python.apkg", indexes=True)
    return package, sql, python
