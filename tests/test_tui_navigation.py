"""Moving around with the real keys and the mouse (Pilot): Enter, arrows, Tab and Esc, the
steps, the command palette, 检查 → jump to the cell, help, quitting safely, new from last
year's report (the picker and the existing draft), importing a published report to check."""

from __future__ import annotations

import shutil

from textual.widgets import TextArea

from nianbao import questions as Q
from nianbao.store import load, save
from nianbao.tui.app import ChoiceScreen, HelpScreen, PathScreen
from nianbao.tui.widgets import GridBody, GridView
from test_tui_usability import _t3
from test_tui_walkthrough import at, draft, make_app, new_report, painted, settle, skip_contacts

from factories import filled_2021, t3


async def test_real_keys_through_basic_and_a_grid(tmp_path):
    """Typing with the keyboard: Enter accepts, arrows choose, Tab/Enter walk the grid."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"ABC", "enter")  # the agency name (IME text arrives as characters too)
        await settle(pilot)
        assert at(app) == ("basic", "agency.kind")
        await pilot.press("down", "enter")
        await settle(pilot)
        s = draft(app)
        assert s.report.agency.kind.value == "政府部门"
        await pilot.press("2", "0", "2", "3", "enter")
        await settle(pilot)
        assert s.report.year == 2023
        await pilot.press("escape")  # back to the year
        await settle(pilot)
        assert at(app) == ("basic", "year")
        await pilot.press("escape")
        await settle(pilot)
        assert at(app) == ("basic", "agency.kind")
        await pilot.press("f8")  # next step
        await settle(pilot)
        assert at(app)[0] == "opening"
        await s.show("s3")
        await settle(pilot)
        await pilot.press("enter")  # 是
        await settle(pilot)
        assert at(app) == ("s3", "t3.N")
        await pilot.press("3", "enter", "1", "tab", "2", "enter")
        await settle(pilot)
        assert t3(s.report, "N", "NP") == 3 and t3(s.report, "N", "BE") == 1 and t3(s.report, "N", "RI") == 2
        grid = s.query_one(GridView)
        assert painted(grid, "t3.main.N.TT") == "6"  # computed live
        await pilot.press("left", "9", "9")  # back on 科研机构: the first key replaces, the second appends
        await settle(pilot)
        assert t3(s.report, "N", "RI") == 99 and painted(grid, "t3.main.N.TT") == "103"
        await pilot.press("backspace", "backspace", "2")
        await pilot.press("ctrl+s")  # finish the table
        await settle(pilot)
        assert at(app) == ("s3", "t3.C")
        assert t3(s.report, "N") == 6 and t3(s.report, "N", "OT") == 0


async def test_palette_check_jump_and_help(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县财政局", "政府部门", 2023)
        await skip_contacts(pilot)
        # Ctrl+P “跳到…” a table cell
        await pilot.press("ctrl+p")
        await settle(pilot)
        palette = app.screen
        palette.query_one("CommandInput").value = "zzzqqq"
        shown = ""
        for _ in range(30):
            await pilot.pause(0.1)
            ol = palette.query_one("CommandList")
            shown = " ".join(str(getattr(o.prompt, "renderable", o.prompt)) for o in ol.options)
            if "没有找到" in shown or "No matches" in shown:
                break
        assert "没有找到" in shown and "No matches" not in shown, shown
        palette.query_one("CommandInput").value = "部分公开自然人"
        for _ in range(40):
            await pilot.pause(0.1)
            if palette.query("CommandList") and palette.query_one("CommandList").option_count:
                break
        await pilot.press("down", "enter")
        await settle(pilot)
        assert at(app) == ("s3", "t3.outcomes")
        assert isinstance(app.focused, GridBody) and app.focused.cid == "t3.main.R2.NP"
        # an inconsistent 表三 column: 检查 lists it and jumps to the cell
        s.report.meta.answers = {"s3.any": Q.YES}
        _t3(s.report, N=2, C=0, R1=1, F=0)  # 2 + 0 ≠ 1 + 0
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert at(app) == ("check", "")
        view = s.query_one("#checkview")
        ids = [i.oid for i in view.items if i.finding is not None and i.finding.rule == "T3-COL"]
        assert ids, [i.text for i in view.items]
        ol = view.query_one("#findings")
        ol.highlighted = [i.oid for i in view.items].index(ids[0])
        ol.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert at(app)[0] == "s3"
        assert isinstance(app.focused, GridBody) and app.focused.cid.startswith("t3.main.") and \
            app.focused.cid.endswith(".NP")
        assert "⚠" in str(s.query_one("#steps").get_option("s3").prompt)  # the steps list shows it
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is s


async def test_quit_keeps_typed_text_and_resumes(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县统计局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s1", "overview")
        await settle(pilot)
        s.query_one("#text").text = "（一）主动公开。全年公开信息50条。"
        await pilot.press("ctrl+c")  # quits safely, like Ctrl+Q
        await settle(pilot)
    saved = load(next((tmp_path / "drafts").glob("*.json")))
    assert saved.meta.session.step == "s1"
    assert saved.narrative.overview[0].text == "全年公开信息50条。"
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert at(app) == ("s1", "overview")
        assert "全年公开信息50条" in draft(app).query_one("#text").text


async def test_new_report_from_last_year(tmp_path):
    prev = filled_2021(2023, "某县市场监督管理局")
    prev_path = tmp_path / "prev.json"
    save(prev, prev_path, backup=False)
    app = make_app(tmp_path / "home")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one("#pathinput").value = str(prev_path)
        await pilot.press("enter")
        await settle(pilot)
        s = draft(app)
        r = s.report
        assert r.year == 2024 and r.agency.name == "某县市场监督管理局"
        assert t3(r, "C", "NP") == t3(prev, "F", "NP") and t3(r, "N", "NP") is None
        assert any("上一年度" in n or "带入" in n for n in s.notes)
        # last year's figure is shown beside the field (not as the default)
        await s.show("s2", "t2.a20_5")
        await settle(pilot)
        grid = s.query_one(GridView)
        assert painted(grid, "t2.a20_5.license.decisions") == ""
        assert "上年：245" in str(grid.query_one("#cellhelp").render())
        assert painted(grid, "t2.a20_5.license.decisions", below=1).split() == ["上年", "245"]  # reference line
        # 上年结转's reference line is last year's 结转下年度 (what it should equal)
        await s.show("s3", "t3.C")
        await settle(pilot)
        grid = s.query_one(GridView)
        assert painted(grid, "t3.main.C.NP", below=1).split()[:3] == ["上年结转下年度", "1", "1"]
        # last year's narrative is not copied (内容雷同): the overview is composed from this year's facts
        await s.show("s1", "overview")
        await settle(pilot)
        text = s.query_one(TextArea).text
        assert prev.narrative.overview[0].text[:30] not in text
        assert "2023年" not in text  # no stale year
        # written from this year's figures (the carried 上年结转 is stated), not empty
        assert "（二）依申请公开" in text and not list(s.query(".warn"))
        await app.action_home()
        await settle(pilot)
        # again from the same report: the draft of 2024 exists, it is offered (no second file)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, PathScreen)
        pick = app.screen.query_one("#draftpick")
        assert "2024年度" in str(pick.get_option_at_index(pick.highlighted).prompt)
        app.screen.query_one("#pathinput").value = str(prev_path)
        app.screen.query_one("#pathinput").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen) and "已经有一份" in str(app.screen.query_one("#choice-title").render())
        await pilot.press("enter")  # 打开已有的草稿
        await settle(pilot)
        assert draft(app).path.name == "某县市场监督管理局-2024.json"
    assert sorted(p.name for p in (tmp_path / "home" / "drafts").glob("*.json")) == ["某县市场监督管理局-2024.json"]


async def test_import_published_report_to_check(tmp_path):
    seed = tmp_path / "songxian.txt"
    shutil.copy(__import__("conftest").SEED, seed)
    app = make_app(tmp_path / "home")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#pathinput").value = str(seed)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "enter")  # 检查这份年报
        await settle(pilot)
        s = draft(app)
        assert at(app) == ("check", "")
        assert s.report.year == 2020 and "嵩县城市管理局" in s.report.agency.name
        view = s.query_one("#checkview")
        assert any(i.finding is not None and i.finding.rule == "T2a-PATTERN" for i in view.items)


async def test_mouse_steps_cells_and_history(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await pilot.click("#steps", offset=(3, 4))  # the fifth step: 三
        await settle(pilot)
        assert at(app) == ("s3", "s3.any")
        await s.show("s3", "t3.N")
        await settle(pilot)
        grid = s.query_one(GridView)
        r = grid.body.cell_region("t3.main.N.RI")
        b = grid.body.region
        await pilot.click("#gridbody", offset=(r.x - b.x + 1, r.y - b.y))
        await settle(pilot)
        assert isinstance(app.focused, GridBody) and app.focused.cid == "t3.main.N.RI"
        await pilot.click("HistoryItem")  # an earlier answer: go back to it
        await settle(pilot)
        assert at(app) == ("s3", "s3.any")
