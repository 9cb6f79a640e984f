"""The drafting session, headless (issue 14): each numbered item of the user test, fixed on
:class:`nianbao.session.DraftSession` and checked without a screen."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from nianbao import questions as Q
from nianbao.crossyear import carry_forward
from nianbao.model import AgencyKind
from nianbao.session import DraftSession, cell_width, table_preview
from nianbao.store import load, save
from nianbao.workspace import last_year_choices

from factories import filled_2021, t3

# ---- helpers -----------------------------------------------------------------------------------


def started(home: Path, name: str = "某县教育局", kind: str = "政府部门", year: int = 2023) -> DraftSession:
    """A new draft with the agency, kind and year answered (saved, locked)."""
    s = DraftSession.new(home)
    s.go("basic")
    for raw in (name, kind, str(year)):
        assert s.answer(raw).ok
    return s


def to_outcomes(s: DraftSession, n: dict[str, str], c: dict[str, str]) -> None:
    s.go("s3")
    assert s.answer(Q.YES).ok
    fill(s, n)
    if s.qid == "t3.C":
        fill(s, c)
    assert (s.step, s.qid) == ("s3", "t3.outcomes")


def fill(s: DraftSession, values: dict[str, str], complete: bool = True) -> None:
    g = s.grid
    assert g is not None
    for cid, text in values.items():
        g.focus(cid)
        e = g.type(text)
        assert not e.error, e.error
    if complete:
        r = s.complete_grid()
        assert r.ok, r.error


def on_disk(s: DraftSession):
    assert s.path is not None
    return load(s.path)


T3_COLS = ("NP", "BE", "RI", "SO", "LS", "OT")


# ---- 1. resume returns to the last cell touched; a cell's error is the cell's own ----------------

def test_resume_puts_the_cursor_on_the_last_cell_touched(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "9", "t3.main.N.BE": "3"}, {"t3.main.C.NP": "0"})
    g = s.grid
    # typing down the 自然人 column (Enter is not needed: each value is stored as typed)
    for row, v in (("R1", "2"), ("R2", "1"), ("R3_1", "1")):
        g.focus(f"t3.main.{row}.NP")
        g.type(v)
    s.release_lock()  # as after a kill: the lock's process is gone
    again = DraftSession.load(s.path)
    assert again.take_lock()
    again.resume()
    assert (again.step, again.qid) == ("s3", "t3.outcomes")
    assert again.grid.cursor == "t3.main.R3_1.NP"  # not the first empty cell (予以公开·商业企业)
    again.grid.move(rows=1)
    again.grid.type("1")
    assert again.report.cells["t3.main.R3_2.NP"] == 1 and again.report.cells["t3.main.R1.BE"] is None


def test_a_cells_error_belongs_to_the_cell():
    r = filled_2021()
    s = DraftSession(r)
    s.go("s3", "t3.outcomes")
    g = s.grid
    g.focus("t3.main.R1.BE")
    e = g.type("5")  # 商业企业: 2 new + 0 carried
    assert e.error.startswith("“商业企业”列：办理结果合计") and g.error("t3.main.R1.BE") == e.error
    assert g.error("t3.main.R1.NP") == ""
    assert r.cells["t3.main.R1.BE"] == 1  # never stored


# ---- 2. typing into an invalid cell replaces it ------------------------------------------------

def test_after_a_refused_enter_typing_replaces_the_value():
    s = DraftSession(filled_2021())
    s.go("s3", "t3.outcomes")
    g = s.grid
    g.focus("t3.main.R1.NP")
    g.type("5")
    g.type("5")
    assert g.text["t3.main.R1.NP"] == "55" and g.error()
    assert g.enter().error  # refused: the cursor stays
    assert g.cursor == "t3.main.R1.NP"
    e = g.type("3")
    assert g.text["t3.main.R1.NP"] == "3" and not e.error and s.report.cells["t3.main.R1.NP"] == 3
    # coming back to an invalid cell replaces too
    g.type("9")
    assert g.text["t3.main.R1.NP"] == "39" and g.error()
    g.move(cols=1)
    g.move(cols=-1)
    g.type("2")
    assert g.text["t3.main.R1.NP"] == "2" and not g.error()


# ---- 3. implausible numbers are refused; cells show their whole value ------------------------------

def test_a_number_beyond_any_plausible_count_is_refused_by_name():
    s = DraftSession(filled_2021())
    s.go("s3", "t3.N")
    g = s.grid
    g.focus("t3.main.N.NP")
    e = g.type("9" * 20)
    assert "表三" in e.error and "“自然人”列" in e.error and "超出了合理范围" in e.error and "1000000" in e.error
    assert s.report.cells["t3.main.N.NP"] == 5
    assert g.type("").error  # still shown, still refused
    assert not g.clear().error and s.report.cells["t3.main.N.NP"] is None  # cleared: not answered, not 0
    assert not Q.parse_cell(s.report, "t3.main.N.NP", "1000000")[1]
    money, err = Q.parse_cell(s.report, "t2.a20_8.fees.amount", "9" * 12)
    assert money is None and "万元" in err and "1000000000" in err
    q = Q.by_id(s.report, "fees.count")
    assert "超出了合理范围" in Q.parse_answer(s.report, q, "9" * 20)[1]


def test_a_cell_shows_its_whole_value():
    r = filled_2021(2020)
    r.set("t2.a20_9.procurement.amount", Decimal("4166.241619"))
    s = DraftSession(r)
    s.go("s2", "t2.a20_9")
    g = s.grid
    widths = g.widths(7)
    j = [c.key for c in g.spec.cols].index("amount")
    assert widths[j] >= cell_width("4166.241619") + 1
    assert g.shown("t2.a20_9.procurement.amount") == "4166.241619"
    assert "当前：4166.241619" in g.help_line("t2.a20_9.procurement.amount")


# ---- 4. the year moves the opening's statistics period ----------------------------------------------

def test_changing_the_year_moves_the_period_in_the_opening(tmp_path):
    s = started(tmp_path, year=2024)
    s.go("opening")
    text = s.proposal_text(s.current())
    assert "自2024年1月1日起至2024年12月31日止" in text
    assert s.answer(text).ok
    s.go("basic", "year")
    r = s.answer("2025")
    assert r.ok and any("统计期限已改为2025年" in n for n in r.notes)
    assert "自2025年1月1日起至2025年12月31日止" in s.report.narrative.opening
    assert "2024年" not in s.report.narrative.opening
    assert s.report.display_title.endswith("2025年政府信息公开工作年度报告")
    assert s.path.name == "某县教育局-2025.json" and "2025年1月1日" in on_disk(s).narrative.opening


# ---- 5. 上年结转 shows last year's 结转下年度 beside it ---------------------------------------------------

def test_carried_row_reference_is_last_years_forward_row():
    prev = filled_2021(2023)
    prev.set("t3.main.C.NP", 0)
    prev.set("t3.main.F.NP", 4)
    prev.recompute()
    r, _ = carry_forward(prev, 2024)
    assert t3(r, "C", "NP") == 4
    name, value = Q.reference(r, "t3.main.C.NP")
    assert value == 4 and name == "上年结转下年度"
    assert Q.reference(r, "t3.main.N.NP") == ("上年", t3(prev, "N", "NP"))
    s = DraftSession(r)
    s.go("s3", "t3.C")
    assert "上年结转下年度：4" in s.grid.help_line("t3.main.C.NP")


# ---- 6. Esc at the first question; starting from last year twice; the picker -------------------------

def test_esc_at_the_first_question_goes_to_the_draft_list(tmp_path):
    s = started(tmp_path)
    s.go("basic", "agency.kind")
    assert s.back().go == "" and s.qid == "agency.name"
    assert s.back().go == "home"


def test_starting_from_last_year_twice_offers_the_existing_draft(tmp_path):
    prev = tmp_path / "2025.json"
    save(filled_2021(2025, "某区人民政府"), prev, backup=False)
    first = DraftSession.from_last(tmp_path, prev)
    assert first.session is not None and first.existing is None
    first.session.go("basic")
    assert first.session.save() and first.session.path.name == "某区人民政府-2026.json"
    again = DraftSession.from_last(tmp_path, prev)
    assert again.session is None and again.existing == first.session.path
    forced = DraftSession.from_last(tmp_path, prev, duplicate=True)
    assert forced.session is not None and forced.session.path.name == "某区人民政府-2026-2.json"
    assert sorted(p.name for p in (tmp_path / "drafts").glob("*.json")) == ["某区人民政府-2026.json"]


def test_the_last_year_picker_preselects_a_finished_report(tmp_path):
    drafts = tmp_path / "drafts"
    done = filled_2021(2025, "某区人民政府")
    done.agency.kind = AgencyKind.GOVERNMENT
    for q in Q.all_questions(done):
        Q.mark_done(done, q)
    for k in ("s2.any", "s3.any", "s4.any"):
        done.meta.answers[k] = Q.YES
    done.fees.charged = False
    assert Q.percent(done) == 100
    save(done, drafts / "某区人民政府-2025.json", backup=False)
    s = DraftSession.from_last(tmp_path, drafts / "某区人民政府-2025.json").session
    s.go("basic")
    s.save()  # the unfinished 2026 draft, changed last
    choices, best = last_year_choices(tmp_path)
    assert [c.path.name for c in choices] == ["某区人民政府-2026.json", "某区人民政府-2025.json"]
    assert choices[best].path.name == "某区人民政府-2025.json"
    assert "已完成" in choices[best].label and "未完成" in choices[0].label


# ---- 7. the phrase section is data; F1 explains the suggestions --------------------------------------

def test_narrative_questions_name_their_phrase_section():
    r = filled_2021()
    sections = {q.id: q.phrases for q in Q.all_questions(r) if q.type == "textarea"}
    assert sections == {"opening": "opening", "overview": "overview", "rectification": "rectification",
                        "problems": "problems", "measures": "measures", "other": "other"}
    assert all(not q.phrases for q in Q.all_questions(r) if q.type != "textarea")


def test_help_explains_the_suggestions_panel():
    from nianbao.tui.app import HELP

    part = HELP.split("[b]常用表述[/b]", 1)[1].split("[b]", 1)[0]
    assert "Enter" in part and "↑ ↓" in part and "Tab" in part and "Ctrl+S" in part


# ---- 8. the preview: numbers never run together, headers never cut -------------------------------------

def test_table_preview_keeps_numbers_apart_and_headers_whole():
    r = filled_2021()
    for c, v in zip(T3_COLS, (151, 3, 0, 0, 0, 0), strict=True):
        r.set(f"t3.main.N.{c}", v)
    r.recompute()
    lines = table_preview(r, 3, 38)
    row = next(x for x in lines if x.startswith("一、本年新收"))
    assert row.split()[-7:] == ["151", "3", "0", "0", "0", "0", "154"]
    assert all(cell_width(x) <= 38 for x in lines)
    t4 = "\n".join(table_preview(r, 4, 38)[:2])  # the header lines
    assert "…" not in t4 and "维持" in t4 and "纠正" in t4 and "审结" in t4
    head = "".join(lines[:4])
    for c in r.spec.block_with("new")[1].columns:  # every column named in full (a legend above)
        assert c.label in head, head


# ---- paste a block ---------------------------------------------------------------------------------------

BLOCK = "3\t1\t0\t0\t0\t0\t4\n2\t0\t0\t1\t0\t0\t3\n1\t1\t0\t0\t0\t0\t2\n"


def test_paste_a_block_fills_from_the_cursor_right_then_down(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "6", "t3.main.N.BE": "2", "t3.main.N.SO": "1"}, {})
    g = s.grid
    g.focus("t3.main.R1.NP")
    res = g.paste(BLOCK)
    assert res.ok, res.error
    assert res.notes == ["已粘贴3行×7列，共21格"]
    want = [[3, 1, 0, 0, 0, 0], [2, 0, 0, 1, 0, 0], [1, 1, 0, 0, 0, 0]]
    for row, vals in zip(("R1", "R2", "R3_1"), want, strict=True):
        assert [s.report.cells[f"t3.main.{row}.{c}"] for c in T3_COLS] == vals
        assert [on_disk(s).cells[f"t3.main.{row}.{c}"] for c in T3_COLS] == vals
    assert [g.shown(f"t3.main.{row}.TT") for row in ("R1", "R2", "R3_1")] == ["4", "3", "2"]
    assert s.report.cells["t3.main.R3_2.NP"] is None and g.cursor == "t3.main.R1.NP"


def test_a_paste_that_does_not_fit_is_refused_and_changes_nothing(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "6", "t3.main.N.BE": "2", "t3.main.N.SO": "1"}, {})
    g = s.grid
    before = (dict(s.report.cells), s.path.read_bytes())
    g.focus("t3.main.R1.NP")
    cases = {
        "3\t1\t0\n2\t0\n": "各行的格数不一样",
        "1\t2\t3\t4\t5\t6\t7\t8\n": "有8列",
        "自然人\t商业企业\n": "不是数字",
        "1\t0\t0\t0\t0\t0\t9\n": "相加是1",
        "9\t0\n": "办理结果合计9件",
        "\n\n": "空的",
    }
    for text, needle in cases.items():
        res = g.paste(text)
        assert not res.ok and needle in res.error, (text, res.error)
        assert "未作任何改动" in res.error or needle == "空的"
    g.focus("t3.main.R6_3.NP")
    res = g.paste("1\n1\n1\n")
    assert not res.ok and "有3行" in res.error
    g.focus("t3.main.R1.BE")
    assert "有7列" in g.paste(BLOCK).error
    assert (dict(s.report.cells), s.path.read_bytes()) == before


def test_paste_tolerates_web_tables_and_separators(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "1,200"}, {})
    g = s.grid
    g.focus("t3.main.R1.NP")
    assert g.paste("1,100\t0\t\n50\t—\n").ok  # a trailing TAB on one row, a dash for nothing
    assert t3(s.report, "R1", "NP") == 1100 and t3(s.report, "R2", "NP") == 50 and t3(s.report, "R2", "BE") is None
    g.focus("t3.main.R4_1.NP")
    assert g.paste("7 0 0").ok and t3(s.report, "R4_1", "NP") == 7  # spaces (from a PDF)


# ---- the typed draft round-trips ------------------------------------------------------------------------

def test_session_state_is_typed_and_saved(tmp_path):
    s = started(tmp_path)
    to_outcomes(s, {"t3.main.N.NP": "2"}, {})
    s.grid.focus("t3.main.R2.NP")
    s.grid.type("1")
    data = json.loads(s.path.read_text(encoding="utf-8"))
    assert data["meta"]["session"] == {"step": "s3", "question": "t3.outcomes", "cell": "t3.main.R2.NP",
                                       "last_grid": "t3.C"}
    assert data["meta"]["answers"] == {"s3.any": "yes"}
    assert {"agency.name", "agency.kind", "year", "t3.N", "t3.C"} <= set(data["meta"]["done"])
