"""The assistant: time to the first interactive screen against a bare Textual app that
paints one widget and exits (same way of starting, same run), and the peak memory of a
scripted full session against the bare app's."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, row

HERE = Path(__file__).resolve().parent


def _time_to_ready(*args: str) -> float:
    """Seconds from starting the process to its READY line (then the process is ended)."""
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT,
                         text=True, encoding="utf-8")
    assert p.stdout is not None
    line = p.stdout.readline()
    elapsed = time.perf_counter() - t
    p.kill()
    p.wait()
    if line.strip() != "READY":
        raise RuntimeError(f"startup probe failed: {args}")
    return elapsed


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, encoding="utf-8", timeout=300,
                          cwd=ROOT)


def bench() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as home:
        probe = str(HERE / "startup_probe.py")
        _time_to_ready(probe, "bare", home)
        _time_to_ready(probe, "nianbao", home)  # warm the OS file cache and .pyc files
        # interleaved, so that a busy moment of the machine weighs on both alike
        pairs = [(_time_to_ready(probe, "bare", home), _time_to_ready(probe, "nianbao", home)) for _ in range(11)]
        bare = statistics.median(b for b, _ in pairs)
        ours = statistics.median(o for _, o in pairs)
        rows.append(row("首屏可操作的时间", ours, "s", bare, "≤ 1.3 × 基准", ours <= 1.3 * bare,
                        "基准：只显示一个控件即退出的最简 Textual 程序"))
        session = HERE / "session_probe.py"
        if session.exists():
            p = _run(str(session), "nianbao", home)
            q = _run(str(session), "bare", home)
            try:
                mine, base = float(p.stdout.split()[-1]), float(q.stdout.split()[-1])
            except (ValueError, IndexError):
                rows.append(row("完整起草过程的内存峰值", float("nan"), "MiB", None, "≤ 190 MiB", False,
                                f"脚本出错：{(p.stderr or q.stderr)[-200:]}"))
            else:
                rows.append(row("完整起草过程的内存峰值", mine, "MiB", base, "≤ 190 MiB", mine <= 190,
                                "基准：最简 Textual 程序的内存峰值"))
    return rows


if __name__ == "__main__":
    for r in bench():
        print(r)
