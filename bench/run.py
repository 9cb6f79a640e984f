"""Run every benchmark and print one table: each row is measured against a baseline in the
same run (the machines are noisy, so ratios matter more than absolute figures).

    python bench/run.py              # all rows, as a table
    python bench/run.py check io     # some groups only
    python bench/run.py --json       # the rows as one JSON list: {id, value, unit, baseline, ratio, target, ok}

Rows have stable ids (``startup``, ``keystroke``, ``check1000``, ``docx``, ``rss`` …).  To add
rows: write ``bench/bench_<group>.py`` with ``bench() -> list[dict]`` returning
``common.row(id, name, value, unit, baseline, target, ok, note)`` rows, and list the group in
``GROUPS`` (the composer's ``compose`` row goes in a ``compose`` group this way).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

GROUPS = {
    "tui": "bench_tui",
    "phrases": "bench_phrases",
    "check": "bench_check",
    "io": "bench_io",
    "compose": "bench_compose",
    "review": "bench_review",
}


def _fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "—"
    s = f"{v:.3g}" if v < 100 else f"{v:.0f}"
    return f"{s} {unit}".strip()


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


#: the keys of a row as printed by ``--json``
JSON_KEYS = ("id", "name", "value", "unit", "baseline", "ratio", "target", "ok", "note")


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    argv = [a for a in argv if a != "--json"]
    groups = argv or list(GROUPS)
    rows: list[dict] = []
    t0 = time.perf_counter()
    for g in groups:
        if g not in GROUPS:
            print(f"未知的测试组：{g}（可选：{'、'.join(GROUPS)}）")
            return 2
        mod = importlib.import_module(GROUPS[g])
        rows.extend(mod.bench())
    if as_json:
        print(json.dumps([{k: r.get(k) for k in JSON_KEYS} for r in rows], ensure_ascii=False, indent=1))
        return 0 if all(r["ok"] is not False for r in rows) else 1
    head = ["编号", "项目", "结果", "基准", "比值", "目标", "达标", "说明"]
    table = [[r["id"], r["name"], _fmt(r["value"], r["unit"]), _fmt(r["baseline"], r["unit"] if r["baseline"] else ""),
              f"{r['ratio']:.2f}×" if r["ratio"] else "—", r["target"],
              {True: "是", False: "否", None: "—"}[r["ok"]], r.get("note", "")] for r in rows]
    widths = [max(_width(x) for x in col) for col in zip(head, *table, strict=False)]
    print(f"机器：{platform.platform()}，{os.cpu_count()} 核，Python {platform.python_version()}")
    print("  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)))
    for line in table:
        print("  ".join(_pad(c, w) for c, w in zip(line, widths, strict=True)))
    print(f"用时 {time.perf_counter() - t0:.0f} 秒")
    return 0 if all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
