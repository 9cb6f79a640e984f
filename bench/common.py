"""Shared helpers for the benchmarks: timing, rows, and sample reports."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def row(id: str, name: str, value: float | None, unit: str, baseline: float | None, target: str, ok: bool | None,
        note: str = "") -> dict:
    """One row of the table: ``id`` (stable, for ``--json`` consumers), the Chinese ``name``,
    the measured ``value`` (None: skipped, see ``note``), the ``baseline`` measured in the
    same run, their ``ratio``, the ``target`` as text and whether it is met (``ok``; None
    when there is nothing to judge)."""
    ratio = value / baseline if baseline and value is not None else None
    return {"id": id, "name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio,
            "target": target, "ok": ok, "note": note}


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    i = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return xs[i]


def best_of(fn: Callable[[], object], n: int = 5) -> float:
    """Best wall time of n runs, in seconds (the least noisy estimate on a busy machine)."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run_py(code: str, *args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, timeout=timeout)


def sample_report(seed: int, year: int = 2024):
    """A complete, consistent 2021-format report with random figures."""
    from nianbao.model import AgencyKind, Part, new_report

    rnd = random.Random(seed)
    r = new_report(year, f"某县第{seed}局", rnd.choice(list(AgencyKind)))
    spec = r.spec
    for c in spec.cells:
        if c.computed or (c.table.key == "t3" and c.row.key in ("R7", "F")):
            continue
        if c.kind == "money":
            r.set(c.id, Decimal(rnd.randint(0, 99999)) / 100)
        else:
            r.set(c.id, rnd.choice([0, 0, 0, rnd.randint(0, 30)]))
    # make 一+二 = 七+四 hold: 结转 = whatever is left (never negative)
    r.recompute()
    b = spec.block("t3", "main")
    for c in b.columns:
        if c.computed:
            continue
        n, cc, r7 = (r.get(f"t3.main.{k}.{c.key}") for k in ("N", "C", "R7"))
        extra = max(0, r7 - n - cc)
        r.set(f"t3.main.N.{c.key}", n + extra)
        r.set(f"t3.main.F.{c.key}", n + extra + cc - r7)
    r.recompute()
    r.narrative.opening = f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。"
    r.narrative.overview = [Part(title="主动公开情况。", text=f"{year}年，本局持续推进政务公开。" * 5)]
    r.narrative.problems = [Part(text="政策解读形式较为单一。")]
    r.narrative.measures = [Part(title="丰富解读形式。", text="推出图解、视频等解读产品。")]
    r.narrative.other = "无"
    return r
