"""This data folder's device id (docs/sync.md): `<data>/device.json`.

Per data folder, not in the shared library (every machine has its own) and not only in
the database (a database deleted and rebuilt is still the same device, and goes on
counting its events). A data folder copied whole (to another machine, another user, or
another place) must not keep the id: two installations would append to one log file. So
the id is also *claimed* outside the folder, in the user's state folder
(`~/.local/state/flashcards/device-claims/`, keyed by the data folder's path), which a copy
of the data folder does not take along: a device.json whose claim is not there, or names
another id, or that names another machine or path, is a copy, and gets a new id.
"""

from __future__ import annotations

import hashlib
import os
import platform
import secrets
from pathlib import Path

from flashcards.storage.event_log import DEVICE_NAME, read_json, write_json

DEVICE_FILE = "device.json"
CLAIMS_DIR = "device-claims"


def machine_name() -> str:
    return platform.node() or "this computer"


def claims_dir() -> Path:
    """Where this user's claims live (not in any data folder, so never copied with it)."""
    import platformdirs

    return Path(platformdirs.user_state_dir("flashcards", appauthor=False)) / CLAIMS_DIR


def _claim_path(folder: str) -> Path:
    return claims_dir() / (hashlib.sha256(folder.encode()).hexdigest()[:24] + ".json")


def read_claim(folder: str) -> str | None:
    """The device id this user's installation claimed for the data folder at `folder`."""
    try:
        found = read_json(_claim_path(folder))
    except OSError:
        return None
    if found is None or found.get("folder") != folder:
        return None
    ident = found.get("id")
    return ident if isinstance(ident, str) else None


def write_claim(folder: str, ident: str) -> bool:
    """Claim `ident` for the data folder at `folder`; False when it cannot be written."""
    try:
        write_json(_claim_path(folder), {"folder": folder, "id": ident})
    except OSError:
        return False
    return True


def device_id(data_dir: Path, *, adopt: str = "", readonly: bool = False) -> str:
    """The device id of `data_dir`, made (or adopted from an older collection's
    `device_id` setting, `adopt`) on first use, and made anew in a copied data folder."""
    path = data_dir / DEVICE_FILE
    stored = read_json(path)
    here = {"machine": machine_name(), "folder": os.fspath(data_dir.resolve())}
    if stored is not None:
        ident = stored.get("id")
        if isinstance(ident, str) and DEVICE_NAME.match(ident):
            claim = read_claim(here["folder"])
            if stored.get("claimed"):  # written with its claim: the claim must be here
                copied = claim != ident
            else:  # an older version's file (or no claim could be written)
                copied = claim is not None and claim != ident
            copied = (
                copied
                or stored.get("machine") != here["machine"]
                or stored.get("folder") != here["folder"]
            )
            if readonly:
                return ident
            if not copied:
                if claim != ident or not stored.get("claimed"):
                    _save(path, ident, here)
                return ident
            adopt = ""  # a copy of another installation's folder: a device of its own
    if readonly:
        return adopt or ""
    ident = adopt if adopt and DEVICE_NAME.match(adopt) else secrets.token_hex(6)
    _save(path, ident, here)
    return ident


def new_device_id(data_dir: Path) -> str:
    """A new id for `data_dir` (its old one turned out to be shared with another
    installation: device_heal)."""
    ident = secrets.token_hex(6)
    _save(
        data_dir / DEVICE_FILE,
        ident,
        {"machine": machine_name(), "folder": os.fspath(data_dir.resolve())},
    )
    return ident


def _save(path: Path, ident: str, here: dict[str, str]) -> None:
    """device.json, and the claim; `claimed` only when the claim was written (else a
    claim that could not be written would make a new id at every open)."""
    claimed = write_claim(here["folder"], ident)
    value: dict[str, object] = {"id": ident, **here}
    if claimed:
        value["claimed"] = True
    write_json(path, value)
