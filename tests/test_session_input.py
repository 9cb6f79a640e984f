"""Bad input in every kind of field (headless, on the session the TUI renders): a Chinese
message naming the field, nothing stored, the saved draft's answers unchanged on disk."""

from __future__ import annotations

import pytest

from nianbao import questions as Q
from nianbao.session import DraftSession
from nianbao.store import load
from test_session import fill, started

from factories import t3


def _scalar_rejected(s: DraftSession, text: str, message: str) -> None:
    before = s.path.read_bytes()
    q = s.qid
    res = s.answer(text)
    assert not res.ok and message in res.error, (text, res.error)
    assert s.qid == q, "an invalid answer must not move on"
    assert s.path.read_bytes() == before


def _cell_rejected(s: DraftSession, cid: str, text: str, message: str) -> None:
    stored = s.report.cells.get(cid)
    on_disk = load(s.path).cells
    g = s.grid
    g.focus(cid)
    e = g.type(text)
    assert message in e.error and g.error(cid) == e.error, (text, e.error)
    assert g.enter().error  # Enter does not store it
    assert s.report.cells.get(cid) == stored
    assert not s.complete_grid().ok  # nor does finishing the table
    assert s.qid == g.question.id and load(s.path).cells == on_disk
    g.clear()  # for the next case


def test_basic_fields_reject_bad_input(tmp_path):
    s = DraftSession.new(tmp_path)
    s.go("basic")
    res = s.answer("   ")
    assert not res.ok and "机关名称不能为空" in res.error
    assert not list((tmp_path / "drafts").glob("*.json"))  # nothing saved
    assert s.answer("某县教育局").ok and s.answer("政府部门").ok
    _scalar_rejected(s, "二〇二四", "不是数字")
    _scalar_rejected(s, "2010", "2019年")
    _scalar_rejected(s, "2024.5", "不能有小数")
    assert s.answer("２０２４年").ok and s.report.year == 2024  # full-width digits and 年 are fine
    assert s.answer("局办公室").ok and s.answer("").ok
    _scalar_rejected(s, "47140", "6位数字")
    assert s.answer("４７１４００").ok and s.report.agency.contact.postcode == "471400"
    assert s.answer("").ok
    _scalar_rejected(s, "gk.example.gov.cn", "电子邮箱的格式不对")


def test_table_cells_reject_bad_input(tmp_path):
    s = started(tmp_path)
    s.go("s2", "t2.a20_1")
    cid = "t2.a20_1.normative.issued"
    _cell_rejected(s, cid, "abc", "不是数字")
    _cell_rejected(s, cid, "-1", "不能为负数")
    _cell_rejected(s, cid, "1.5", "不能有小数")
    _cell_rejected(s, cid, "1,23", "千位分隔符")
    _cell_rejected(s, cid, "9" * 20, "超出了合理范围")
    # a good value with full-width digits is accepted and shown normalised
    g = s.grid
    g.focus(cid)
    g.type("１２")
    assert not g.enter().error and s.report.cells[cid] == 12 and g.text[cid] == "12"
    assert load(s.path).cells[cid] == 12
    # money: 表二 第二十条第（八）项
    s.go("s2", "t2.a20_8")
    _cell_rejected(s, "t2.a20_8.fees.amount", "十二万", "不是数字")
    _cell_rejected(s, "t2.a20_8.fees.amount", "-3.5", "不能为负数")
    _cell_rejected(s, "t2.a20_8.fees.amount", "500元", "万元")


def test_impossible_carry_over_is_rejected(tmp_path):
    s = started(tmp_path)
    s.go("s3")
    assert s.answer(Q.YES).ok
    fill(s, {"t3.main.N.NP": "5"})
    fill(s, {"t3.main.C.NP": "1"})
    fill(s, {"t3.main.R1.NP": "4"})
    assert (s.step, s.qid) == ("s3", "t3.F")
    # 5 + 1 − 4 = 2 at most can be carried over
    _cell_rejected(s, "t3.main.F.NP", "3", "只剩2件")
    _cell_rejected(s, "t3.main.F.BE", "1", "只剩0件")
    fill(s, {"t3.main.F.NP": "2"})
    assert t3(s.report, "F") == 2 and (s.step, s.qid) == ("s4", "s4.any")


@pytest.mark.parametrize(("text", "message"), [("-3", "不能为负数"), ("2.5", "不能有小数"), ("三件", "不是数字"),
                                               ("9" * 12, "超出了合理范围")])
def test_fee_fields_reject_bad_input(tmp_path, text, message):
    s = started(tmp_path)
    s.go("s6")
    assert s.answer(Q.YES).ok and (s.step, s.qid) == ("s6", "fees.count")
    _scalar_rejected(s, text, message)
    assert s.answer("2").ok and (s.step, s.qid) == ("s6", "fees.amount")
    _scalar_rejected(s, "三百八十", "不是数字")
    _scalar_rejected(s, "-380", "不能为负数")
    assert s.answer("380元").ok and s.report.fees.amount_yuan == 380
    assert s.qid == "facts.other" and s.answer("").ok  # 六's facts: the assistant writes 六
    assert s.qid == "other" and "380元" in s.proposal_text(s.current())  # the 六 sentence from the answers


def test_signed_cell_and_required_text(tmp_path):
    """2019 format: 本年增/减 may be negative but not letters; 六 cannot be left empty."""
    s = started(tmp_path, year=2020)
    s.go("s2", "t2.a20_5")
    _cell_rejected(s, "t2.a20_5.license.delta", "减二", "不是数字")
    _cell_rejected(s, "t2.a20_5.license.delta", "-1.5", "不能有小数")
    fill(s, {"t2.a20_5.license.delta": "－3"}, complete=False)  # a full-width minus is fine
    assert s.report.cells["t2.a20_5.license.delta"] == -3
    s.go("s6", "other")
    _scalar_rejected(s, "   ", "不能为空")


def test_a_read_only_session_refuses_every_edit_and_saves_nothing(tmp_path):
    s = started(tmp_path)
    s.go("s3", "t3.N")
    fill(s, {"t3.main.N.NP": "5"}, complete=False)
    path = s.path
    s.release_lock()
    before = path.read_bytes()
    ro = DraftSession.load(path, tmp_path)
    ro.readonly = "这份草稿已在另一个窗口中打开"
    ro.resume()
    assert ro.step == "s3"
    ro.go("s3", "t3.N", "t3.main.N.NP")
    assert ro.grid is not None and ro.grid.cursor == "t3.main.N.NP"
    assert "只读" in ro.grid.type("9").error and ro.report.cells["t3.main.N.NP"] == 5
    assert "只读" in ro.grid.paste("1\t2").error and not ro.complete_grid().ok
    ro.go("basic", "contact.phone")
    assert "只读" in ro.answer("0379-11111111").error
    ro.go("s1", "overview")
    assert not ro.set_text("改过的文字") and not ro.save()
    assert path.read_bytes() == before and ro.lock is None
