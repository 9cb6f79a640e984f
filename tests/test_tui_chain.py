"""Three years through the TUI (issue 5): 2023 → “从上一年度的报告新建” 2024 → 2025.
上年结转 follows last year's 结转下年度继续办理 each time; a wrong carry-over is reported on
the 检查 step with both years' figures."""

from __future__ import annotations

from nianbao.store import DraftLock, load, save
from nianbao.tui.app import PathScreen, StartScreen
from test_tui_walkthrough import at, choose, draft, fill, make_app, settle

from factories import filled_2021, t3

COLS = ("NP", "BE", "RI", "SO", "LS", "OT", "TT")


async def _from_last(pilot, year: int):
    """Start screen → L → pick last year's draft from the list."""
    app = pilot.app
    assert isinstance(app.screen, StartScreen)
    await pilot.press("l")
    await settle(pilot)
    assert isinstance(app.screen, PathScreen)
    pick = app.screen.query_one("#draftpick")
    labels = [str(pick.get_option_at_index(i).prompt) for i in range(pick.option_count)]
    pick.highlighted = next(i for i, x in enumerate(labels) if f"{year}年度" in x)
    await pilot.press("enter")
    await settle(pilot)
    return draft(app)


async def test_three_year_chain(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    y23 = filled_2021(2023, "某县审计局")
    save(y23, drafts / "某县审计局-2023.json", backup=False)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # 2024 from 2023
        s = await _from_last(pilot, 2023)
        r24 = s.report
        assert r24.year == 2024 and s.path == drafts / "某县审计局-2024.json" and s.lock is not None
        for c in COLS:
            assert t3(r24, "C", c) == t3(y23, "F", c), c
        # fill 表三 through the app's own accept path
        await s.show("s3")
        await settle(pilot)
        await choose(pilot, "yes")
        assert at(app) == ("s3", "t3.N")  # 上年结转 is already answered (carried)
        await fill(pilot, {"t3.main.N.NP": "4", "t3.main.N.BE": "2"})
        assert at(app) == ("s3", "t3.outcomes")
        await fill(pilot, {"t3.main.R1.NP": "3", "t3.main.R1.BE": "2"})
        assert at(app) == ("s3", "t3.F")
        await fill(pilot, {})  # confirm the proposal 一 + 二 − （七）总计
        assert t3(r24, "F", "NP") == 2 and t3(r24, "F", "BE") == 1 and t3(r24, "F") == 3
        await pilot.press("ctrl+g")
        await settle(pilot)
        view = s.query_one("#checkview")
        assert not [f for _, _, f in view.items if not isinstance(f, str) and f.rule == "T3-CARRY"]
        await app.action_home()
        await settle(pilot)
        assert not DraftLock(drafts / "某县审计局-2024.json").path.exists()
        saved24 = load(drafts / "某县审计局-2024.json")
        assert t3(saved24, "F") == 3
        # 2025 from 2024
        s = await _from_last(pilot, 2024)
        r25 = s.report
        assert r25.year == 2025 and s.path == drafts / "某县审计局-2025.json"
        for c in COLS:
            assert t3(r25, "C", c) == t3(saved24, "F", c), c
        assert t3(r25, "C") == 3
        assert t3(load(drafts / "某县审计局-2025.json"), "C", "NP") == 2
        # a wrong carry-over: 5 instead of last year's 2
        await s.show("s3", "t3.C")
        await settle(pilot)
        await fill(pilot, {"t3.main.C.NP": "5"})
        assert t3(r25, "C", "NP") == 5
        await pilot.press("ctrl+g")
        await settle(pilot)
        view = s.query_one("#checkview")
        carry = [(oid, f) for oid, _, f in view.items if not isinstance(f, str) and f.rule == "T3-CARRY"]
        assert [f.cells for _, f in carry] == [("t3.main.C.NP",), ("t3.main.C.TT",)], [str(p) for _, p, _ in view.items]
        assert (carry[1][1].expected, carry[1][1].found) == ("3", "6")  # the 总计 column too
        oid, f = carry[0]
        assert f.severity == "error" and f.cells == ("t3.main.C.NP",)
        assert "2025年度" in f.message and "为5" in f.message and "2024年度" in f.message and "为2" in f.message
        assert (f.expected, f.found) == ("2", "5")
        shown = next(str(p) for o, p, _ in view.items if o == oid)
        assert "2025年度" in shown and "2024年度" in shown
        # choosing it goes to the cell
        ol = view.query_one("#findings")
        ol.highlighted = [o for o, _, _ in view.items].index(oid)
        ol.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert at(app) == ("s3", "t3.C") and app.focused.cid == "t3.main.C.NP"
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert not list(drafts.glob(".*.lock"))
