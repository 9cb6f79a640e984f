"""The questions as data (headless): generated from the format spec, skip-logic, proposals."""

from __future__ import annotations

from nianbao import questions as Q
from nianbao.formats import get_spec
from nianbao.model import Part, new_report

from factories import t3, t4


def _ids(report) -> list[str]:
    return [q.id for q in Q.all_questions(report)]


def test_grids_come_from_the_spec():
    r19, r21 = new_report(2020, "x"), new_report(2023, "x")
    assert "t2.a20_9" in _ids(r19) and "t2.a20_9" not in _ids(r21)  # 采购 only in 2019
    for r in (r19, r21):
        spec = r.spec
        editable = set()
        for q in Q.all_questions(r):
            if q.grid is not None:
                editable |= set(q.grid.editable_ids())
                for row in q.grid.rows:
                    for j, cid in enumerate(row.cells):
                        assert q.grid.is_computed(row, j) == spec.cell(cid).computed
        # every non-computed cell of the format is asked exactly by one grid
        assert editable == {c.id for c in spec.cells if not c.computed}
    out19 = Q.by_id(r19, "t3.outcomes").grid
    out21 = Q.by_id(r21, "t3.outcomes").grid
    assert [x.key for x in out19.rows][-2:] == ["R6", "R7"]
    assert [x.key for x in out21.rows][-4:] == ["R6_1", "R6_2", "R6_3", "R7"]
    assert out21.rows[-1].computed and out21.cols[-1].computed
    b = get_spec("2021").block("t3", "main")
    assert out21.rows[0].label.endswith(b.row("R1").label)


def test_skip_logic_writes_zeros_only_to_this_years_rows():
    r = new_report(2023, "x")
    notes = Q.apply_answer(r, Q.by_id(r, "s3.any"), Q.NO)
    assert notes and all(t3(r, "N", c) == 0 for c in ("NP", "BE", "OT", "TT"))
    assert t3(r, "C", "NP") is None and t3(r, "R1", "NP") is None  # 上年结转 still asked
    assert Q.by_id(r, "t3.outcomes").asked(r)  # carried cases unknown yet
    Q.complete_grid(r, Q.by_id(r, "t3.C"), {"t3.main.C.NP": 2})
    assert t3(r, "C") == 2 and t3(r, "R1", "NP") is None  # 2 carried cases must be accounted for
    r2 = new_report(2023, "x")
    Q.apply_answer(r2, Q.by_id(r2, "s3.any"), Q.NO)
    Q.complete_grid(r2, Q.by_id(r2, "t3.C"), {})
    assert t3(r2, "R7") == 0 and t3(r2, "F") == 0 and not Q.by_id(r2, "t3.outcomes").asked(r2)
    Q.apply_answer(r2, Q.by_id(r2, "s4.any"), Q.NO)
    assert t4(r2, "rv_total") == 0 and t4(r2, "ld_total") == 0 and t4(r2, "la_total") == 0


def test_carry_over_proposal_and_bound():
    r = new_report(2023, "x")
    for cid, v in {"t3.main.N.NP": 5, "t3.main.C.NP": 1, "t3.main.R1.NP": 4}.items():
        r.set(cid, v)
    Q.complete_grid(r, Q.by_id(r, "t3.N"), {})
    Q.complete_grid(r, Q.by_id(r, "t3.C"), {})
    Q.complete_grid(r, Q.by_id(r, "t3.outcomes"), {})
    assert Q.carry_proposal(r)["t3.main.F.NP"] == 2
    assert Q.parse_cell(r, "t3.main.F.NP", "2") == (2, "")
    v, err = Q.parse_cell(r, "t3.main.F.NP", "3")
    assert v is None and "只剩2件" in err


def test_parts_round_trip():
    parts = [Part(text="总述。"), Part(title="加强领导。", text="成立领导小组。"),
             Part(title="完善制度。", text="建立制度。", inline=True)]
    text = Q.parts_to_text(parts)
    assert text.split("\n") == ["总述。", "（一）加强领导。", "成立领导小组。", "（二）完善制度。建立制度。"]
    back = Q.text_to_parts(text, [p.model_copy(update={"origin": "last_year"}) for p in parts])
    assert [(p.title, p.text, p.inline, p.origin) for p in back] == [
        (p.title, p.text, p.inline, "last_year") for p in parts]
    edited = Q.text_to_parts(text.replace("建立制度。", "修订制度。"), back)
    assert edited[2].text == "修订制度。" and edited[2].origin == "" and edited[1].origin == "last_year"


def test_finding_to_question():
    from nianbao.checks import check

    r = new_report(2023, "")
    for c in r.spec.cells:
        if c.table.key == "t3" and not c.computed:
            r.set(c.id, 0)
    r.set("t3.main.N.NP", 2)
    r.set("t3.main.C.NP", 0)
    r.set("t3.main.R1.NP", 1)
    r.set("t3.main.F.NP", 0)
    r.recompute()
    findings = check(r)
    found = {f.rule: f for f in findings}
    col = next(f for f in findings if f.rule == "T3-COL" and "t3.main.N.NP" in f.cells)
    step, q, cid = Q.question_for_finding(r, col)
    assert step == "s3" and q is not None and cid == "t3.main.N.NP"
    step, q, _ = Q.question_for_finding(r, found["META"])
    assert (step, q.id) == ("basic", "agency.name")
    step, q, _ = Q.question_for_finding(r, found["NARRATIVE"])
    assert step in ("s1", "s5", "s6") and q is not None and q.type == "textarea"
