"""Killing the assistant (SIGKILL) while typing down a column of table 三 loses no accepted
figure, and reopening the draft puts the cursor back on the cell touched last (issue 14:
not on the first empty cell, where the next values would go into the wrong column)."""

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
from nianbao.tui.widgets import GridBody, GridView
from test_tui_walkthrough import draft, make_app, painted, settle

from factories import t3

SRC = Path(__file__).resolve().parents[1] / "src"
TESTS = Path(__file__).resolve().parent

DRIVER = textwrap.dedent('''
    import asyncio, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_tui_walkthrough import choose, fill, make_app, new_report, settle, skip_contacts

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
            # typing down the 自然人 column with the keys (each valid figure is stored as typed)
            await fill(pilot, {{"t3.main.R2.BE": "1", "t3.main.R1.NP": "3"}}, complete=False)
            await pilot.press("down", "9")  # R2: more outcomes than applications: refused
            await pilot.press("backspace", "1")  # R2 = 1: 3 + 1 = 4 of 5
            await pilot.press("down", "down", "down", "7")  # R3_3: refused, never stored
            await settle(pilot)
            print("READY", flush=True)
            await asyncio.sleep(120)

    asyncio.run(main())
''')


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
async def test_sigkill_in_table_three_then_resume_on_the_last_cell(tmp_path):
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
    s_ = report.meta.session
    assert (s_.step, s_.question, s_.cell) == ("s3", "t3.outcomes", "t3.main.R3_3.NP")
    assert t3(report, "N", "NP") == 4 and t3(report, "N", "BE") == 1 and t3(report, "N") == 5
    assert t3(report, "C", "NP") == 1
    assert t3(report, "R1", "NP") == 3 and t3(report, "R2", "BE") == 1 and t3(report, "R2", "NP") == 1
    assert t3(report, "R3_3", "NP") is None  # typed, refused, never stored
    assert t3(report, "R1", "BE") is None  # unanswered stays distinct from 0
    # relaunch: the start screen lists the draft; opening it resumes on the cell touched last
    app = make_app(tmp_path / "home")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#drafts").row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        s = draft(app)
        assert (s.step, s.qid) == ("s3", "t3.outcomes")
        grid = s.query_one(GridView)
        assert isinstance(app.focused, GridBody) and app.focused.cid == "t3.main.R3_3.NP"
        assert [painted(grid, f"t3.main.{r}.NP") for r in ("R1", "R2", "R3_1", "R3_3")] == ["3", "1", "", ""]
        await pilot.press("1", "down", "2")  # on down the column, not into 商业企业
        await settle(pilot)
        assert t3(s.report, "R3_3", "NP") == 1 and t3(s.report, "R3_4", "NP") is None
        assert t3(s.report, "R1", "BE") is None
        assert grid.state.error("t3.main.R3_4.NP")  # 3 + 1 + 1 + 2 > 5: refused, shown on its row
        assert "办理结果合计7件" in painted(grid, "t3.main.R3_4.NP", below=1)
        await pilot.press("ctrl+q")
