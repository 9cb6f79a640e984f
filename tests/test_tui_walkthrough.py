"""The walk-through end to end (Pilot): two complete reports from nothing to export.

Helpers here are shared by the other ``test_tui_*`` files.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.importer import import_text
from nianbao.store import load
from nianbao.tui.app import NianbaoApp
from nianbao.tui.draft import DraftScreen
from nianbao.tui.widgets import CellInput, GridView, wid

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
    s = draft(pilot.app)
    assert s.current() is not None and s.current().type in ("yesno", "choice")
    await s.accept(value)
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


async def fill(pilot, values: dict[str, str], complete: bool = True) -> None:
    """Type values into grid cells (each committed as with Enter), then finish the table."""
    s = draft(pilot.app)
    grid = s.query_one(GridView)
    for cid, text in values.items():
        inp = grid.query_one(f"#{wid(cid)}", CellInput)
        inp.value = text
        assert grid.commit(inp), grid.errors.get(cid)
    await settle(pilot)
    if complete:
        grid.complete()
        await settle(pilot)


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
        assert at(app) == ("opening", "opening")
        opening = s.query_one("#text").text
        assert "2024年1月1日" in opening and "镇党政办" in opening
        await write(pilot)  # accept the proposed opening
        assert at(app) == ("s1", "overview")
        await write(pilot, "（一）主动公开情况。\n全年通过镇政府网站主动公开政府信息86条。\n（二）平台建设。\n及时更新信息公开专栏。")
        assert [p.title for p in s.report.narrative.overview] == ["主动公开情况。", "平台建设。"]
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
        assert at(app) == ("s5", "rectification")
        await write(pilot, "")
        await write(pilot, "（一）公开内容不够全面。部分栏目更新不及时。")
        await write(pilot, "（一）加强栏目维护。明确专人负责，做到及时更新。")
        assert at(app) == ("s6", "fees.charged")
        await choose(pilot, "no")
        assert at(app) == ("s6", "other")
        assert "未收取信息处理费" in s.query_one("#text").text
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


async def test_department_with_applications_carryover_review_and_suits(tmp_path):
    """A 2020 (2019-format) department: 采购 is asked, （六）其他处理 is one row."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县自然资源局", "政府部门", 2020)
        assert s.report.format_version == "2019"
        await skip_contacts(pilot, **{"contact.email": "gk@example.gov.cn", "contact.postcode": "471400"})
        await write(pilot)
        await write(pilot, "2020年，本局认真落实政府信息公开工作要求。\n（一）主动公开。全年主动公开各类信息210条。")
        assert s.report.narrative.overview[1].inline is True
        await choose(pilot, "yes")
        assert at(app) == ("s2", "t2.a20_1")
        await fill(pilot, {"t2.a20_1.rules.made": "0", "t2.a20_1.rules.published": "0", "t2.a20_1.rules.total": "0",
                           "t2.a20_1.normative.made": "2", "t2.a20_1.normative.published": "2",
                           "t2.a20_1.normative.total": "11"})
        await fill(pilot, {"t2.a20_5.license.prev": "35", "t2.a20_5.license.delta": "-2",
                           "t2.a20_5.license.decisions": "1,204"})
        await fill(pilot, {"t2.a20_6.penalty.prev": "12", "t2.a20_6.penalty.delta": "0",
                           "t2.a20_6.penalty.decisions": "９"})
        await fill(pilot, {"t2.a20_8.fees.prev": "3", "t2.a20_8.fees.delta": "0"})
        assert at(app) == ("s2", "t2.a20_9")  # 采购 is asked for a 2019-format year
        await fill(pilot, {"t2.a20_9.procurement.count": "6", "t2.a20_9.procurement.amount": "1665.6119"})
        assert s.report.cells["t2.a20_5.license.decisions"] == 1204
        assert s.report.cells["t2.a20_5.license.delta"] == -2
        assert s.report.cells["t2.a20_6.penalty.decisions"] == 9
        assert s.report.cells["t2.a20_9.procurement.amount"] == Decimal("1665.6119")
        # 三
        assert at(app) == ("s3", "s3.any")
        await choose(pilot, "yes")
        await fill(pilot, {"t3.main.N.NP": "12", "t3.main.N.BE": "3", "t3.main.N.LS": "1"})
        assert t3(s.report, "N") == 16
        await fill(pilot, {"t3.main.C.NP": "2"})
        assert at(app) == ("s3", "t3.outcomes")
        grid = s.query_one(GridView)
        assert "t3.main.R6.NP" in grid.spec.all_ids()  # （六）其他处理 is one row in 2019
        await fill(pilot, {"t3.main.R1.NP": "6", "t3.main.R2.NP": "2", "t3.main.R3_4.BE": "1",
                           "t3.main.R4_1.NP": "3", "t3.main.R4_1.BE": "1", "t3.main.R5_2.NP": "1",
                           "t3.main.R6.LS": "1"})
        assert t3(s.report, "R7", "NP") == 12 and t3(s.report, "R7") == 15
        assert at(app) == ("s3", "t3.F")
        grid = s.query_one(GridView)
        proposed = grid.query_one(f"#{wid('t3.main.F.NP')}", CellInput)
        assert proposed.value == "2" and proposed.has_class("-proposed")  # 12 + 2 − 12
        assert s.report.cells["t3.main.F.NP"] is None  # proposed, not yet confirmed
        await fill(pilot, {})  # confirm the proposal
        assert t3(s.report, "F", "NP") == 2 and t3(s.report, "F", "BE") == 1 and t3(s.report, "F") == 3
        # 四
        assert at(app) == ("s4", "s4.any")
        await choose(pilot, "yes")
        await fill(pilot, {"t4.main.all.rv_upheld": "1", "t4.main.all.rv_corrected": "1",
                           "t4.main.all.ld_upheld": "1", "t4.main.all.ld_pending": "1", "t4.main.all.la_other": "1"})
        assert t4(s.report, "rv_total") == 2 and t4(s.report, "ld_total") == 2 and t4(s.report, "la_total") == 1
        assert at(app) == ("s5", "rectification")
        await write(pilot, "上年度报告中提出的栏目更新不及时问题已整改。")
        await write(pilot, "（一）政策解读形式单一。")
        await write(pilot, "（一）丰富解读形式。推出图解、视频等解读产品。")
        assert at(app) == ("s6", "other")  # 2019 format: no 信息处理费 question
        await write(pilot, "无。")
        assert at(app) == ("check", "")
        view = s.query_one("#checkview")
        assert view.counts[0] == 0 and view.counts[2] == 0, [str(p) for _, p, _ in view.items]
        out = await export_txt(pilot, tmp_path)
    saved = load(next((tmp_path / "drafts").glob("*.json")))
    assert saved.meta.section == "export"
    cells = exported_cells(out)
    for cid, v in saved.cells.items():
        assert cells.get(cid) == v, cid
    assert cells["t3.main.R1.NP"] == 6 and cells["t3.main.F.TT"] == 3 and cells["t4.main.all.ld_total"] == 2
    assert cells["t2.a20_9.procurement.amount"] == Decimal("1665.6119")


@pytest.mark.parametrize("size", [(80, 24)])
async def test_small_terminal_grid_fits(tmp_path, size):
    """At 80×24 the preview folds away and table 三's grid fits the width."""
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        s = await new_report(pilot, "某街道办事处", "乡镇街道", 2023)
        assert s.has_class("narrow")
        assert not s.query_one("#preview").display or s.query_one("#preview").region.width == 0
        await s.show("s3", "t3.outcomes")
        await settle(pilot)
        grid = s.query_one(GridView)
        right = max(c.region.right for c in grid.query(CellInput))
        assert right <= size[0]
        # the full label of a shortened row is visible in the help line when the cell has focus
        inp = grid.query_one(f"#{wid('t3.main.R6_1.NP')}", CellInput)
        inp.focus()
        await settle(pilot)
        help_text = str(s.query_one("#cellhelp").render())
        assert s.report.spec.block("t3", "main").row("R6_1").label in help_text
        await pilot.press("f3")
        await settle(pilot)
        assert s.query_one("#preview").region.width > 0
