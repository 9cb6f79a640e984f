"""templates/ and phrasebank/ travel inside the wheel, so a non-editable install run from
another folder finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nianbao import resources

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_carries_the_data_folders(tmp_path):
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
                       capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {p.stderr[-300:]}")
    wheel = next(tmp_path.glob("nianbao-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for tpl in (ROOT / "templates").rglob("*.j2"):
        assert f"nianbao/templates/{tpl.relative_to(ROOT / 'templates').as_posix()}" in names
    for bank in (ROOT / "phrasebank").iterdir():
        assert f"nianbao/phrasebank/{bank.name}" in names


def test_installed_data_folder_is_preferred(tmp_path, monkeypatch):
    pkg = tmp_path / "site-packages" / "nianbao"
    (pkg / "templates").mkdir(parents=True)
    monkeypatch.setattr(resources, "_PKG", pkg)
    assert resources.templates_dir() == pkg / "templates"
    with pytest.raises(FileNotFoundError, match="找不到"):
        resources.phrasebank_dir()


def test_runs_from_another_folder(tmp_path):
    seed = Path(__file__).parent / "data" / "songxian-chengguanju-2020.txt"
    out = tmp_path / "o.txt"
    p = subprocess.run([sys.executable, "-m", "nianbao", "import", str(seed), "-o", str(tmp_path / "s.json")],
                       cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert p.returncode == 0, p.stderr
    p = subprocess.run([sys.executable, "-m", "nianbao", "export", str(tmp_path / "s.json"), "--to", "txt", "-o",
                        str(out)], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert p.returncode == 0, p.stderr
    assert "行政处罚\t95\t1\t96" in out.read_text(encoding="utf-8")
