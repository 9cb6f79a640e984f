"""Pasting a block copied from Excel/WPS/a web table into table 三 (Pilot, as the terminal
delivers a bracketed paste): a 3×7 block fills 21 cells from the cursor, right then down; a
ragged block is refused with the reason on the cursor's row, and nothing changes."""

from __future__ import annotations

from textual import events

from nianbao import questions as Q
from nianbao.formats import cell_id
from nianbao.model import AgencyKind, new_report
from nianbao.store import load, save
from nianbao.tui.widgets import GridView
from test_tui_walkthrough import draft, make_app, painted, settle

from factories import t3

BLOCK = "3\t1\t0\t0\t0\t0\t4\r\n2\t0\t0\t1\t0\t0\t3\r\n1\t1\t0\t0\t0\t0\t2\r\n"  # as Excel copies it
ROWS = ("R1", "R2", "R3_1")
COLS = ("NP", "BE", "RI", "SO", "LS", "OT", "TT")


def _draft(home) -> None:
    """A draft at table 三's outcomes: 6 + 2 + 1 new applications, none carried over."""
    r = new_report(2023, "某县教育局", AgencyKind.DEPARTMENT)
    r.meta.answers = {"s3.any": Q.YES}
    t, b = r.spec.block_with("new")
    for row in (b.role_row("new"), b.role_row("carried")):
        for c in b.data_columns:
            r.set(cell_id(t.key, b.key, row.key, c.key), {"NP": 6, "BE": 2, "SO": 1}.get(c.key, 0)
                  if row.role == "new" else 0)
    for qid in ("t3.N", "t3.C"):
        Q.mark_done(r, Q.by_id(r, qid))
    r.recompute()
    r.meta.session.step, r.meta.session.question = "s3", "t3.outcomes"
    save(r, home / "drafts" / "某县教育局-2023.json", backup=False)


async def test_paste_a_block_into_table_three(tmp_path):
    _draft(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        s = draft(app)
        assert s.qid == "t3.outcomes"
        grid = s.query_one(GridView)
        assert grid.focus_cell("t3.main.R1.NP")
        await settle(pilot)
        # a ragged block (a web table with a short row): refused, the reason under the row
        before = (dict(s.report.cells), s.path.read_bytes())
        app.post_message(events.Paste("3\t1\t0\t0\t0\t0\t4\n2\t0\t0\n"))
        await settle(pilot)
        shown = painted(grid, "t3.main.R1.NP", below=1) + painted(grid, "t3.main.R1.NP", below=2)
        assert "各行的格数不一样" in shown and "未作任何改动" in shown, shown
        assert (dict(s.report.cells), s.path.read_bytes()) == before
        # the 3×7 block: 18 typed-in cells and the 3 总计 that check them, 21 in all
        app.post_message(events.Paste(BLOCK))
        await settle(pilot)
        want = [[3, 1, 0, 0, 0, 0, 4], [2, 0, 0, 1, 0, 0, 3], [1, 1, 0, 0, 0, 0, 2]]
        shown_cells = [[grid.state.shown(f"t3.main.{r}.{c}") for c in COLS] for r in ROWS]
        assert shown_cells == [[str(v) for v in row] for row in want]
        assert [[painted(grid, f"t3.main.{r}.{c}") for c in COLS] for r in ROWS] == shown_cells  # painted
        assert not grid.state.error() and painted(grid, "t3.main.R2.NP") == "2"  # no error line now
        saved = load(draft(app).path)
        assert [[t3(saved, r, c) for c in COLS] for r in ROWS] == want
        assert t3(saved, "R3_2", "NP") is None  # below the block: untouched
        await pilot.press("ctrl+s")  # the table is finished as usual
        await settle(pilot)
        assert s.qid == "t3.F" and t3(s.report, "R7") == 9
