from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "sample"
SEED = SAMPLE / "01-xinhua-seed.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()
