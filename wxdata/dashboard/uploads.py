"""The session's uploaded files: what was imported, by content digest, and the file source they
make (the Data page's import fills it: :mod:`wxdata.dashboard.actions`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import streamlit as st

from wxdata.core.payload import Retention
from wxdata.dashboard import keys
from wxdata.sources import FileSource


@dataclass(frozen=True)
class ImportedFile:
    """One uploaded file that parsed: its payloads go to the file source."""

    name: str
    digest: str
    app_id: str
    payloads: tuple[Retention, ...]


@dataclass
class Imports:
    """The session's uploads, by content digest (the same file twice is imported once)."""

    files: dict[str, ImportedFile] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        text = "|".join(f"{d}:{f.app_id}" for d, f in sorted(self.files.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def source(self) -> FileSource:
        out = FileSource()
        for item in sorted(self.files.values(), key=lambda f: f.name):
            out.add(item.app_id, item.payloads, name=item.app_id)
        return out


def session_imports() -> Imports:
    imports = st.session_state.get(keys.IMPORTS)
    if not isinstance(imports, Imports):
        imports = st.session_state[keys.IMPORTS] = Imports()
    return imports
