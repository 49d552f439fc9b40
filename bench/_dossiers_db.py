"""The dossier benchmark's own database (bench_dossiers.sqlite3, or DOSSIERS_DATABASE_URL): three million dossiers
would slow the other benchmarks' province down. Imported before `bench._common`, which sets Django up on it."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ["DATABASE_URL"] = os.environ.get(
    "DOSSIERS_DATABASE_URL", f"sqlite:///{ROOT / 'bench_dossiers.sqlite3'}"
)
