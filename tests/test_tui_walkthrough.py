"""The walk-through end to end (Pilot): two complete reports from nothing to export.

Helpers here are shared by the other ``test_tui_*`` files.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from nianbao.formats import OVERVIEW_THEMES
from nianbao.importer import import_text
from nianbao.session import cell_width
from nianbao.store import load
from nianbao.tui.app import NianbaoApp
from nianbao.tui.draft import DraftScreen
from nianbao.tui.widgets import GridView

from factories import t3, t4

# ---- helpers ------------------------------------------------------------------------------


def make_app(home: Path) -> NianbaoApp:
    return NianbaoApp(home, warm_segmenter=False, phrases=False)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def draft(app) -> DraftScreen:
    s = app.screen
    assert isinstance(s, DraftScreen), type(s)
    return s


async def answer(pilot, text: str) -> None:
    """Type into the current question's field and press Enter."""
    s = draft(pilot.app)
    inp = s.query_one("#answer")
    inp.value = text
    inp.focus()
    await pilot.press("enter")
    await settle(pilot)


async def choose(pilot, value: str) -> None:
    """Move the highlight to the option and press Enter."""
    s = draft(pilot.app)
    q = s.current()
    assert q is not None and q.type in ("yesno", "choice")
    ol = s.query_one("#choice")
    ol.focus()
    ol.highlighted = [v for v, _ in q.choices].index(value)
    await pilot.press("enter")
    await settle(pilot)


async def write(pilot, text: str | None = None) -> None:
    """Set the text area (None: keep the proposal) and confirm with Ctrl+S."""
    s = draft(pilot.app)
    ta = s.query_one("#text")
    if text is not None:
        ta.text = text
    ta.focus()
    await pilot.press("ctrl+s")
    await settle(pilot)


async def facts(pilot, values: dict[str, str] | None = None, notes: str = "") -> None:
    """Answer a facts question with the keyboard: type each given fact and press Enter to go
    to the next field; Enter on the notes line confirms."""
    from nianbao.tui.widgets import FactsField

    s = draft(pilot.app)
    w = s.query_one(FactsField)
    values = values or {}
    for i, f in enumerate(w.fields):
        assert s.focused is w.query_one(f"#fact-{i}"), (i, s.focused)
        if f.name in values:
            await pilot.press(*values[f.name])
        await pilot.press("enter")
    assert s.focused is w.query_one("#fact-notes")
    if notes:
        await pilot.press(*notes)
    await pilot.press("enter")
    await settle(pilot)


async def skip_basic_rest(pilot) -> None:
    """The optional questions at the end of 基本信息 (字数上限, 落款)."""
    for qid in ("overview_max_chars", "signoff.agency", "signoff.date"):
        assert at(pilot.app) == ("basic", qid)
        await answer(pilot, "")


async def fill(pilot, values: dict[str, str], complete: bool = True) -> None:
    """Type values into grid cells with the keyboard, then finish the table (Ctrl+S)."""
    s = draft(pilot.app)
    grid = s.query_one(GridView)
    for cid, text in values.items():
        assert grid.focus_cell(cid), cid
        await pilot.pause()
        await pilot.press(*text)
        assert not grid.state.error(cid), grid.state.error(cid)
    await settle(pilot)
    if complete:
        await pilot.press("ctrl+s")
        await settle(pilot)


def _cut(line: str, x0: int, x1: int) -> str:
    out, x = "", 0
    for ch in line:
        if x0 <= x < x1:
            out += ch
        x += cell_width(ch)
    return out


def painted(grid: GridView, cid: str, below: int = 0) -> str:
    """What the screen shows in a cell (``below``: the whole line that many lines under the
    cell's row, e.g. its error)."""
    body = grid.body
    r = body.cell_region(cid)
    y = r.y - body.content_region.y + below
    line = body.line_text(y)
    if below:
        return line.strip()
    x0 = r.x - body.content_region.x
    return _cut(line, x0, x0 + r.width).strip()


def at(app) -> tuple[str, str]:
    s = draft(app)
    return s.step, s.qid


async def new_report(pilot, name: str, kind: str, year: int) -> DraftScreen:
    await pilot.press("n")
    await settle(pilot)
    s = draft(pilot.app)
    assert at(pilot.app) == ("basic", "agency.name")
    await answer(pilot, name)
    await choose(pilot, kind)
    await answer(pilot, str(year))
    return s


async def skip_contacts(pilot, **given: str) -> None:
    for qid in ("contact.department", "contact.address", "contact.postcode", "contact.phone", "contact.email",
                "website"):
        assert at(pilot.app) == ("basic", qid)
        await answer(pilot, given.get(qid, ""))


def exported_cells(path: Path) -> dict[str, int | Decimal | None]:
    text = path.read_text(encoding="utf-8")
    return import_text(text, path.name).report.cells


async def export_txt(pilot, home: Path) -> Path:
    s = draft(pilot.app)
    await s.show("export")
    await settle(pilot)
    view = s.query_one("#exportview")
    path = view.export()
    await settle(pilot)
    assert path is not None, s.query_one("#export-msg").render()
    return Path(path)


# ---- the two acceptance drafts ------------------------------------------------------------------

async def test_township_no_applications_no_litigation(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某某镇人民政府", "乡镇街道", 2024)
        assert s.report.format_version == "2021"
        await skip_contacts(pilot, **{"contact.department": "镇党政办", "contact.phone": "0379-66001234"})
        await skip_basic_rest(pilot)
        assert at(app) == ("opening", "opening")
        opening = s.query_one("#text").text
        assert "2024年1月1日" in opening and "镇党政办" in opening
        await write(pilot)  # accept the proposed opening
        # 一: the facts of each area, then the text the assistant wrote from them
        assert at(app) == ("s1", "facts.lead")
        await facts(pilot)
        assert at(app) == ("s1", "facts.active")
        await facts(pilot, {"n_published": "86"}, notes="惠农补贴公示")
        for key in ("request", "management", "platform", "supervision"):
            assert at(app) == ("s1", f"facts.{key}")
            await facts(pilot)
        assert at(app) == ("s1", "overview")
        ta = s.query_one("#text")
        assert "86条" in ta.text and ta.text.count("（一）") == 1 and "（五）监督保障" in ta.text
        assert [p.title for p in s.report.narrative.overview if p.title] == list(OVERVIEW_THEMES)
        # F4 says the sentence under the cursor another way; Ctrl+Z takes it back
        first = next(p for p in s.report.narrative.pieces if p.field == "overview")
        row = ta.text[:ta.text.index(first.text)].count("\n")
        ta.move_cursor((row, 2))
        before = ta.text
        await pilot.press("f4")
        await settle(pilot)
        assert ta.text != before and first.text not in ta.text
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert ta.text == before
        assert "总体情况共" in str(s.query_one("#text-status").render())
        await write(pilot)  # confirm the text as written
        # 二: no new normative documents -> the flow columns are 0
        assert at(app) == ("s2", "s2.any")
        await choose(pilot, "no")
        assert s.report.cells["t2.a20_1.rules.issued"] == 0
        await fill(pilot, {"t2.a20_1.rules.valid": "0", "t2.a20_1.normative.valid": "4"})
        await fill(pilot, {"t2.a20_5.license.decisions": "0"})
        await fill(pilot, {"t2.a20_6.penalty.decisions": "2", "t2.a20_6.enforcement.decisions": "0"})
        await fill(pilot, {"t2.a20_8.fees.amount": "0"})
        # 三: no applications, nothing carried over -> every row of this year is 0
        assert at(app) == ("s3", "s3.any")
        await choose(pilot, "no")
        assert at(app) == ("s3", "t3.C")
        assert s.report.cells["t3.main.N.NP"] == 0
        assert s.report.cells["t3.main.R1.NP"] is None  # not yet: 上年结转 is still asked
        await fill(pilot, {})  # nothing carried over: the empty cells count as 0
        assert t3(s.report, "R7") == 0 and t3(s.report, "F") == 0 and t3(s.report, "C") == 0
        # 四: no litigation -> zeros
        assert at(app) == ("s4", "s4.any")
        await choose(pilot, "no")
        assert t4(s.report, "rv_total") == 0 and t4(s.report, "la_total") == 0
        # the composed 依申请公开 followed the tables (no applications), as it was not changed by hand
        request = next(p for p in s.report.narrative.overview if p.area == "request")
        assert "未收到" in request.text
        assert at(app) == ("s5", "facts.rectification")
        await facts(pilot)
        await facts(pilot)  # 薄弱环节: nothing to add, the assistant chooses from the tables
        assert at(app) == ("s5", "rectification")
        await write(pilot, "")
        assert at(app) == ("s5", "problems")
        assert not any(p.variant.startswith("problems.application") for p in s.report.narrative.pieces)
        await write(pilot)
        await write(pilot)
        assert at(app) == ("s6", "fees.charged")
        await choose(pilot, "no")
        assert at(app) == ("s6", "facts.other")
        await facts(pilot)
        assert at(app) == ("s6", "other")
        assert "信息处理费" in s.query_one("#text").text and "无其他需要报告" not in s.query_one("#text").text
        await write(pilot)
        assert at(app) == ("check", "")
        view = s.query_one("#checkview")
        assert view.counts[0] == 0 and view.counts[2] == 0, view.items
        out = await export_txt(pilot, tmp_path)
    assert out.parent == tmp_path / "exports" and out.suffix == ".txt"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("某某镇人民政府2024年政府信息公开工作年度报告")
    assert "（草稿）" not in text
    saved = load(next((tmp_path / "drafts").glob("*.json")))
    cells = exported_cells(out)
    for cid, v in saved.cells.items():
        assert cells.get(cid) == v, cid
    assert all(v == 0 for k, v in cells.items() if k.startswith(("t3.", "t4.")))
    assert cells["t2.a20_1.normative.valid"] == 4 and cells["t2.a20_6.penalty.decisions"] == 2


async def test_small_terminal_keeps_headers_errors_and_whole_values_in_view(tmp_path):
    """At 80×24 the preview folds away, table 三's grid fits the width, its column headers stay
    on screen over the last rows, and a cell's error is on the line under the cell."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        s = await new_report(pilot, "某街道办事处", "乡镇街道", 2023)
        assert s.has_class("narrow")
        assert not s.query_one("#preview").display or s.query_one("#preview").region.width == 0
        s.report.meta.answers = {"s3.any": "yes"}
        for c, v in (("NP", 5), ("BE", 2)):
            s.report.set(f"t3.main.N.{c}", v)
            s.report.set(f"t3.main.C.{c}", 0)
        await s.show("s3", "t3.outcomes")
        await settle(pilot)
        grid = s.query_one(GridView)
        assert max(grid.body.cell_region(c).right for c in grid.state.ids) <= 80
        convo = s.query_one("#convo")
        cid = "t3.main.R6_1.NP"  # near the bottom of the table
        grid.focus_cell(cid)
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        body = grid.body
        cell = body.cell_region(cid)
        assert app.focused is body and body.cid == cid
        for y in (body.content_region.y, cell.y, cell.y + 1):  # the headers, the cell, its error
            assert convo.region.contains_point((cell.x, y)) and body.content_region.contains_point((cell.x, y))
        assert body.line_text(0).split()[:2] == ["自然", "商业"]  # the headers on top
        assert "办理结果合计9件" in painted(grid, cid, below=1) and painted(grid, cid) == "9"
        # the full label of a shortened row is visible in the help line when the cell has focus
        assert s.report.spec.block("t3", "main").row("R6_1").label in str(s.query_one("#cellhelp").render())
        # a long value widens its column: every digit on screen
        await s.show("s2", "t2.a20_8")
        await settle(pilot)
        await pilot.press(*"4166.241619", "enter")
        await settle(pilot)
        grid = s.query_one(GridView)
        assert s.report.cells["t2.a20_8.fees.amount"] == Decimal("4166.241619")
        fee = grid.body.cell_region("t2.a20_8.fees.amount")
        assert fee.width >= len("4166.241619") + 1 and painted(grid, "t2.a20_8.fees.amount") == "4166.241619"
        assert fee.right <= 80
        await pilot.press("f3")
        await settle(pilot)
        assert s.query_one("#preview").region.width > 0
