"""What only the screen can show (Pilot): 检查 opens at the top and jumps to the sentence or
the paragraph, Enter and Ctrl+E export, the Esc at the first question, the help at 80×24, the steps list, a
wrapped paragraph, the start screen's list.  The rules behind them are tested headless
(tests/test_session*.py)."""

from __future__ import annotations

import shutil

from nianbao.model import Part
from nianbao.tui.app import HelpScreen, StartScreen
from test_tui_walkthrough import at, draft, make_app, new_report, settle, skip_basic_rest, skip_contacts


def _t3(report, **np: int) -> None:
    """Table 三 all zeros but these rows of the 自然人 column."""
    spec = report.spec
    for c in spec.cells:
        if c.table is spec.block_with("new")[0] and not c.computed:
            report.set(c.id, np.get(c.row.key, 0) if c.column.key == "NP" else 0)
    report.recompute()


def _visible_in(widget, container) -> bool:
    r = widget.region
    return r.height > 0 and container.region.contains_region(r)


async def test_check_opens_at_the_top_and_jumps_to_the_sentence_and_paragraph(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await new_report(pilot, "某县水利局", "政府部门", 2023)
        await skip_contacts(pilot)
        s.report.narrative.overview = [
            Part(text="2023年，本局推进政务公开。"),
            Part(title="依申请公开。", text="网站运行平稳，栏目更新及时。全年共收到政府信息公开申请5件，均已按时答复。"),
            Part(title="平台建设。", text="2019年共办理申请3件。")]
        _t3(s.report, N=3, C=0, R1=3, F=0)
        await s.show("s3", "t3.outcomes")
        await settle(pilot)
        s.query_one("#grid-done").focus()  # the bottom of a tall table
        await settle(pilot)
        convo = s.query_one("#convo")
        assert convo.scroll_y > 0
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert at(app) == ("check", "")
        assert convo.scroll_y == 0 and _visible_in(s.query_one("#check-head"), convo)
        ol = s.query_one("#findings")
        assert app.focused is ol and ol.highlighted == 0
        view = s.query_one("#checkview")
        oids = [i.oid for i in view.items]
        found = next(i for i in view.items if i.finding is not None and i.finding.rule == "YEAR-IN-TEXT")
        ol.highlighted = oids.index(found.oid)
        await pilot.press("enter")  # the paragraph
        await settle(pilot)
        assert at(app) == ("s1", "overview")
        ta = s.query_one("#text")
        assert app.focused is ta and ta.document.get_line(ta.cursor_location[0]).startswith("（二）平台建设")
        await pilot.press("ctrl+g")
        await settle(pilot)
        view = s.query_one("#checkview")
        table = next(i for i in view.items if i.finding is not None and i.finding.rule == "TEXT-TABLE")
        assert table.finding.cells
        await s.jump_to(table.finding)  # a sentence naming table figures: the text, not the table
        await settle(pilot)
        assert at(app) == ("s1", "overview")
        ta = s.query_one("#text")
        row, col = ta.cursor_location
        assert ta.document.get_line(row)[col:].startswith("全年共收到政府信息公开申请5件")


async def test_enter_on_a_format_and_ctrl_e_export(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert at(app) == ("export", "")
        s = draft(app)
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
        assert "（草稿）" in view.done.read_text(encoding="utf-8").splitlines()[0]
        first = view.done
        await pilot.press("ctrl+e")  # again: a new file, the first is never overwritten
        await settle(pilot)
        assert "不会覆盖" in str(view.query_one("#export-msg").render())
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert view.done != first and view.done.exists() and first.exists()
        view.query_one("#to-check").press()
        await settle(pilot)
        assert at(app) == ("check", "")


async def test_import_dialog_and_one_esc_at_the_first_question(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        texts = [str(w.render()) for w in app.screen.query(".qhelp")]
        assert not any(t.startswith("或者") for t in texts), texts
        await pilot.press("escape")
        await settle(pilot)
        s = await new_report(pilot, "某县财政局", "政府部门", 2023)
        await s.show("basic", "agency.name")
        await settle(pilot)
        await pilot.press("escape")  # F1 says so: Esc at the first question is the draft list
        await settle(pilot)
        assert isinstance(app.screen, StartScreen)
        table = app.screen.query_one("#drafts")
        assert table.row_count == 1 and "某县财政局" in str(table.get_row_at(0))


async def test_help_scrolls_at_80x24_and_f3_is_listed(tmp_path):
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
        _t3(s.report, N=2, C=0, R1=1, F=0)  # 2 + 0 ≠ 1 + 0
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
        await skip_basic_rest(pilot)
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


async def test_imported_reports_are_marked_on_the_start_screen(tmp_path):
    seed = tmp_path / "songxian.txt"
    shutil.copy(__import__("conftest").SEED, seed)
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        start = app.screen
        assert isinstance(start, StartScreen) and "Enter 打开" in str(start.query_one(".steptitle").render())
        app.import_to_check(seed)
        await settle(pilot)
        assert at(app) == ("check", "")
        await app.action_home()
        await settle(pilot)
        table = app.screen.query_one("#drafts")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        imported = next(r for r in rows if "嵩县" in r[0])
        assert imported[3] == "已导入" and "尚未完成" not in imported[4], imported
