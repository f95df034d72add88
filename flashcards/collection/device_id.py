"""This data folder's device id (docs/sync.md): `<data>/device.json`.

Per data folder, not in the shared library (every machine has its own) and not only in
the database (a database deleted and rebuilt is still the same device, and goes on
counting its events). A data folder copied to another machine gets a new id there, so
two machines never append to one log file.
"""

from __future__ import annotations

import os
import platform
import secrets
from pathlib import Path

from flashcards.storage.event_log import DEVICE_NAME, read_json, write_json

DEVICE_FILE = "device.json"


def machine_name() -> str:
    return platform.node() or "this computer"


def device_id(data_dir: Path, *, adopt: str = "", readonly: bool = False) -> str:
    """The device id of `data_dir`, made (or adopted from an older collection's
    `device_id` setting, `adopt`) on first use."""
    path = data_dir / DEVICE_FILE
    stored = read_json(path)
    here = {"machine": machine_name(), "folder": os.fspath(data_dir.resolve())}
    if stored is not None:
        ident = stored.get("id")
        if isinstance(ident, str) and DEVICE_NAME.match(ident):
            moved = (
                stored.get("machine") != here["machine"] and stored.get("folder") != here["folder"]
            )
            if not moved or readonly:
                return ident
            adopt = ""  # a copy of another machine's folder: a device of its own
    if readonly:
        return adopt or ""
    ident = adopt if adopt and DEVICE_NAME.match(adopt) else secrets.token_hex(6)
    write_json(path, {"id": ident, **here})
    return ident
