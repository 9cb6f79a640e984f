"""Usability fixes found by driving the assistant in a terminal, checked on the headless
session: nothing typed is lost, impossible outcome figures are refused, the wording follows
the agency, 结转 is proposed again when the figures change, a fix reached from 检查 returns
there, opening a draft does not write it, the kind of agency is guessed from its name."""

from __future__ import annotations

import os

from nianbao import questions as Q
from nianbao.checks import check
from nianbao.session import DraftSession
from nianbao.store import DraftLock, load
from test_session import fill, on_disk, started, to_outcomes

from factories import filled_2021


def test_typed_cell_is_saved_as_typed(tmp_path):
    s = started(tmp_path)
    s.go("s2", "t2.a20_1")
    g = s.grid
    g.focus("t2.a20_1.normative.issued")
    g.type("7")  # no Enter, no Tab: already on disk (a kill would lose nothing on screen)
    assert on_disk(s).cells["t2.a20_1.normative.issued"] == 7
    assert g.type("x").error  # invalid: never saved
    assert on_disk(s).cells["t2.a20_1.normative.issued"] == 7
    g.backspace()
    g.type("3")
    assert on_disk(s).cells["t2.a20_1.normative.issued"] == 73


def test_outcomes_larger_than_applications_are_refused(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "15"}, {"t3.main.C.NP": "2"})
    g = s.grid
    g.focus("t3.main.R1.NP")
    e = g.type("20")
    assert "“自然人”列" in e.error and "20件" in e.error and "17件" in e.error, e.error
    assert s.report.cells["t3.main.R1.NP"] != 20 and on_disk(s).cells["t3.main.R1.NP"] != 20
    assert not s.complete_grid().ok and s.qid == "t3.outcomes"  # not finished with an impossible figure
    g.focus("t3.main.R1.NP")
    assert not g.type("17").error and s.report.cells["t3.main.R1.NP"] == 17


def test_carry_over_error_says_how_to_fix_it(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "3"}, {"t3.main.C.NP": "0"})
    fill(s, {"t3.main.R1.NP": "3"})
    s.report.cells["t3.main.R1.NP"] = 5  # an older draft: more outcomes than applications
    s.report.recompute()
    s.go("s3", "t3.F")
    res = s.complete_grid()  # confirm the proposed 0
    assert not res.ok and s.qid == "t3.F"
    assert "办理结果" in res.error and "Esc" in res.error and "0件不可能" not in res.error, res.error


def test_township_wording_and_rules_prefilled(tmp_path):
    s = started(tmp_path, "某某镇人民政府", "乡镇街道", 2024)
    assert s.qid == "contact.department"
    label = Q.shown_label(s.report, s.current())
    assert "党政办公室" in label and "局办公室" not in label, label
    s.go("opening")
    q = s.current()
    assert "按惯例拟好" in Q.shown_label(s.report, q) and not Q.last_year_text(s.report, q)
    s.go("s2")
    rules = s.report.spec.block("t2", "a20_1").rows[0].label
    assert rules not in Q.shown_label(s.report, s.current()).replace("行政规范性文件", "")
    assert s.answer(Q.YES).ok
    assert s.report.cells["t2.a20_1.rules.issued"] == 0 and s.report.cells["t2.a20_1.rules.valid"] == 0
    assert s.report.cells["t2.a20_1.normative.issued"] is None
    assert any("设区的市" in n for n in s.notes)


def test_carry_over_is_proposed_again_when_outcomes_change(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "5"}, {"t3.main.C.NP": "1"})
    fill(s, {"t3.main.R1.NP": "4"})
    fill(s, {})  # confirm 结转 = 2
    assert s.report.cells["t3.main.F.NP"] == 2
    s.go("s3", "t3.outcomes")
    fill(s, {"t3.main.R1.NP": "5"})
    assert (s.step, s.qid) == ("s3", "t3.F")  # asked again
    g = s.grid
    assert g.text["t3.main.F.NP"] == "1" and "t3.main.F.NP" in g.proposed
    assert s.report.cells["t3.main.F.NP"] is None
    assert any("重新算好" in n for n in s.notes)
    fill(s, {"t3.main.F.NP": "0"})  # 5 + 1 ≠ 5 + 0: the T3-COL finding
    col = next(f for f in check(s.report) if f.rule == "T3-COL")
    q, cid = s.jump_to_finding(col)
    assert (s.step, s.qid) == ("s3", "t3.F") and q.id == "t3.F"  # the table confirmed last
    assert s.grid.cursor == "t3.main.F.NP" == cid


def test_finishing_a_fix_reached_from_check_returns_to_check(tmp_path):
    s = started(tmp_path)
    s.go("check")
    s.go("s3", "s3.any", from_check=True)
    assert s.answer(Q.YES).ok and (s.step, s.qid) == ("check", "")
    s.go("s3", "s3.any")  # without 检查, answering goes on to the next question
    assert s.answer(Q.YES).ok and (s.step, s.qid) == ("s3", "t3.N")


def test_opening_a_draft_does_not_touch_it(tmp_path):
    s = started(tmp_path)
    path = s.path
    s.release_lock()
    os.utime(path, (1_600_000_000, 1_600_000_000))
    before = path.read_bytes()
    again = DraftSession.load(path, tmp_path)
    assert again.take_lock()
    again.resume()
    again.go("s2", save=False)
    again.release_lock()
    assert path.read_bytes() == before and path.stat().st_mtime == 1_600_000_000


def test_no_leaves_the_cursor_on_a_cell_still_to_answer(tmp_path):
    s = started(tmp_path, kind="人民政府")
    s.go("s2", "t2.a20_1")
    # the stock column was answered before; now the answer to the yes/no question is “否”
    fill(s, {"t2.a20_1.rules.valid": "1", "t2.a20_1.normative.valid": "3"}, complete=False)
    s.go("s2", "s2.any")
    assert s.answer(Q.NO).ok
    assert s.report.cells["t2.a20_1.rules.issued"] == 0
    s.go("s2", "t2.a20_1")  # back to the table: not on the zeros the answer wrote
    assert s.grid.cursor.endswith(".valid"), s.grid.cursor


def test_kind_is_preselected_from_the_name(tmp_path):
    s = DraftSession.new(tmp_path)
    s.go("basic")
    for name, kind in (("某某镇人民政府", "乡镇街道"), ("某某街道办事处", "乡镇街道"), ("某县人民政府", "人民政府"),
                       ("某县财政局", "政府部门"), ("某县发展和改革委员会", "政府部门"), ("ABC", None)):
        s.report.agency.kind = None
        s.go("basic", "agency.name")
        assert s.answer(name).ok and s.qid == "agency.kind"
        picked, note = s.choice(s.current())
        assert picked == kind, name
        assert (kind in note) if kind else note == ""
    s.report.agency.kind = None
    s.go("basic", "agency.name")
    s.answer("某某镇人民政府")
    assert s.answer(s.choice(s.current())[0]).ok  # the user still confirms (or changes) it
    assert s.report.agency.kind.value == "乡镇街道" and s.qid == "year"


def test_new_draft_is_locked_and_the_lock_follows_the_name(tmp_path):
    s = DraftSession.new(tmp_path)
    s.go("basic")
    assert s.answer("某县审计局").ok
    first = s.path
    assert first is not None and s.lock is not None and DraftLock(first).path.exists()
    assert s.answer("政府部门").ok and s.answer("2023").ok
    assert s.path.name == "某县审计局-2023.json" and s.lock is not None
    assert DraftLock(s.path).path.exists() and not DraftLock(first).path.exists()
    s.release_lock()
    assert not list((tmp_path / "drafts").glob(".*.lock"))


def test_resume_of_a_complete_draft_is_the_check(tmp_path):
    r = filled_2021()
    r.meta.session.step = "check"
    s = DraftSession(r, tmp_path / "drafts" / "x.json", tmp_path)
    s.resume()
    assert (s.step, s.qid, s.grid) == ("check", "", None)
    assert load(s.path).meta.session.step == "check"  # a draft not yet on disk is written
