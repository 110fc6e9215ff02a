"""Where the project's bundled data files live (data/ at the repository root)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"


def read_json(path: Path, what: str, *, missing_hint: str = "") -> object:
    """A bundled data file as JSON; ConfigError saying which file and what is wrong (`what` names the file's role)."""
    import json

    from core.errors import ConfigError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        message = f"{what} file not found: {path}" + (f" ({missing_hint})" if missing_hint else "")
        raise ConfigError(message) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        message = f"{what} file {path} is not valid JSON: {exc}"
        raise ConfigError(message) from exc
