"""Killing the assistant (SIGKILL) in the middle of table 三 loses no accepted answer, and
reopening the draft resumes there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nianbao.store import load
from nianbao.tui.widgets import CellInput, GridView, wid
from test_tui_walkthrough import draft, make_app, settle

from factories import t3

SRC = Path(__file__).resolve().parents[1] / "src"
TESTS = Path(__file__).resolve().parent

DRIVER = textwrap.dedent('''
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_tui_walkthrough import (answer, choose, fill, make_app, new_report, settle, skip_contacts, write)

    async def main():
        app = make_app(Path({home!r}))
        async with app.run_test(size=(100, 30)) as pilot:
            s = await new_report(pilot, "某县审计局", "政府部门", 2023)
            await skip_contacts(pilot)
            await s.show("s3")
            await settle(pilot)
            await choose(pilot, "yes")
            await fill(pilot, {{"t3.main.N.NP": "4", "t3.main.N.BE": "1"}})
            await fill(pilot, {{"t3.main.C.NP": "1"}})
            # in the outcome grid: two cells accepted (Enter), one typed but not yet accepted
            await fill(pilot, {{"t3.main.R1.NP": "3", "t3.main.R2.BE": "1"}}, complete=False)
            grid = s.query_one("#grid")
            grid.query_one("#c-t3--main--R4_1--NP").value = "9"
            await settle(pilot)
            print("READY", flush=True)
            await asyncio.sleep(120)

    asyncio.run(main())
''')


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
async def test_sigkill_in_table_three_then_resume(tmp_path):
    script = tmp_path / "driver.py"
    script.write_text(DRIVER.format(tests=str(TESTS), home=str(tmp_path / "home")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", env=env)
    try:
        deadline = time.monotonic() + 90
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if "READY" in line or not line:
                break
        assert "READY" in line, proc.stderr.read() if proc.poll() is not None else "timeout"  # type: ignore[union-attr]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    files = sorted((tmp_path / "home" / "drafts").glob("*.json"))
    assert [f.name for f in files] == ["某县审计局-2023.json"]
    report = load(files[0])
    assert report.meta.section == "s3" and report.meta.answers["_at"] == "t3.outcomes"
    assert t3(report, "N", "NP") == 4 and t3(report, "N", "BE") == 1 and t3(report, "N") == 5
    assert t3(report, "C", "NP") == 1
    assert t3(report, "R1", "NP") == 3 and t3(report, "R2", "BE") == 1
    assert t3(report, "R4_1", "NP") is None  # typed, never accepted
    assert t3(report, "R1", "BE") is None  # unanswered stays distinct from 0
    # relaunch: the start screen lists the draft; opening it resumes in table 三
    app = make_app(tmp_path / "home")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#drafts")
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        s = draft(app)
        assert (s.step, s.qid) == ("s3", "t3.outcomes")
        grid = s.query_one(GridView)
        assert grid.query_one(f"#{wid('t3.main.R1.NP')}", CellInput).value == "3"
        assert grid.query_one(f"#{wid('t3.main.R2.BE')}", CellInput).value == "1"
        assert grid.query_one(f"#{wid('t3.main.R4_1.NP')}", CellInput).value == ""
