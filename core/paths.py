"""Where the project's bundled data files live (data/ at the repository root)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
