"""The assistant, each row against a baseline in the same run (interleaved, so that a busy
moment of the machine weighs on both alike):

- ``startup``: from starting the program in a real terminal (tmux) to the start screen's
  text on that terminal, against a bare Textual app that shows one line of text (skipped
  where tmux is not installed);
- ``startup_headless``: the same, headless, to Textual's on_ready (the first screen
  painted and taking keys);
- ``keystroke``: p95 from a digit key in 表三's outcome grid of a complete 2021 draft to the
  repaint that shows it, against the same key in a bare Textual ``Input``;
- ``rss``: the peak memory of a scripted full session (the township walk-through of
  tests/test_tui_walkthrough.py, with the phrase bank and the segmenter loaded), against
  the bare app's.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, percentile, row

HERE = Path(__file__).resolve().parent

#: what the start screen shows once it is up (a button of the start screen), and the bare app
NIANBAO_TEXT = "新建报告 (N)"
BARE_TEXT = "政府信息公开工作年度报告"
BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("政府信息公开工作年度报告")
Bare().run()
"""


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


def _tmux(sock: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True, encoding="utf-8")


def _time_on_terminal(command: list[str], text: str, env: dict[str, str], timeout: float = 20) -> float:
    """Seconds from starting ``command`` in a new tmux terminal (120×40) to ``text`` on it."""
    global _RUNS
    _RUNS += 1
    sock = f"nianbao-bench-{os.getpid()}-{_RUNS}"  # a fresh server each time (no race with the last one)
    shell = " ".join(_quote(c) for c in command)
    try:
        t = time.perf_counter()
        started = _tmux(sock, "new-session", "-d", "-x", "120", "-y", "40", *[f"-e{k}={v}" for k, v in env.items()],
                        shell)
        if started.returncode != 0:
            raise RuntimeError(started.stderr.strip())
        while time.perf_counter() - t < timeout:
            if text in _tmux(sock, "capture-pane", "-p").stdout:
                return time.perf_counter() - t
            time.sleep(0.002)
        raise RuntimeError(f"{text!r} never appeared on the terminal")
    finally:
        _tmux(sock, "kill-server")


_RUNS = 0


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def startup_rows(home: str) -> list[dict]:
    rows = []
    probe = str(HERE / "startup_probe.py")
    _time_to_ready(probe, "bare", home)
    _time_to_ready(probe, "nianbao", home)  # warm the OS file cache and .pyc files
    pairs = [(_time_to_ready(probe, "bare", home), _time_to_ready(probe, "nianbao", home)) for _ in range(9)]
    bare, ours = statistics.median(b for b, _ in pairs), statistics.median(o for _, o in pairs)
    headless = row("startup_headless", "首屏可操作的时间（无终端）", ours, "s", bare, "≤ 1.3 × 基准", ours <= 1.3 * bare,
                   "基准：只显示一行文字的最简 Textual 程序；计到 Textual 的 on_ready")
    if shutil.which("tmux") is None:
        rows.append(row("startup", "首屏显示在终端上的时间", None, "s", None, "≤ 1.3 × 基准", None,
                        "未安装 tmux，跳过（见 startup_headless）"))
        return [*rows, headless]
    env = {"NIANBAO_HOME": home, "PYTHONPATH": str(ROOT / "src"), "TERM": "xterm-256color"}
    ours_cmd = [sys.executable, "-m", "nianbao"]
    bare_cmd = [sys.executable, "-c", BARE_APP]
    _time_on_terminal(bare_cmd, BARE_TEXT, env)
    _time_on_terminal(ours_cmd, NIANBAO_TEXT, env)
    pairs = [(_time_on_terminal(bare_cmd, BARE_TEXT, env), _time_on_terminal(ours_cmd, NIANBAO_TEXT, env))
             for _ in range(7)]
    bare, ours = statistics.median(b for b, _ in pairs), statistics.median(o for _, o in pairs)
    rows.append(row("startup", "首屏显示在终端上的时间（tmux）", ours, "s", bare, "≤ 1.3 × 基准", ours <= 1.3 * bare,
                    "基准：只显示一行文字的最简 Textual 程序；计到首屏文字出现在 tmux 终端上"))
    return [*rows, headless]


def _keys(mode: str, n: int) -> list[float]:
    with tempfile.TemporaryDirectory() as home:
        p = subprocess.run([sys.executable, str(HERE / "keystroke_probe.py"), mode, home, str(n)], capture_output=True,
                           text=True, encoding="utf-8", timeout=300, cwd=ROOT)
    if p.returncode != 0:
        raise RuntimeError(f"keystroke probe failed ({mode}): {p.stderr[-500:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def keystroke_row() -> dict:
    bare: list[float] = []
    ours: list[float] = []
    for _ in range(3):  # interleaved runs of 40 keys each
        bare += _keys("bare", 40)
        ours += _keys("nianbao", 40)
    b, o = percentile(bare, 95) * 1000, percentile(ours, 95) * 1000
    return row("keystroke", "表三中按一个数字键到重绘 p95", o, "ms", b, "≤ 1.5 × 基准", o <= 1.5 * b,
               f"基准：同一按键在最简 Textual 输入框中；p50 {statistics.median(ours) * 1000:.1f} / "
               f"{statistics.median(bare) * 1000:.1f} ms；保存、检查、合计在重绘之后进行")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, encoding="utf-8", timeout=300,
                          cwd=ROOT)


def rss_row(home: str) -> dict:
    session = HERE / "session_probe.py"
    p = _run(str(session), "nianbao", home)
    q = _run(str(session), "bare", home)
    try:
        mine, base = float(p.stdout.split()[-1]), float(q.stdout.split()[-1])
    except (ValueError, IndexError):
        return row("rss", "完整起草过程的内存峰值", None, "MiB", None, "≤ 190 MiB", False,
                   f"脚本出错：{(p.stderr or q.stderr)[-200:]}")
    return row("rss", "完整起草过程的内存峰值", mine, "MiB", base, "≤ 190 MiB", mine <= 190,
               "基准：最简 Textual 程序的内存峰值")


def bench() -> list[dict]:
    with tempfile.TemporaryDirectory() as home:
        rows = startup_rows(home)
        rows.append(keystroke_row())
        rows.append(rss_row(home))
    return rows


if __name__ == "__main__":
    for r in bench():
        print(json.dumps(r, ensure_ascii=False))
