"""SIGKILL at ten points of a scripted drafting session (基本信息, 二, 三, 四): every answer
accepted before the kill is on disk, and a relaunch (a new process, taking over the dead
process's lock) resumes where the last accepted answer left off.

One chain of driver runs (tests/session_driver.py, the headless session the TUI renders):
run 1 answers up to the first kill point and is killed; run 2 relaunches on the same folder,
checks where it resumed, answers up to the second kill point and is killed; and so on.  The
screen's own restart after a kill is tests/test_tui_resume.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nianbao import questions as Q
from nianbao.store import DraftLock, load
from session_driver import STEPS

SRC = Path(__file__).resolve().parents[1] / "src"
DRIVER = Path(__file__).resolve().parent / "session_driver.py"

#: kill after the n-th accepted answer: 基本信息 1–9, 二 12–16, 三 17–21, 四 22–23
KILL_AFTER = (1, 3, 6, 11, 15, 19, 23, 27, 30, 32)


def _run(home: Path, first: int, stop_after: int, kill: bool) -> tuple[list[str], int]:
    """Run the driver; with ``kill``, SIGKILL it right after the ``stop_after``-th marker."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, str(DRIVER), str(home), str(first), str(stop_after)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    watchdog = threading.Timer(30, proc.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if kill and line.startswith(f"ACCEPTED {stop_after} "):
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=30)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = proc.stderr.read() if proc.stderr else ""  # type: ignore[union-attr]
    if kill:
        assert proc.returncode == -signal.SIGKILL, (lines, err[-2000:])
    else:
        assert proc.returncode == 0, (lines, err[-2000:])
    return lines, proc.returncode


def _holds(report, upto: int) -> None:
    """Every answer 1..upto is in ``report``; the next one is not."""
    for n, (op, qid, value) in enumerate(STEPS[:upto], 1):
        q = Q.by_id(report, qid)
        assert q is not None and q.answered(report), (n, qid)
        if op in ("answer", "choose"):
            want, err = Q.parse_answer(report, q, str(value))
            assert not err and Q.get_value(report, q.target) == want, (n, qid)
        elif op == "write" and value is not None:
            assert Q.get_value(report, q.target).strip() == str(value).strip(), (n, qid)
        elif op == "fill":
            for cid, text in dict(value).items():  # type: ignore[call-overload]
                assert report.cells[cid] == Q.parse_cell(report, cid, text)[0], (n, cid)
    if upto < len(STEPS):
        q = Q.by_id(report, STEPS[upto][1])
        assert q is not None and not q.answered(report), STEPS[upto]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_at_ten_points_loses_no_accepted_answer(tmp_path):
    home = tmp_path / "home"
    first = 1
    resume_at = ""
    for k in KILL_AFTER:
        lines, _ = _run(home, first, k, kill=True)
        if first > 1:
            assert lines[0] == f"RESUMED {resume_at} editable", (k, lines[:2])
        accepted = [x for x in lines if x.startswith("ACCEPTED ")]
        assert [int(x.split()[1]) for x in accepted] == list(range(first, k + 1)), lines
        step, qid = accepted[-1].split(" AT ")[1].split()
        files = list((home / "drafts").glob("*.json"))
        assert len(files) == 1, files
        report = load(files[0])
        _holds(report, k)
        # where a relaunch resumes: the question after the last accepted answer
        assert report.meta.session.step == step
        res = Q.resume_point(report)
        assert (res.step, res.question or "-") == (step, qid)
        # the killed process's lock is left behind: the next run must take it over silently
        lock = DraftLock(files[0])
        holder = json.loads(lock.path.read_text(encoding="utf-8"))
        assert holder["pid"] != os.getpid()
        resume_at = f"{step} {qid}"
        first = k + 1
    assert first == len(STEPS) + 1  # the last kill point is the last answer (四)
    lines, _ = _run(home, first, 0, kill=False)  # one more relaunch: resumes, then quits normally
    assert lines == [f"RESUMED {resume_at} editable"]
    files = list((home / "drafts").glob("*.json"))
    assert not DraftLock(files[0]).path.exists()  # released on a normal exit
    _holds(load(files[0]), len(STEPS))
