"""Where drafts live: ``--home DIR``, ``NIANBAO_HOME``, or the platform's user data dir."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .checks import check, summary
from .model import Report
from .store import StoreError, load


def home_dir(arg: str | os.PathLike[str] | None = None) -> Path:
    if arg:
        return Path(arg).expanduser()
    env = os.environ.get("NIANBAO_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("nianbao", appauthor=False))


def drafts_dir(home: Path) -> Path:
    d = home / "drafts"
    d.mkdir(parents=True, exist_ok=True)
    return d


@dataclass
class DraftInfo:
    path: Path
    report: Report | None
    error: str = ""
    errors: int = 0
    warnings: int = 0

    @property
    def percent(self) -> int:
        if self.report is None:
            return 0
        done, total = self.report.answered()
        return round(100 * done / total) if total else 0


def list_drafts(home: Path) -> list[DraftInfo]:
    out: list[DraftInfo] = []
    for p in sorted(drafts_dir(home).glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            r = load(p)
        except StoreError as e:
            out.append(DraftInfo(p, None, str(e)))
            continue
        e, w = summary(check(r))
        out.append(DraftInfo(p, r, "", e, w))
    return out


def draft_filename(report: Report) -> str:
    name = report.agency.name or "未命名"
    safe = "".join(ch for ch in name if ch not in '\\/:*?"<>|').strip() or "未命名"
    year = report.year or "年度未定"
    return f"{safe}-{year}.json"


def unique_path(folder: Path, filename: str) -> Path:
    p = folder / filename
    stem, suffix = p.stem, p.suffix
    i = 2
    while p.exists():
        p = folder / f"{stem}-{i}{suffix}"
        i += 1
    return p
