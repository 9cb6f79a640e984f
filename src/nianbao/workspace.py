"""Where drafts live: ``--home DIR``, ``NIANBAO_HOME``, or the platform's user data dir."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Report


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
    from .checks import check, summary
    from .store import StoreError, load

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


def find_draft(home: Path, agency: str, year: int | None) -> Path | None:
    """The draft of ``agency`` for ``year`` in the workspace, if there is one (the most
    recently changed); drafts that cannot be read are skipped."""
    from .store import StoreError, load

    found = []
    for p in drafts_dir(home).glob("*.json"):
        try:
            r = load(p)
        except StoreError:
            continue
        if r.agency.name.strip() == agency.strip() and r.year == year:
            found.append((p.stat().st_mtime, p))
    return max(found)[1] if found else None


@dataclass
class LastYearChoice:
    path: Path
    label: str
    finished: bool
    year: int | None


def last_year_choices(home: Path) -> tuple[list[LastYearChoice], int]:
    """The drafts to start next year's report from, and the one to preselect: a finished
    report (every question answered, or a published report imported to check) of the
    latest year — never an unfinished draft while a finished one exists (that is most likely
    this year's draft in progress)."""
    from .questions import percent
    from .store import StoreError, load

    rows = []
    for p in drafts_dir(home).glob("*.json"):
        try:
            r = load(p)
            mtime = p.stat().st_mtime
        except (StoreError, OSError):
            continue
        pct = percent(r)
        finished = pct == 100 or bool(r.meta.source)
        state = "已完成" if pct == 100 else ("已导入" if r.meta.source else f"未完成 {pct}%")
        rows.append((mtime, LastYearChoice(p, f"{r.agency.name or p.stem}  {r.year or ''}年度  （{state}）",
                                           finished, r.year)))
    rows.sort(key=lambda x: x[0], reverse=True)
    choices = [c for _, c in rows]
    if not choices:
        return [], 0
    best = max(range(len(choices)), key=lambda i: (choices[i].finished, choices[i].year or 0, -i))
    return choices, best
