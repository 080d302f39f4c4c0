"""Where the workspace lives and which database it uses.

Precedence, most specific first: command-line flag, environment variable, default. The default
is an embedded SQLite file in the user's data folder (R-TEAM-1), so nothing needs installing.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from desktop.errors import ConfigError, StorageError

APP_NAME = "Reglament"
ENV_HOME = "REGLAMENT_HOME"
ENV_DB = "REGLAMENT_DB_URL"


@dataclass(frozen=True)
class Paths:
    """The data folder's layout."""

    home: Path

    @property
    def database(self) -> Path:
        return self.home / "reglament.db"

    @property
    def blobs(self) -> Path:
        return self.home / "blobs"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "reglament.log"

    @property
    def local_settings(self) -> Path:
        return self.home / "settings.json"

    @property
    def backups(self) -> Path:
        """Automatic backups (before a schema upgrade, once a day) and restores' safety copies."""
        return self.home / "backups"

    @property
    def exports(self) -> Path:
        return self.home / "exports"


def resolve_home(flag: str | os.PathLike[str] | None = None) -> Path:
    raw = flag or os.environ.get(ENV_HOME)
    if raw:
        return Path(raw).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def ensure_home(home: Path) -> Paths:
    """Create the data folder, or say plainly why it cannot be used."""
    paths = Paths(home)
    try:
        for folder in (home, paths.blobs, paths.log_file.parent):
            folder.mkdir(parents=True, exist_ok=True)
        # A name of its own: two programs starting on one folder at once (the window and a
        # CLI command) must not delete each other's probe.
        with tempfile.NamedTemporaryFile(dir=home, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise StorageError(
            "the data folder {home} cannot be written: {reason}", home=home, reason=exc.strerror or exc
        ) from None
    return paths


def resolve_db_url(paths: Paths, flag: str | None = None) -> str:
    url = flag or os.environ.get(ENV_DB)
    if url:
        return url
    return f"sqlite:///{paths.database}"


def load_local_settings(paths: Paths) -> dict[str, Any]:
    """Per-workstation settings (language, current agent); a corrupt file is named, not ignored."""
    if not paths.local_settings.exists():
        return {}
    try:
        data = json.loads(paths.local_settings.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        # Not set aside by itself: it may hold the team database's address, and starting on the
        # local default instead would split one agent's work across two databases unnoticed.
        raise ConfigError(
            "the settings file {local_settings} is damaged ({exc}); correct it, or move it away "
            "to start with the default settings (it keeps the database address and your login)",
            local_settings=paths.local_settings, exc=exc,
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            "the settings file {local_settings} does not hold a settings object; correct it, or move "
            "it away to start with the default settings (it keeps the database address and your login)",
            local_settings=paths.local_settings,
        )
    return data


def save_local_settings(paths: Paths, data: dict[str, Any]) -> None:
    tmp = paths.local_settings.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(paths.local_settings)
