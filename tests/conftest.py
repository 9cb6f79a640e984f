from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SEED = DATA / "songxian-chengguanju-2020.txt"
CORPUS = DATA / "corpus"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture()
def seed_report(seed_text):
    from nianbao.importer import import_text

    return import_text(seed_text, SEED.name).report
