"""Three years on the session (issue 5): 2023 → “从上一年度的报告新建” 2024 → 2025.  上年结转
follows last year's 结转下年度继续办理 each time (and last year's 结转 is the reference shown
beside it); a wrong carry-over is reported on the 检查 step with both years' figures, and
choosing it goes to the cell."""

from __future__ import annotations

from nianbao import questions as Q
from nianbao.session import DraftSession, check_items
from nianbao.store import DraftLock, load, save
from test_session import fill

from factories import filled_2021, t3

COLS = ("NP", "BE", "RI", "SO", "LS", "OT", "TT")


def test_three_year_chain(tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    y23 = filled_2021(2023, "某县审计局")
    save(y23, drafts / "某县审计局-2023.json", backup=False)
    s = DraftSession.from_last(tmp_path, drafts / "某县审计局-2023.json").session
    s.resume()
    r24 = s.report
    assert r24.year == 2024 and s.path == drafts / "某县审计局-2024.json" and s.lock is not None
    for c in COLS:
        assert t3(r24, "C", c) == t3(y23, "F", c), c
        assert Q.reference(r24, f"t3.main.C.{c}")[1] == t3(y23, "F", c)
    s.go("s3")
    assert s.answer(Q.YES).ok
    assert (s.step, s.qid) == ("s3", "t3.N")  # 上年结转 is already answered (carried)
    fill(s, {"t3.main.N.NP": "4", "t3.main.N.BE": "2"})
    assert (s.step, s.qid) == ("s3", "t3.outcomes")
    fill(s, {"t3.main.R1.NP": "3", "t3.main.R1.BE": "2"})
    assert (s.step, s.qid) == ("s3", "t3.F")
    fill(s, {})  # confirm the proposal 一 + 二 − （七）总计
    assert t3(r24, "F", "NP") == 2 and t3(r24, "F", "BE") == 1 and t3(r24, "F") == 3
    s.go("check")
    assert not [i for i in check_items(r24) if i.finding is not None and i.finding.rule == "T3-CARRY"]
    s.release_lock()
    assert not DraftLock(drafts / "某县审计局-2024.json").path.exists()
    saved24 = load(drafts / "某县审计局-2024.json")
    assert t3(saved24, "F") == 3
    # 2025 from 2024
    s = DraftSession.from_last(tmp_path, drafts / "某县审计局-2024.json").session
    s.resume()
    r25 = s.report
    assert r25.year == 2025 and s.path == drafts / "某县审计局-2025.json"
    for c in COLS:
        assert t3(r25, "C", c) == t3(saved24, "F", c), c
    assert t3(r25, "C") == 3 and t3(load(drafts / "某县审计局-2025.json"), "C", "NP") == 2
    # a wrong carry-over: 5 instead of last year's 2
    s.go("s3", "t3.C")
    fill(s, {"t3.main.C.NP": "5"})
    assert t3(r25, "C", "NP") == 5
    s.go("check")
    carry = [i for i in check_items(r25) if i.finding is not None and i.finding.rule == "T3-CARRY"]
    assert [i.finding.cells for i in carry] == [("t3.main.C.NP",), ("t3.main.C.TT",)], [i.text for i in carry]
    assert (carry[1].finding.expected, carry[1].finding.found) == ("3", "6")  # the 总计 column too
    f = carry[0].finding
    assert f.severity == "error" and f.cells == ("t3.main.C.NP",)
    assert "2025年度" in f.message and "为5" in f.message and "2024年度" in f.message and "为2" in f.message
    assert (f.expected, f.found) == ("2", "5")
    assert "2025年度" in carry[0].text and "2024年度" in carry[0].text
    s.jump_to_finding(f)
    assert (s.step, s.qid) == ("s3", "t3.C") and s.grid.cursor == "t3.main.C.NP"
    s.release_lock()
    assert not list(drafts.glob(".*.lock"))
