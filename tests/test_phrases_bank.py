"""Phrase bank loading: schema errors name the file, the entry and the problem; the real
bank loads and is big enough; importing the package does not import jieba."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.phrases import BankError, load_bank
from nianbao.phrases.bank import load_text
from nianbao.resources import phrasebank_dir

GOOD = """
section = "problems"

[slots.n_x]
type = "int"
label = "某个数"

[[moves]]
id = "problems.t.one"
name = "一个问题"
pairs_with = ["measures.t.one"]

  [[moves.variants]]
  id = "problems.t.one.a"
  text = "{year}年，{self}有{n_x}个问题。"
  when = ["apps_new > 0"]
"""

MEASURES = """
section = "measures"

[[moves]]
id = "measures.t.one"
name = "一个措施"

  [[moves.variants]]
  id = "measures.t.one.a"
  text = "改进。"
"""


def _bank(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return load_bank(tmp_path)


def _problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    with pytest.raises(BankError) as ei:
        _bank(tmp_path, files)
    return ei.value.problems


def test_good_bank_loads(tmp_path):
    bank = _bank(tmp_path, {"p.toml": GOOD, "m.toml": MEASURES})
    assert [m.id for m in bank.moves] == ["problems.t.one", "measures.t.one"]
    v = bank.variant("problems.t.one.a")
    assert v.slot_names == ("year", "self", "n_x")
    assert [s.name for s in v.free_slots] == ["n_x"]
    assert v.conditions[0].slot == "apps_new"
    assert bank.counts() == {"problems": (1, 1), "measures": (1, 1)}


@pytest.mark.parametrize(("change", "needle"), [
    (lambda t: t.replace("{n_x}", "{n_y}"), "未知的空位 {n_y}"),
    (lambda t: t.replace('"apps_new > 0"', '"apps_new >> 0"'), "条件“apps_new >> 0”的写法不对"),
    (lambda t: t.replace('"apps_new > 0"', '"nothing > 0"'), "“nothing”不是已知的空位或条件名"),
    (lambda t: t.replace('"apps_new > 0"', '"kind == 国务院"'), "机关类型只能是"),
    (lambda t: t.replace("text = \"{year}年，{self}有{n_x}个问题。\"", 'text = ""'), "text 为空"),
    (lambda t: t.replace('pairs_with = ["measures.t.one"]', 'pairs_with = ["measures.t.nowhere"]'),
     "pairs_with 中的“measures.t.nowhere”不存在"),
    (lambda t: t.replace('name = "一个问题"', 'name = "一个问题"\ntheme = "主题乱写"'), "theme“主题乱写”不是已知的主题"),
    (lambda t: t.replace('when = ["apps_new > 0"]', 'when = ["apps_new > 0"]\n  kinds = ["部委"]'), "kinds 中的“部委”"),
    (lambda t: t.replace('id = "problems.t.one.a"', 'id = "problems.t.two.a"'), "variant 的 id 应为 move 的 id"),
    (lambda t: t.replace('when = ["apps_new > 0"]', 'wehn = ["apps_new > 0"]'), "未知字段“wehn”"),
    (lambda t: t.replace("{n_x}个问题。", "{n_x}个问题。\\n第二段"), "不能换行"),
    (lambda t: t.replace("{n_x}个", "{n_x个"), "花括号"),
])
def test_schema_errors_name_file_entry_and_problem(tmp_path, change, needle):
    problems = _problems(tmp_path, {"p.toml": change(GOOD), "m.toml": MEASURES})
    assert any(needle in p for p in problems), problems
    hit = next(p for p in problems if needle in p)
    assert hit.startswith("p.toml：")
    assert "problems.t." in hit  # the entry id


def test_duplicate_id_across_files(tmp_path):
    other = MEASURES.replace("measures.t.one.a", "measures.t.one.b")
    problems = _problems(tmp_path, {"m1.toml": MEASURES, "m2.toml": other})
    assert any(p.startswith("m2.toml：条目 measures.t.one：id 重复（m1.toml 中已有）") for p in problems), problems


def test_toml_syntax_error_and_unknown_section(tmp_path):
    problems = _problems(tmp_path, {"bad.toml": "section = \"opening\"\n[[moves]\n"})
    assert problems[0].startswith("bad.toml：TOML 语法错误")
    problems = _problems(tmp_path, {"bad.toml": MEASURES.replace('"measures"', '"closing"', 1)})
    assert any("bad.toml：文件顶层：字段“section”的值“closing”不允许" in p for p in problems), problems


def test_missing_field_names_entry_without_id(tmp_path):
    text = MEASURES.replace('name = "一个措施"\n', "")
    problems = _problems(tmp_path, {"m.toml": text})
    assert problems == ["m.toml：条目 measures.t.one：缺少必填字段“name”"]


def test_format_only_slot_needs_format_condition(tmp_path):
    text = MEASURES.replace('text = "改进。"', 'text = "制发{normative_issued}件。"')
    problems = _problems(tmp_path, {"m.toml": text})
    assert any("{normative_issued}" in p and "format == 2021" in p for p in problems), problems
    fixed = text.replace('text = "制发', 'when = ["format == 2021"]\n  text = "制发')
    load_text("m.toml", fixed)


def test_pairs_with_only_to_measures(tmp_path):
    text = GOOD.replace('pairs_with = ["measures.t.one"]', 'pairs_with = ["problems.t.one"]')
    problems = _problems(tmp_path, {"p.toml": text})
    assert any("不是 measures" in p for p in problems), problems


def test_bank_is_cached_and_reloaded_on_change(tmp_path):
    a = _bank(tmp_path, {"m.toml": MEASURES})
    assert load_bank(tmp_path) is a
    (tmp_path / "m.toml").write_text(MEASURES.replace("改进。", "改进工作。"), encoding="utf-8")
    b = load_bank(tmp_path)
    assert b is not a and b.variant("measures.t.one.a").text == "改进工作。"


def test_lenient_load_leaves_out_broken_files(tmp_path):
    good_measures = MEASURES
    broken = MEASURES.replace("measures.t.one", "measures.t.two").replace("改进。", "{nope}")
    for name, text in {"a.toml": good_measures, "b.toml": broken, "p.toml": GOOD}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(BankError):
        load_bank(tmp_path)
    bank = load_bank(tmp_path, strict=False)
    assert {m.id for m in bank.moves} == {"measures.t.one", "problems.t.one"}
    assert any(p.startswith("b.toml：条目 measures.t.two.a：未知的空位 {nope}") for p in bank.problems)


# ---- the real bank --------------------------------------------------------------------

def test_real_bank_loads_and_is_big_enough():
    bank = load_bank()
    counts = bank.counts()
    moves = sum(m for m, _ in counts.values())
    variants = sum(v for _, v in counts.values())
    assert moves >= 80 and variants >= 750, counts
    five_six = [m for m in bank.moves if m.section in ("rectification", "problems", "measures", "other")]
    assert len(five_six) >= 40 and sum(len(m.variants) for m in five_six) >= 250
    # several variants per move, so sister units' reports differ
    assert all(len(m.variants) >= 4 for m in bank.moves)
    # the narrative areas the composer writes: 一 (lead + five), 整改, 问题, 措施, 六
    assert [a.key for a in bank.areas] == ["lead", "active", "request", "management", "platform", "supervision",
                                           "rectification", "problems", "measures", "other"]


def test_real_bank_text_rules():
    bank = load_bank()
    for v in bank.variants:
        assert v.text == v.text.strip() and "\n" not in v.text, v.id
        # full-width punctuation in Chinese text
        assert not any(ch in v.text for ch in ",;:?!"), v.id


def test_problems_pair_with_measures():
    bank = load_bank()
    problems = [m for m in bank.moves_of("problems") if m.id != "problems.summary.lead"]
    assert len(problems) >= 8
    assert all(m.pairs_with for m in problems)
    assert all(bank.move(t).section == "measures" for m in problems for t in m.pairs_with)


def test_userdict_has_domain_terms():
    words = {line.split()[0] for line in (phrasebank_dir() / "userdict.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    assert {"政府信息公开", "依申请公开", "三安全一稳定", "政务新媒体", "信息处理费", "行政复议"} <= words
    assert len(words) >= 40


def test_import_does_not_import_jieba():
    code = "import nianbao.phrases, sys; assert 'jieba' not in sys.modules, 'jieba imported'"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr


def test_loading_and_filling_does_not_import_jieba():
    code = ("import sys\nfrom nianbao.phrases import load_bank, fill\nb = load_bank()\n"
            "fill(b.variants[0], None)\nassert 'jieba' not in sys.modules, 'jieba imported'")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr


def test_readme_lists_every_built_in_slot():
    """phrasebank/README.md documents every built-in slot (one per named figure)."""
    from pathlib import Path

    from nianbao.phrases.slots import BOUND

    readme = (Path(__file__).resolve().parents[1] / "phrasebank" / "README.md").read_text(encoding="utf-8")
    assert [n for n in BOUND if f"`{{{n}}}`" not in readme] == []
