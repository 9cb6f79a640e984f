"""`nianbao check` of 1,000 report files end to end, against just parsing the same JSON."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, row, run_py, sample_report

N = 1000


def _make(folder: Path) -> None:
    from nianbao.store import dumps

    for i in range(N):
        (folder / f"r{i:04d}.json").write_text(dumps(sample_report(i)), encoding="utf-8")


PARSE = """
import json, sys
from pathlib import Path
for p in sorted(Path(sys.argv[1]).glob('*.json')):
    json.loads(p.read_text(encoding='utf-8'))
"""
CHECK = "import sys; from nianbao.cli import main; sys.exit(main(['check', sys.argv[1]]))"


def bench() -> list[dict]:
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        _make(folder)
        base = best_of(lambda: run_py(PARSE, str(folder)), 3)
        res = {}

        def go():
            res["p"] = run_py(CHECK, str(folder))
        t = best_of(go, 3)
        p = res["p"]
        ok_run = p.returncode in (0, 1) and f"共 {N} 个文件" in p.stdout
    return [row("check1000", "nianbao check 1000 个文件（端到端）", t, "s", base, "≤ 2 s（2 核）", ok_run and t <= 2.0,
                "基准：另起一个进程只解析这 1000 个 JSON 文件")]


if __name__ == "__main__":
    for r in bench():
        print(r)
