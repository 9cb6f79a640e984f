"""Usability fixes found by driving the assistant in a terminal: nothing on screen is lost,
impossible outcome figures are refused, findings jump to the sentence, and the small
wording and navigation fixes."""

from __future__ import annotations

from pathlib import Path

from nianbao.store import load
from nianbao.tui.widgets import CellInput, GridView, wid
from test_tui_walkthrough import at, choose, draft, fill, make_app, new_report, settle, skip_contacts


def _saved(home: Path):
    files = list((home / "drafts").glob("*.json"))
    assert len(files) == 1, files
    return load(files[0])


async def _to_outcomes(pilot, s, n: str = "15", c: str = "2") -> None:
    await s.show("s3")
    await settle(pilot)
    await choose(pilot, "yes")
    await fill(pilot, {"t3.main.N.NP": n})
    await fill(pilot, {"t3.main.C.NP": c})
    assert at(pilot.app) == ("s3", "t3.outcomes")


async def test_typed_cell_is_kept_on_quit_and_saved_as_typed(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s2", "t2.a20_1")
        await settle(pilot)
        grid = s.query_one(GridView)
        inp = grid.query_one(f"#{wid('t2.a20_1.normative.issued')}", CellInput)
        inp.focus()
        await pilot.press("7")  # no Enter, no Tab
        await settle(pilot)
        # already on disk (a kill would lose nothing on screen)
        assert _saved(tmp_path).cells["t2.a20_1.normative.issued"] == 7
        await pilot.press("x")  # invalid: never saved
        await settle(pilot)
        assert _saved(tmp_path).cells["t2.a20_1.normative.issued"] == 7
        await pilot.press("backspace", "3")
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert _saved(tmp_path).cells["t2.a20_1.normative.issued"] == 73


async def test_outcomes_larger_than_applications_are_refused(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await _to_outcomes(pilot, s)
        grid = s.query_one(GridView)
        inp = grid.query_one(f"#{wid('t3.main.R1.NP')}", CellInput)
        inp.focus()
        await pilot.press("2", "0", "enter")
        await settle(pilot)
        msg = str(grid.query_one("#cellerror").render())
        assert "“自然人”列" in msg and "20件" in msg and "17件" in msg, msg
        assert s.report.cells["t3.main.R1.NP"] != 20
        assert _saved(tmp_path).cells["t3.main.R1.NP"] != 20
        grid.complete()
        await settle(pilot)
        assert at(app) == ("s3", "t3.outcomes")  # not finished with an impossible figure
        inp.value = "17"
        await settle(pilot)
        assert grid.commit(inp)
        assert s.report.cells["t3.main.R1.NP"] == 17


async def test_carry_over_error_says_how_to_fix_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await _to_outcomes(pilot, s, "3", "0")
        await fill(pilot, {"t3.main.R1.NP": "3"})
        s.report.cells["t3.main.R1.NP"] = 5  # an older draft: more outcomes than applications
        s.report.recompute()
        await s.show("s3", "t3.F")
        await settle(pilot)
        grid = s.query_one(GridView)
        grid.complete()  # confirm the proposed 0
        await settle(pilot)
        assert at(app) == ("s3", "t3.F")
        msg = str(grid.query_one("#cellerror").render())
        assert "办理结果" in msg and "Esc" in msg and "0件不可能" not in msg, msg


async def test_text_finding_jumps_to_the_sentence_not_the_table(tmp_path):
    from nianbao.model import Part

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县水利局", "政府部门", 2023)
        await skip_contacts(pilot)
        await _to_outcomes(pilot, s, "3", "0")
        await fill(pilot, {"t3.main.R1.NP": "3"})
        await fill(pilot, {})
        s.report.narrative.overview = [
            Part(text="2023年，本局推进政务公开。"),
            Part(title="依申请公开。", text="网站运行平稳，栏目更新及时。全年共收到政府信息公开申请5件，均已按时答复。")]
        await s.show("check")
        await settle(pilot)
        view = s.query_one("#checkview")
        found = [f for _, _, f in view.items if not isinstance(f, str) and f.rule == "TEXT-TABLE"]
        assert found and found[0].cells, [str(p) for _, p, _ in view.items]
        await s.jump_to(found[0])
        await settle(pilot)
        assert at(app) == ("s1", "overview")
        ta = s.query_one("#text")
        assert app.focused is ta
        row, col = ta.cursor_location
        assert ta.document.get_line(row)[col:].startswith("全年共收到政府信息公开申请5件")


def _visible_in(widget, container) -> bool:
    r = widget.region
    return r.height > 0 and container.region.contains_region(r)


async def test_check_opens_at_the_top_with_the_first_finding(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await _to_outcomes(pilot, s, "3", "0")
        grid = s.query_one(GridView)
        grid.query_one("#grid-done").focus()  # the bottom of a tall table
        await settle(pilot)
        convo = s.query_one("#convo")
        assert convo.scroll_y > 0
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert at(app) == ("check", "")
        assert convo.scroll_y == 0
        assert _visible_in(s.query_one("#check-head"), convo)
        ol = s.query_one("#findings")
        assert app.focused is ol and ol.highlighted == 0


async def test_enter_on_a_format_and_ctrl_e_export(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert at(app) == ("export", "")
        view = s.query_one("#exportview")
        assert app.focused is view.query_one("#formats")
        await pilot.press("enter")  # errors remain: refused, nothing written
        await settle(pilot)
        assert "不能导出正式稿" in str(view.query_one("#export-msg").render())
        assert not (tmp_path / "exports").exists() or not list((tmp_path / "exports").iterdir())
        view.query_one("#export-draft").value = True
        await pilot.press("enter")
        await settle(pilot)
        assert view.done is not None and view.done.exists()
        first = view.done
        await pilot.press("ctrl+e")  # again: a new file, the first is never overwritten
        await settle(pilot)
        assert "不会覆盖" in str(view.query_one("#export-msg").render())
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert view.done != first and view.done.exists() and first.exists()


async def test_phrase_slot_box_is_brought_into_view(tmp_path):
    from types import SimpleNamespace

    import pytest

    from nianbao.tui.app import NianbaoApp
    from nianbao.tui.phrasepanel import available

    if not available():
        pytest.skip("phrase bank not loadable")
    app = NianbaoApp(tmp_path, warm_segmenter=False, phrases=True)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s1")
        await settle(pilot)
        panel = s.query_one("#phrases")
        s.query_one("#text").focus()
        await settle(pilot)
        slot_missing = SimpleNamespace(name="who", label="单位名称", marker="{who}")
        panel.pending = SimpleNamespace(text="{who}高度重视政务公开工作。", missing=[slot_missing], id="", title="")
        panel.slot_values = {}
        panel._ask_slot()
        await settle(pilot)
        slot = panel.query_one("#pslot")
        assert app.focused is slot
        assert _visible_in(slot, s.query_one("#convo")), (slot.region, s.query_one("#convo").region, s.query_one("#convo").scroll_y, panel.region, s.query_one("#psugg").region)
        await pilot.press(*"县教育局", "enter")
        await settle(pilot)
        assert "县教育局高度重视政务公开工作。" in s.query_one("#text").text


async def test_palette_says_no_match_in_chinese(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_report(pilot, "某县财政局", "政府部门", 2023)
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


async def test_import_dialog_and_esc_at_first_question(tmp_path):
    from nianbao.tui.app import StartScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        texts = [str(w.render()) for w in app.screen.query(".qhelp")]
        assert not any(t.startswith("或者") for t in texts), texts
        await pilot.press("escape")
        await settle(pilot)
        await new_report(pilot, "某县财政局", "政府部门", 2023)
        s = draft(app)
        await s.show("basic", "agency.name")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "再按一次 Esc" in str(s.query_one("#qerror").render())
        assert draft(app) is s
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        assert "草稿列表" in __import__("nianbao.tui.app", fromlist=["HELP"]).HELP


async def test_township_wording_and_rules_prefilled(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某某镇人民政府", "乡镇街道", 2024)
        assert at(app) == ("basic", "contact.department")
        label = str(s.query(".qlabel").first().render())
        assert "党政办公室" in label and "局办公室" not in label, label
        await skip_contacts(pilot)
        assert at(app) == ("opening", "opening")
        label = str(s.query(".qlabel").first().render())
        assert "按惯例拟好" in label  # the proposal: no 上一年度 warning
        assert not s.query(".warn")
        await s.show("s2")
        await settle(pilot)
        label = str(s.query(".qlabel").first().render())
        rules = s.report.spec.block("t2", "a20_1").rows[0].label
        assert rules not in label.replace("行政规范性文件", ""), label
        await choose(pilot, "yes")
        assert s.report.cells["t2.a20_1.rules.issued"] == 0 and s.report.cells["t2.a20_1.rules.valid"] == 0
        assert s.report.cells["t2.a20_1.normative.issued"] is None
        assert any("设区的市" in n for n in s.notes)


async def test_several_phrases_inserted_cursor_after_them(tmp_path):
    import pytest

    from nianbao.tui.app import NianbaoApp
    from nianbao.tui.phrasepanel import available

    if not available():
        pytest.skip("phrase bank not loadable")
    app = NianbaoApp(tmp_path, warm_segmenter=False, phrases=True)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s1")
        await settle(pilot)
        panel = s.query_one("#phrases")
        assert "按 Enter 查找" in str(panel.query_one("#pstatus").render())  # a hint, not “没有找到”
        panel.query_one("#pquery").value = "网站 栏目"
        ol = panel.query_one("#psugg")
        for _ in range(60):
            await pilot.pause(0.1)
            if ol.option_count and panel.suggestions:
                break
        ta = s.query_one("#text")
        lengths = []
        for _ in range(2):
            idx = next(i for i, x in enumerate(panel.suggestions)
                       if not x.missing and x.id not in s.report.meta.phrases_used)
            ol.focus()
            ol.highlighted = idx
            await pilot.press("enter")
            await settle(pilot)
            lengths.append(len(ta.text))
            assert app.focused is ta and ta.cursor_location == ta.document.end
        assert lengths[1] > lengths[0] > 0
        assert len(s.report.meta.phrases_used) == 2


async def test_carry_over_is_proposed_again_when_outcomes_change(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await _to_outcomes(pilot, s, "5", "1")
        await fill(pilot, {"t3.main.R1.NP": "4"})
        await fill(pilot, {})  # confirm 结转 = 2
        assert s.report.cells["t3.main.F.NP"] == 2
        await s.show("s3", "t3.outcomes")
        await settle(pilot)
        await fill(pilot, {"t3.main.R1.NP": "5"})
        assert at(app) == ("s3", "t3.F")  # asked again
        grid = s.query_one(GridView)
        inp = grid.query_one(f"#{wid('t3.main.F.NP')}", CellInput)
        assert inp.value == "1" and inp.has_class("-proposed")
        assert s.report.cells["t3.main.F.NP"] is None
        assert any("重新算好" in n for n in s.notes)
        await fill(pilot, {"t3.main.F.NP": "0"})  # 5 + 1 ≠ 5 + 0: the T3-COL finding
        await pilot.press("ctrl+g")
        await settle(pilot)
        view = s.query_one("#checkview")
        col = next(f for _, _, f in view.items if not isinstance(f, str) and f.rule == "T3-COL")
        await s.jump_to(col)
        await settle(pilot)
        assert at(app) == ("s3", "t3.F")  # the table confirmed last
        assert isinstance(app.focused, CellInput) and app.focused.cid == "t3.main.F.NP"


async def test_finishing_a_fix_reached_from_check_returns_to_check(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        view = s.query_one("#checkview")
        oid = next(oid for oid, _, t in view.items if t == "s3|s3.any")
        ol = view.query_one("#findings")
        ol.highlighted = [o for o, _, _ in view.items].index(oid)
        ol.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert at(app) == ("s3", "s3.any")
        await pilot.press("enter")  # 是
        await settle(pilot)
        assert at(app) == ("check", "")
        # without 检查, answering goes on to the next question
        await s.show("s3", "s3.any")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert at(app) == ("s3", "t3.N")


async def test_opening_a_draft_does_not_touch_it_and_imports_are_marked(tmp_path):
    import os
    import shutil

    from nianbao.tui.app import StartScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_report(pilot, "某县教育局", "政府部门", 2023)
        await pilot.press("ctrl+q")
        await settle(pilot)
    path = next((tmp_path / "drafts").glob("*.json"))
    os.utime(path, (1_600_000_000, 1_600_000_000))
    before = path.read_bytes()
    seed = tmp_path / "songxian.txt"
    shutil.copy(__import__("conftest").SEED, seed)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        start = app.screen
        assert isinstance(start, StartScreen)
        assert "Enter 打开" in str(start.query_one(".steptitle").render())
        await pilot.press("enter")  # open the draft, look, go back
        await settle(pilot)
        draft(app)
        await app.action_home()
        await settle(pilot)
        assert path.read_bytes() == before and path.stat().st_mtime == 1_600_000_000
        app.import_to_check(seed)
        await settle(pilot)
        await app.action_home()
        await settle(pilot)
        table = app.screen.query_one("#drafts")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        imported = next(r for r in rows if "嵩县" in r[0])
        assert imported[3] == "已导入" and "尚未完成" not in imported[4], imported


async def test_help_scrolls_at_80x24_and_f3_is_listed(tmp_path):
    from nianbao.tui.app import HelpScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        hints = str(s.query_one("#keyhints").render())
        assert "F3" in hints and "预览" in hints and "F1" in hints
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        box = help_screen.query_one("#help")
        assert box.max_scroll_y > 0  # longer than the screen: it scrolls
        await pilot.press("end")
        await settle(pilot)
        assert box.scroll_y == box.max_scroll_y


async def test_steps_list_one_line_no_tick_beside_errors(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await _to_outcomes(pilot, s, "2", "0")
        await fill(pilot, {"t3.main.R1.NP": "1"})
        await fill(pilot, {"t3.main.F.NP": "0"})  # 2 + 0 ≠ 1 + 0
        await s.show("s4")
        await settle(pilot)
        steps = s.query_one("#steps")
        prompt = steps.get_option("s3").prompt
        text = str(getattr(prompt, "plain", prompt))
        assert "⚠" in text and "✓" not in text, text
        # each step on one line: the list is exactly as tall as the number of steps
        assert steps.virtual_size.height == steps.option_count, steps.virtual_size


async def test_wrapped_chinese_paragraph_loses_no_character(tmp_path):
    """Soft wrap of double-width characters: every character of a long paragraph appears in
    the rendered lines, at several widths (the wrap falls on different characters)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        s = await new_report(pilot, "某县中华人民共和国教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        ta = s.query_one("#text")
        ta.text = ("本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》"
                   "要求编制，统计期限自2023年1月1日起至2023年12月31日止，共7部分、12项。" * 3)
        ta.styles.height = 30
        for width in (80, 87, 100, 113):
            await pilot.resize_terminal(width, 60)
            await settle(pilot)
            lines = ["".join(seg.text for seg in ta.render_line(y)) for y in range(ta.size.height)]
            shown = "".join(line.rstrip() for line in lines).replace(" ", "")
            assert shown == ta.text.replace(" ", ""), (width, [x for x in lines if x.strip()])


async def test_no_leaves_the_cursor_on_a_cell_still_to_answer(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县教育局", "人民政府", 2023)
        await skip_contacts(pilot)
        await s.show("s2", "t2.a20_1")
        await settle(pilot)
        # the stock column was answered before; now the answer to the yes/no question is “否”
        await fill(pilot, {"t2.a20_1.rules.valid": "1", "t2.a20_1.normative.valid": "3"}, complete=False)
        await s.show("s2", "s2.any")
        await settle(pilot)
        await choose(pilot, "no")
        assert s.report.cells["t2.a20_1.rules.issued"] == 0
        await s.show("s2", "t2.a20_1")  # back to the table: not on the zeros the answer wrote
        await settle(pilot)
        assert isinstance(app.focused, CellInput) and app.focused.cid.endswith(".valid"), app.focused
