"""Issue 7 in the TUI: the same draft open in two windows, damaged and newer-version
drafts, 内容雷同 on the 检查 step.  (A read-only session's refusals, the lock of a new
draft and the kind guessed from the name are tested headless, tests/test_session*.py.)"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from nianbao.crossyear import carry_forward
from nianbao.model import SCHEMA_VERSION, Part
from nianbao.store import DraftLock, dumps, load, recovered_path, save
from nianbao.tui.app import ChoiceScreen, StartScreen
from nianbao.tui.widgets import READONLY, GridView
from test_tui_walkthrough import answer, at, draft, make_app, painted, settle

from factories import filled_2021, t3

SRC = Path(__file__).resolve().parents[1] / "src"
HOLDER = """
import sys, time
from nianbao.store import DraftLock
lock = DraftLock(sys.argv[1])
print("LOCKED" if lock.acquire() else "BUSY", flush=True)
time.sleep(60)
"""


def _draft(home: Path, name: str = "某县审计局", year: int = 2023) -> Path:
    p = home / "drafts" / f"{name}-{year}.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    save(filled_2021(year, name), p, backup=False)
    return p


def _title(app) -> str:
    return str(app.screen.query_one("#choice-title").render())


def _options(app) -> list[str]:
    ol = app.screen.query_one("#choicepick")
    return [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]


# ---- two windows, one draft -------------------------------------------------------------------

async def test_draft_open_in_another_window_opens_read_only(tmp_path):
    path = _draft(tmp_path)
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True, env=env)
    lock_file = DraftLock(path).path
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "LOCKED"
        app = make_app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # open the draft
            await settle(pilot)
            assert isinstance(app.screen, ChoiceScreen)
            assert "另一个窗口" in _title(app) and str(holder.pid) in _title(app)
            assert _options(app) == ["只读打开", "取消"]
            await pilot.press("down", "enter")  # 取消
            await settle(pilot)
            assert isinstance(app.screen, StartScreen)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("enter")  # 只读打开
            await settle(pilot)
            s = draft(app)
            assert s.readonly and s.session.lock is None
            banner = s.query_one("#readonly-banner")
            assert banner.display and str(banner.render()).startswith("只读：")
            assert str(holder.pid) in str(banner.render())
            assert "只读" in str(s.query_one("#topbar").render())
            # a typed answer is refused with a message (the rules: test_session_input)
            await s.show("basic", "contact.phone")
            await settle(pilot)
            await answer(pilot, "0379-11111111")
            assert at(app) == ("basic", "contact.phone")
            assert READONLY in str(s.query_one("#qerror").render())
            # a table cell cannot be typed into: the message is on the cell's row
            await s.show("s3", "t3.N", "t3.main.N.NP")
            await settle(pilot)
            grid = s.query_one(GridView)
            assert app.focused is grid.body and grid.body.cid == "t3.main.N.NP"
            await pilot.press("9")
            await settle(pilot)
            assert READONLY[:20] in painted(grid, "t3.main.N.NP", below=1)
            assert painted(grid, "t3.main.N.NP") == "5" and t3(s.report, "N", "NP") == 5
            # the text cannot be edited
            await s.show("s1", "overview")
            await settle(pilot)
            assert s.query_one("#text").read_only
            await pilot.press("ctrl+q")
            await settle(pilot)
        assert path.read_bytes() == before  # nothing saved
        assert json.loads(lock_file.read_text(encoding="utf-8"))["pid"] == holder.pid  # the other lock is kept
    finally:
        holder.kill()
        holder.wait()
    # the other window is gone: its lock is taken over silently; released when the draft closes
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        s = draft(app)
        assert not s.readonly and s.session.lock is not None
        assert json.loads(lock_file.read_text(encoding="utf-8"))["pid"] == os.getpid()
        await app.action_home()
        await settle(pilot)
        assert isinstance(app.screen, StartScreen) and not lock_file.exists()
        await pilot.press("enter")
        await settle(pilot)
        assert draft(app).session.lock is not None and lock_file.exists()
        await pilot.press("ctrl+c")  # quits, releasing the lock
        await settle(pilot)
    assert not lock_file.exists()


# ---- damaged and newer drafts ---------------------------------------------------------------

async def test_damaged_draft_is_explained_and_recovered_from_its_backup(tmp_path):
    path = _draft(tmp_path)
    r = load(path)
    r.agency.contact.phone = "0379-12345678"
    save(r, path)  # keeps the previous good file as the backup
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # a truncated write
    damaged = path.read_bytes()
    bak = path.with_name(path.name + ".bak").read_bytes()
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#drafts")
        assert "无法读取" in str(table.get_row_at(0))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert "不是有效的 JSON" in _title(app) and path.name in _title(app)
        assert _options(app) == ["打开上一次自动保存的备份", "返回"]
        await pilot.press("enter")
        await settle(pilot)
        s = draft(app)
        assert s.path == path.with_name("某县审计局-2023-恢复.json")
        assert s.report.agency.contact.phone == "0379-66000000"  # the last good autosave
        assert any("备份" in n and path.name in n for n in s.notes)
        assert not s.readonly and s.session.lock is not None
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert path.read_bytes() == damaged  # the damaged file is left untouched
    assert path.with_name(path.name + ".bak").read_bytes() == bak
    assert recovered_path(path).name == "某县审计局-2023-恢复2.json"  # the next one would not overwrite it
    rec = load(path.with_name("某县审计局-2023-恢复.json"))
    assert rec.agency.name == "某县审计局" and t3(rec, "F") == 2


async def test_damaged_draft_without_backup_is_explained(tmp_path):
    path = tmp_path / "drafts" / "坏的.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"agency": {"name": "x"}, "cells": {"t3.main.N.NP": "many"')
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "没有找到可用的自动保存备份" in _title(app) and _options(app) == ["返回"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
    assert sorted(p.name for p in path.parent.iterdir()) == ["坏的.json"]


async def test_newer_version_draft_is_reported_never_overwritten(tmp_path):
    path = _draft(tmp_path)
    save(load(path), path)  # a good backup exists too: it is not offered for a newer file
    data = json.loads(dumps(load(path)))
    data["schema_version"] = SCHEMA_VERSION + 1
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = path.read_bytes()
    names = sorted(p.name for p in path.parent.iterdir())
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        assert "更新版本" in _title(app) and "文件未作任何改动" in _title(app)
        assert _options(app) == ["返回"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+q")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == names


# ---- 内容雷同 on the 检查 step ------------------------------------------------------------------

async def test_check_step_shows_the_copy_rate(tmp_path, monkeypatch):
    from nianbao import session as session_mod
    from nianbao.phrases.checks import previous_texts

    sim_mod = importlib.import_module("nianbao.phrases.similarity")
    prev = filled_2021(2023, "某县审计局")
    report, _ = carry_forward(prev, 2024)
    report.narrative.overview = [
        Part(text="2024年，本局围绕优化营商环境，新开设“政策直通车”专栏，逐条解读惠企政策。"),
        Part(title="主动公开情况。", text="全年共收到政府信息公开申请9件，上年结转1件，办结8件，结转下年度2件。"),
    ]
    path = tmp_path / "drafts" / "某县审计局-2024.json"
    save(report, path, backup=False)
    mine = [(p, t) for p, t in report.narrative.texts() if p != "开头语"]
    want = sim_mod.similarity(mine, previous_texts(report))
    assert 0 < want.percent < 100
    # hold the computation until the step is on screen (the segmenter may already be loaded)
    gate = threading.Event()
    real = sim_mod.similarity

    def slow(*a, **kw):
        gate.wait(10)
        return real(*a, **kw)

    monkeypatch.setattr(sim_mod, "similarity", slow)
    monkeypatch.setattr(session_mod, "segmenter_ready", lambda: False)  # as right after start
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        s = draft(app)
        await pilot.press("ctrl+g")
        await pilot.pause()  # not settle(): that waits for the (held) worker
        await pilot.pause()
        view = s.query_one("#checkview")
        line = view.query_one("#copy-rate")
        assert "计算中" in str(line.render())  # the UI is not blocked meanwhile
        assert not any(i.finding is not None and i.finding.rule == "COPY-RATE" for i in view.items)
        gate.set()
        await app.workers.wait_for_complete()
        await settle(pilot)
        shown = str(line.render())
        assert shown == f"与上一年度报告文字重复 {want.percent:.0f}%（主要在{want.worst_place}）", shown
        copy = [i.finding for i in view.items if i.finding is not None and i.finding.rule == "COPY-RATE"]
        assert len(copy) == 1 and f"{want.percent:.0f}%" in copy[0].message
        assert view.query_one("#findings").option_count == len(view.items)
        # a draft not made from last year's report has no such line
        await app.action_home()
        await settle(pilot)
    other = _draft(tmp_path / "h2")
    app = make_app(other.parents[1])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert not draft(app).query("#copy-rate")
