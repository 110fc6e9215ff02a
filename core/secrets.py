"""Local-mode secrets: generated once, kept in a private file under the data directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def local_secret(path: Path) -> str:
    """Reads the secret at path, creating it (mode 0600, atomically) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value
