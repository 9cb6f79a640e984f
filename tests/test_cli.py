"""The command line: import, check (exit codes, --json, folders), export, new; never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nianbao import store
from nianbao.cli import main

from conftest import CORPUS, SEED
from factories import filled_2021


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_seed(tmp_path, capsys):
    out = tmp_path / "seed.json"
    code, text, _ = run(capsys, "import", str(SEED), "-o", str(out))
    assert code == 0 and "已读到 198/198 个单元格" in text
    r = store.load(out)
    assert r.get("t2.a20_6.penalty.decisions") == 96
    code, _, err = run(capsys, "import", str(SEED), "-o", str(out))
    assert code == 2 and "已存在" in err


def test_check_seed_exits_0_and_warns_about_the_penalty_row(tmp_path, capsys):
    code, text, _ = run(capsys, "check", str(SEED))
    assert code == 0
    assert "T2a-PATTERN" in text and "行政处罚" in text and "95+1=96" in text
    assert "合计：错误 0 个" in text


def test_check_json(capsys):
    code, text, _ = run(capsys, "check", str(SEED), "--json")
    data = json.loads(text)
    assert code == 0
    assert {"file", "rule", "severity", "message", "where", "expected", "found"} <= set(data[0])
    assert any(d["rule"] == "T2a-PATTERN" and d["severity"] == "warning" for d in data)


def test_check_errors_exit_1(tmp_path, capsys):
    r = filled_2021()
    r.set("t3.main.F.NP", 3)
    p = tmp_path / "r.json"
    store.save(r, p)
    code, text, _ = run(capsys, "check", str(p))
    assert code == 1 and "T3-COL" in text and "自然人" in text


@pytest.mark.parametrize(("content", "needle"), [
    (b"", "空文件"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "二进制"),
    (b'{"a": [1, 2]}', "不是 nianbao 的报告文件"),
])
def test_bad_input_exit_2(tmp_path, capsys, content, needle):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    code, text, _ = run(capsys, "check", str(p))
    assert code == 2 and needle in text
    assert "Traceback" not in text


def test_cut_off_report_exit_2(tmp_path, capsys):
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.index("5.属于三类内部事务信息")]
    p = tmp_path / "cut.txt"
    p.write_text(cut, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(p))
    assert code == 2 and "不完整" in out and "从“5.属于三类内部事务信息”起缺少" in out and "表四缺失" in out


def test_check_folder_summary(capsys):
    code, text, _ = run(capsys, "check", str(CORPUS), str(SEED))
    assert code == 2  # the corpus reports are cut off
    assert "== 汇总" in text and "共 10 个文件" in text


def test_export_txt_reproduces_seed_and_refuses_overwrite(tmp_path, capsys):
    js = tmp_path / "seed.json"
    run(capsys, "import", str(SEED), "-o", str(js))
    out = tmp_path / "out.txt"
    code, text, _ = run(capsys, "export", str(js), "--to", "txt", "-o", str(out))
    assert code == 0 and str(out.resolve()) in text
    assert "行政处罚\t95\t1\t96" in out.read_text(encoding="utf-8")
    code, _, err = run(capsys, "export", str(js), "--to", "txt", "-o", str(out))
    assert code == 2 and "--force" in err
    assert run(capsys, "export", str(js), "--to", "txt", "-o", str(out), "--force")[0] == 0


def test_export_refuses_with_errors_unless_draft(tmp_path, capsys):
    r = filled_2021()
    r.set("t3.main.F.NP", 3)
    p = tmp_path / "r.json"
    store.save(r, p)
    out = tmp_path / "o.txt"
    code, _, err = run(capsys, "export", str(p), "--to", "txt", "-o", str(out))
    assert code == 1 and "T3-COL" in err and not out.exists()
    code, _, _ = run(capsys, "export", str(p), "--to", "txt", "-o", str(out), "--draft")
    assert code == 0 and "（草稿）" in out.read_text(encoding="utf-8").splitlines()[0]


def test_new_from_previous(tmp_path, capsys):
    js = tmp_path / "2020.json"
    run(capsys, "import", str(SEED), "-o", str(js))
    out = tmp_path / "2021.json"
    code, text, _ = run(capsys, "new", "--year", "2021", "--from", str(js), "-o", str(out))
    assert code == 0 and "第二十条第（九）项" in text and "已取消" in text
    r = store.load(out)
    assert r.year == 2021 and r.format_version == "2021" and r.agency.name == "嵩县城市管理局"


def test_new_empty(tmp_path, capsys):
    out = tmp_path / "n.json"
    code, _, _ = run(capsys, "new", "--year", "2025", "--agency", "某镇人民政府", "-o", str(out))
    r = store.load(out)
    assert code == 0 and r.agency.name == "某镇人民政府" and r.get("t3.main.N.NP") is None
    code, _, err = run(capsys, "new", "--year", "2025", "-o", str(tmp_path / "m.json"))
    assert code == 2 and "--agency" in err


def test_module_entry_point_runs(tmp_path):
    p = subprocess.run([sys.executable, "-m", "nianbao", "check", str(SEED)], capture_output=True, text=True,
                       encoding="utf-8", timeout=60)
    assert p.returncode == 0 and "T2a-PATTERN" in p.stdout and not p.stderr


def test_usage_errors_in_chinese(capsys):
    with pytest.raises(SystemExit) as e:
        main(["export"])
    assert e.value.code == 2
    assert "缺少参数" in capsys.readouterr().err


def test_user_template_is_sandboxed(tmp_path, capsys):
    js = tmp_path / "seed.json"
    run(capsys, "import", str(SEED), "-o", str(js))
    good = tmp_path / "mine.txt.j2"
    good.write_text("{{ doc.title }}｜{{ spec.notice }}\n{% for el in doc.elements if el is grid %}{{ el.name }}{% endfor %}\n",
                    encoding="utf-8")
    out = tmp_path / "o.txt"
    code, _, _ = run(capsys, "export", str(js), "--to", "txt", "-o", str(out), "--template", str(good))
    assert code == 0
    assert out.read_text(encoding="utf-8") == "嵩县城市管理局2020年政府信息公开工作年度报告｜国办公开办函〔2019〕60号\n表二表三表四"
    evil = tmp_path / "evil.txt.j2"
    evil.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    code, _, err = run(capsys, "export", str(js), "--to", "txt", "-o", str(tmp_path / "e.txt"), "--template", str(evil))
    assert code == 2 and "不允许的操作" in err and not (tmp_path / "e.txt").exists()


def test_version_is_the_installed_version(capsys):
    """``nianbao --version`` prints the version the package was installed as (one source:
    ``nianbao.__version__``, read by the build backend)."""
    from importlib.metadata import version

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"nianbao {version('nianbao')}"


def test_check_select_exclude_and_list_rules(tmp_path, capsys):
    code, out, _ = run(capsys, "check", "--list-rules")
    assert code == 0 and "T3-COL\t" in out and "TEXT-TABLE\t" in out and "COPY-RATE\t" in out
    code, out, _ = run(capsys, "check", str(SEED), "--select", "T2a")
    assert code == 0 and "T2a-PATTERN" in out and "LABEL-VARIANT" not in out
    code, out, _ = run(capsys, "check", str(SEED), "--exclude", "T2a-PATTERN,LABEL-VARIANT")
    assert code == 0 and "未发现问题" in out
    code, _, err = run(capsys, "check", str(SEED), "--select", "T9")
    assert code == 2 and "没有这样的检查编号：T9" in err
