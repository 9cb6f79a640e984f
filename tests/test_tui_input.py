"""Bad input in every kind of field: a Chinese message under the field, and the saved draft
on disk stays exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.tui.widgets import CellInput, GridView, wid
from test_tui_walkthrough import answer, at, choose, draft, fill, make_app, new_report, settle, skip_contacts

from factories import t3


def _draft_file(home: Path) -> Path:
    files = list((home / "drafts").glob("*.json"))
    assert len(files) == 1, files
    return files[0]


async def _scalar_rejected(pilot, text: str, message: str) -> None:
    s = draft(pilot.app)
    path = _draft_file(s.home)
    before = path.read_bytes()
    q = s.qid
    await answer(pilot, text)
    assert s.qid == q, "an invalid answer must not move on"
    shown = str(s.query_one("#qerror").render())
    assert message in shown, shown
    assert path.read_bytes() == before


async def _cell_rejected(pilot, cid: str, text: str, message: str) -> None:
    s = draft(pilot.app)
    path = _draft_file(s.home)
    before = path.read_bytes()
    stored = s.report.cells.get(cid)
    grid = s.query_one(GridView)
    inp = grid.query_one(f"#{wid(cid)}", CellInput)
    inp.focus()
    inp.value = text
    await settle(pilot)
    shown = str(grid.query_one("#cellerror").render())
    assert message in shown, (text, shown)
    assert inp.has_class("-invalid-cell")
    await pilot.press("enter")  # Enter does not store it
    await settle(pilot)
    assert s.report.cells.get(cid) == stored
    grid.complete()  # nor does finishing the table
    await settle(pilot)
    assert s.qid == grid.question.id
    assert path.read_bytes() == before
    inp.value = ""  # clear it for the next case
    await settle(pilot)


async def test_basic_fields_reject_bad_input(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        s = draft(app)
        await answer(pilot, "   ")
        assert "机关名称不能为空" in str(s.query_one("#qerror").render())
        assert not list((tmp_path / "drafts").glob("*.json"))  # nothing saved
        await answer(pilot, "某县教育局")
        await choose(pilot, "政府部门")
        await _scalar_rejected(pilot, "二〇二四", "不是数字")
        await _scalar_rejected(pilot, "2010", "2019年")
        await _scalar_rejected(pilot, "2024.5", "不能有小数")
        await answer(pilot, "２０２４年")  # full-width digits and 年 are fine
        assert s.report.year == 2024
        await answer(pilot, "局办公室")
        await answer(pilot, "")
        await _scalar_rejected(pilot, "47140", "6位数字")
        await answer(pilot, "４７１４００")
        assert s.report.agency.contact.postcode == "471400"
        await answer(pilot, "")
        await _scalar_rejected(pilot, "gk.example.gov.cn", "电子邮箱的格式不对")


async def test_table_cells_reject_bad_input(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s2", "t2.a20_1")
        await settle(pilot)
        cid = "t2.a20_1.normative.issued"
        await _cell_rejected(pilot, cid, "abc", "不是数字")
        await _cell_rejected(pilot, cid, "-1", "不能为负数")
        await _cell_rejected(pilot, cid, "1.5", "不能有小数")
        await _cell_rejected(pilot, cid, "1,23", "千位分隔符")
        # a good value with full-width digits is accepted and shown normalised
        grid = s.query_one(GridView)
        inp = grid.query_one(f"#{wid(cid)}", CellInput)
        inp.value = "１２"
        inp.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert s.report.cells[cid] == 12 and inp.value == "12"
        # money: 表二 第二十条第（八）项
        await s.show("s2", "t2.a20_8")
        await settle(pilot)
        await _cell_rejected(pilot, "t2.a20_8.fees.amount", "十二万", "不是数字")
        await _cell_rejected(pilot, "t2.a20_8.fees.amount", "-3.5", "不能为负数")
        await _cell_rejected(pilot, "t2.a20_8.fees.amount", "500元", "万元")


async def test_impossible_carry_over_is_rejected(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s3")
        await settle(pilot)
        await choose(pilot, "yes")
        await fill(pilot, {"t3.main.N.NP": "5"})
        await fill(pilot, {"t3.main.C.NP": "1"})
        await fill(pilot, {"t3.main.R1.NP": "4"})
        assert at(app) == ("s3", "t3.F")
        # 5 + 1 − 4 = 2 at most can be carried over
        await _cell_rejected(pilot, "t3.main.F.NP", "3", "只剩2件")
        await _cell_rejected(pilot, "t3.main.F.BE", "1", "只剩0件")
        await fill(pilot, {"t3.main.F.NP": "2"})
        assert t3(s.report, "F") == 2 and at(app) == ("s4", "s4.any")


@pytest.mark.parametrize(("text", "message"), [("-3", "不能为负数"), ("2.5", "不能有小数"), ("三件", "不是数字")])
async def test_fee_fields_reject_bad_input(tmp_path, text, message):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2023)
        await skip_contacts(pilot)
        await s.show("s6")
        await settle(pilot)
        await choose(pilot, "yes")
        assert at(app) == ("s6", "fees.count")
        await _scalar_rejected(pilot, text, message)
        await answer(pilot, "2")
        assert at(app) == ("s6", "fees.amount")
        await _scalar_rejected(pilot, "三百八十", "不是数字")
        await _scalar_rejected(pilot, "-380", "不能为负数")
        await answer(pilot, "380元")
        assert s.report.fees.amount_yuan == 380
        assert "380元" in s.query_one("#text").text  # the 六 sentence is proposed from the answers


async def test_signed_cell_and_required_text(tmp_path):
    """2019 format: 本年增/减 may be negative but not letters; 六 cannot be left empty."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = await new_report(pilot, "某县教育局", "政府部门", 2020)
        await skip_contacts(pilot)
        await s.show("s2", "t2.a20_5")
        await settle(pilot)
        await _cell_rejected(pilot, "t2.a20_5.license.delta", "减二", "不是数字")
        await _cell_rejected(pilot, "t2.a20_5.license.delta", "-1.5", "不能有小数")
        await fill(pilot, {"t2.a20_5.license.delta": "－3"}, complete=False)  # a full-width minus is fine
        assert s.report.cells["t2.a20_5.license.delta"] == -3
        await s.show("s6", "other")
        await settle(pilot)
        path = _draft_file(tmp_path)
        before = path.read_bytes()
        s.query_one("#text").text = "   "
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert at(app) == ("s6", "other")
        assert "不能为空" in str(s.query_one("#qerror").render())
        assert path.read_bytes() == before
