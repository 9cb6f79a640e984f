"""`nianbao review`: a folder of units' reports checked, summed up and compared.

The folder built here holds: one agency in 2023 and 2024 (2024 copies two of 2023's
paragraphs, numbers and years changed), two agencies of 2024 sharing a paragraph, a report
with an arithmetic error, a Word document, the published seed report (.txt) and a damaged
file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao import store
from nianbao.cli import main
from nianbao.inputs import load_any
from nianbao.model import Part
from nianbao.review import review
from nianbao.review.output import as_json, page, workbook
from nianbao.review.repeats import normalise
from nianbao.store import StoreError
from test_export_markup import _chromium  # skips where Chromium is not installed

from conftest import CORPUS, SEED
from factories import filled_2021

A = "某县市场监督管理局"
B = "某县教育体育局"
C = "某县卫生健康委员会"
D = "某县自然资源局"
W = "某县人力资源和社会保障局"

# agency A, 2023: two paragraphs 2024 copies (P1 with its figures and year changed), one it drops
P1_23 = ("2023年，本局依托政府门户网站和“某县市场监管”微信公众号，累计发布食品安全抽检信息312条、"
         "行政许可信息1480条。围绕优化营商环境，编制涉企政策解读材料27篇，开展进企业宣讲活动15场。")
P2 = ("本局严格执行政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，"
      "对拟公开的信息逐条履行审核程序，全年未发生泄密事件。同时健全依申请公开受理、登记、办理、答复全流程台账，"
      "确保每件申请都有据可查。")
DROPPED = "2023年，本局在城区各农贸市场设置电子公示屏六块，滚动公示农产品快检结果和价格信息。"
P1_24 = ("2024年，本局依托政府门户网站和“某县市场监管”微信公众号，累计发布食品安全抽检信息406条、"
         "行政许可信息1725条。围绕优化营商环境，编制涉企政策解读材料31篇，开展进企业宣讲活动19场。")
NEW_24 = ("2024年，本局新建“信用监管”专栏，归集公示企业年报、经营异常名录等信用信息，"
          "方便群众一站查询。针对网络订餐等新业态，联合外卖平台推送食品安全提示。")
# agencies B and C, 2024: one paragraph in common
SHARED = ("坚持把政策解读作为政务公开的重要内容，对出台的规范性文件同步制发图文解读、视频解读，"
          "做到解读材料与政策文件同步起草、同步审签、同步发布。建立政务舆情收集、研判、处置、回应机制，"
          "对群众关切的热点问题及时发布权威信息，主动回应社会关切。")
OWN_B = "全县中小学招生入学政策、学区划分方案均在招生前一个月向社会公开，接受家长和社会监督。"
OWN_C = "全年公开医疗机构执业登记、护士执业注册等行政许可结果信息，按月公布传染病疫情信息。"


PROBLEMS = "政策解读的形式较为单一，图解、视频等解读方式运用不够。"
MEASURES = "下一步将拓展解读渠道，邀请业务骨干参与解读，提升解读质量。"


OTHER = "本年度未收取信息处理费。"


def _report(name: str, year: int, overview: list[str], problems: str = PROBLEMS, measures: str = MEASURES,
            other: str = "无。"):
    r = filled_2021(year, name)
    r.narrative.overview = [Part(text=t) for t in overview]
    r.narrative.problems = [Part(text=problems)]
    r.narrative.measures = [Part(text=measures)]
    r.narrative.other = other  # “无” is too short to compare
    return r


def build(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "a23": folder / "市场监管局" / "2023.json",
        "a24": folder / "市场监管局" / "2024.json",
        "b": folder / "教体局2024.json",
        "c": folder / "卫健委2024.json",
        "d": folder / "自然资源局2024.json",
        "word": folder / "人社局2024.docx",
        "seed": folder / "嵩县城市管理局2020.txt",
        "bad": folder / "损坏的报告.json",
    }
    paths["a23"].parent.mkdir()
    store.save(_report(A, 2023, [P1_23, P2, DROPPED], other=OTHER), paths["a23"], backup=False)
    store.save(_report(A, 2024, [P1_24, P2, NEW_24], other=OTHER), paths["a24"], backup=False)
    store.save(_report(B, 2024, [SHARED, OWN_B], "部分学校信息公开栏更新不及时。", "督促学校按月更新公开栏。"),
               paths["b"], backup=False)
    store.save(_report(C, 2024, [OWN_C, SHARED], "基层医疗机构公开意识有待提高。", "开展基层医疗机构公开培训。"),
               paths["c"], backup=False)
    d = _report(D, 2024, ["全年通过政府网站公开国土空间规划、土地征收等信息，依法保障群众的知情权。"],
                "征地信息公开的时效性有待提高。", "征地批复后及时公开补偿安置方案。")
    d.set("t3.main.F.NP", 3)  # 一 + 二 ≠ 三 + 四 in the 自然人 column (and in 总计)
    d.recompute()
    store.save(d, paths["d"], backup=False)
    from nianbao.export import export_report

    export_report(_report(W, 2024, ["全年公开社会保险待遇调整、就业补贴发放等信息，方便群众查询办理。"],
                          "就业政策宣传覆盖面不够广。", "在人力资源市场设置政策宣传专区。"), "docx", paths["word"])
    shutil.copy(SEED, paths["seed"])
    paths["bad"].write_text('{"schema_version": 2, "agency": {"name": "某县', encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("review") / "各单位年报"
    return root, build(root)


@pytest.fixture(scope="module")
def result(folder):
    return review([folder[0]], jobs=1)


def _row(result, path: Path):
    return next(r for r in result.rows if Path(r.file) == path)


def _chars(*texts: str) -> int:
    """Normalised characters of the sentences compared (短句 such as “无。” are not)."""
    from nianbao.review.repeats import MIN_CHARS
    from nianbao.text import sentences

    return sum(n for t in texts for s in sentences(t) if (n := len(normalise(s.text))) >= MIN_CHARS)


# ---- rows ----------------------------------------------------------------------------------------

def test_every_file_is_a_row_and_the_damaged_one_says_why(folder, result):
    _, paths = folder
    assert sorted(Path(r.file) for r in result.rows) == sorted(paths.values())
    bad = _row(result, paths["bad"])
    with pytest.raises(StoreError) as e:
        load_any(paths["bad"])
    assert not bad.readable and bad.error == str(e.value) and "JSON" in bad.error
    assert result.exit_code == 2


def test_rows_carry_agency_kind_year_format_and_indicators(folder, result):
    _, paths = folder
    a = _row(result, paths["a24"])
    assert (a.agency, a.kind, a.year, a.format) == (A, "政府部门", 2024, "2021")
    ind = a.indicators
    # filled_2021: 新收 9, 办结 8, 结转 2; 予以公开 3 + 部分公开 2 of 8; one review, corrected; one suit, pending
    assert (ind["apps_new"], ind["apps_done"], ind["apps_forward"]) == (9, 8, 2)
    assert ind["disclosure_rate"] == pytest.approx(5 / 8)
    assert ind["reviews"] == 2 and ind["review_correction_rate"] == pytest.approx(0.5)
    assert ind["suits_corrected"] == 0
    assert (ind["normative_issued"], ind["normative_valid"], ind["licenses"], ind["penalties"]) == (3, 12, 245, 38)
    assert ind["fee_amount"] == pytest.approx(12.5)
    assert ind["normative_made"] is None  # a 2019-format figure: not in this report's format
    seed = _row(result, paths["seed"])
    assert seed.format == "2019" and seed.indicators["normative_issued"] is None
    assert seed.indicators["penalties"] == 96 and seed.indicators["fee_amount"] is None
    word = _row(result, paths["word"])
    assert word.readable and word.agency == W and word.indicators["apps_new"] == 9


def test_the_arithmetic_error_is_counted_and_comes_first(folder, result):
    _, paths = folder
    d = _row(result, paths["d"])
    assert d.errors == 2 and {f.rule for f in d.findings if f.severity == "error"} == {"T3-COL"}
    assert d.worst.rule == "T3-COL" and "自然人" in d.worst.message
    clean = _row(result, paths["a24"])
    assert clean.errors == 0


# ---- repeats -----------------------------------------------------------------------------------------

def test_same_agency_across_years_share_and_examples(folder, result):
    _, paths = folder
    a23, a24 = _row(result, paths["a23"]), _row(result, paths["a24"])
    rp = next(x for x in result.repeats if x.same_agency and (x.a, x.b) == (a23.index, a24.index))
    # P1 (figures and year changed), P2, the problems, measures and 六 are repeated; the new paragraph is not
    r24 = load_any(paths["a24"])[0]
    every = [t for _, t, _, anchor in r24.narrative.items() if anchor != "opening"]
    assert _chars(*every) == _chars(P1_24, P2, NEW_24, PROBLEMS, MEASURES, OTHER)
    assert rp.shared_chars == _chars(P1_24, P2, PROBLEMS, MEASURES, OTHER)
    assert rp.share == pytest.approx(rp.shared_chars / _chars(*every))
    assert 0.5 < rp.share < 0.9
    # the examples are sentences of the 2024 text that are repeated, longest first chosen, in text order
    from nianbao.text import sentences

    repeated = [s.text for s in sentences(P1_24 + P2 + PROBLEMS + MEASURES + OTHER)]
    assert len(rp.examples) == 3 and all(e in repeated for e in rp.examples)
    longest = sorted(repeated, key=lambda t: -len(normalise(t)))[:3]
    assert rp.examples == [t for t in repeated if t in longest]  # the longest three, in text order


def test_two_agencies_sharing_a_paragraph(folder, result):
    _, paths = folder
    b, c = _row(result, paths["b"]), _row(result, paths["c"])
    rp = next(x for x in result.repeats if {x.a, x.b} == {b.index, c.index})
    assert not rp.same_agency
    rb, rc = load_any(paths["b"])[0], load_any(paths["c"])[0]
    of_b = _chars(SHARED) / _chars(*[t for _, t, _, anchor in rb.narrative.items() if anchor != "opening"])
    of_c = _chars(SHARED) / _chars(*[t for _, t, _, anchor in rc.narrative.items() if anchor != "opening"])
    assert rp.share == pytest.approx(max(of_b, of_c)) and rp.shared_chars == _chars(SHARED)
    assert sorted((rp.share_a, rp.share_b)) == pytest.approx(sorted((of_b, of_c)))
    from nianbao.text import sentences

    assert rp.examples and all(e in [s.text for s in sentences(SHARED)] for e in rp.examples)
    # no other pair of different agencies shares that much
    others = [x for x in result.repeats if not x.same_agency and {x.a, x.b} != {b.index, c.index}]
    assert others == []


def test_a_word_changed_still_counts_and_numbers_years_names_do_not_matter():
    assert normalise("（一）2024年，某县市场监督管理局发布信息406条。", ["某县市场监督管理局"]) == \
        normalise("1. 2023年，本局发布信息312条。")
    from nianbao.review.repeats import fingerprint, overlap

    old = _report(A, 2023, [P2], "甲", "乙")
    changed = P2.replace("全年未发生泄密事件", "全年没有发生泄密事件")
    new = _report(A, 2024, [changed], "甲", "乙")
    o = overlap(fingerprint(new), fingerprint(old), set())
    assert o.repeated == o.total == _chars(changed)
    # a sentence that only shares one of its clauses is not a repeat
    other = _report(A, 2024, ["对拟公开的信息逐条履行审核程序，全县各单位共同推进基层政务公开标准化规范化建设。"], "甲", "乙")
    assert overlap(fingerprint(other), fingerprint(old), set()).repeated == 0


def test_boilerplate_many_agencies_share_is_not_counted(tmp_path):
    stock = "现将本年度政府信息公开工作情况报告如下。我们将以更高标准做好政府信息公开工作，切实保障人民群众的知情权。"
    for i in range(6):
        r = _report(f"某县第{i}局", 2024, [stock, f"第{i}局全年办理各类事项{i}万件，" + "各有侧重" * (i + 1) + f"，编号{i}。"],
                    problems=f"第{i}局的问题是{'甲乙丙丁戊己'[i]}方面还有差距。", measures=f"第{i}局将在{'子丑寅卯辰巳'[i]}方面改进。")
        store.save(r, tmp_path / f"{i}.json", backup=False)
    res = review([tmp_path], jobs=1)
    assert [x for x in res.repeats if not x.same_agency] == []
    assert res.common and res.common[0].agencies == 6 and res.common[0].text in stock
    assert not res.common[0].counted and len(res.common[0].users) == 5


def test_a_template_some_units_copied_makes_pairs_of_them(tmp_path):
    """Five of twelve units copy one county template (fewer than half: not boilerplate): every
    pair of the five is listed, and the page names who uses its sentences."""
    template = SHARED + P2
    for i in range(12):
        own = f"第{i}局全年办理各类事项，" + "各有侧重" * (i + 1) + f"，形成第{i}号工作经验材料。"
        r = _report(f"某县第{i}局", 2024, [template if i < 5 else f"第{i}局坚持依法公开，分别在{i}个方面取得进展，"
                                            f"{'甲乙丙丁戊己庚辛壬癸子丑'[i]}项工作位居全县前列。", own],
                    problems=f"第{i}局的问题是{'甲乙丙丁戊己庚辛壬癸子丑'[i]}方面还有差距。", measures="无。")
        store.save(r, tmp_path / f"{i:02d}.json", backup=False)
    res = review([tmp_path], jobs=1)
    pairs = {frozenset((res.rows[x.a].agency, res.rows[x.b].agency)) for x in res.repeats}
    assert pairs == {frozenset((f"某县第{i}局", f"某县第{j}局")) for i in range(5) for j in range(i + 1, 5)}
    top = res.common[0]
    assert top.agencies == 5 and top.counted and {res.rows[i].agency for i in top.users} == {f"某县第{i}局" for i in range(5)}
    assert "某县第0局（2024年度）</a>" in page(res)


# ---- outputs ----------------------------------------------------------------------------------------------

def test_json_on_stdout(folder, capsys):
    root, _paths = folder
    code = main(["review", str(root), "--json"])
    out = capsys.readouterr()
    assert code == 2 and out.err == ""  # no progress bar: stderr is not a terminal
    data = json.loads(out.out)
    assert set(data) == {"reports", "repeats"}
    rep = {Path(r["file"]).name: r for r in data["reports"]}
    assert {"file", "agency", "kind", "year", "format", "errors", "warnings", "indicators"} <= set(rep["2024.json"])
    assert rep["损坏的报告.json"]["readable"] is False and rep["损坏的报告.json"]["error"]
    assert rep["自然资源局2024.json"]["errors"] >= 1
    assert rep["自然资源局2024.json"]["findings"][0]["rule"]
    assert rep["嵩县城市管理局2020.txt"]["indicators"]["normative_issued"] is None
    same = [x for x in data["repeats"] if x["same_agency"]]
    assert len(same) == 1 and Path(same[0]["a"]).name == "2023.json" and Path(same[0]["b"]).name == "2024.json"
    assert 0.5 < same[0]["share"] < 0.9 and same[0]["examples"]
    assert {"a", "b", "same_agency", "share", "examples"} <= set(same[0])


def test_terminal_summary_in_chinese_and_exit_codes(folder, tmp_path, capsys):
    root, paths = folder
    code = main(["review", str(root)])
    text = capsys.readouterr().out
    assert code == 2
    assert "共 8 个文件：读取 7 份报告，无法读取 1 个" in text
    assert "错误最多的报告" in text and "自然资源局2024.json" in text
    assert "无法读取的文件" in text and "损坏的报告.json" in text
    assert f"{A} 2023→2024年度：重复" in text
    assert f"{B}" in text and f"{C}" in text
    # without the damaged file: 1 (a report has errors); without the error too: 0
    only = tmp_path / "两份"
    only.mkdir()
    shutil.copy(paths["d"], only / "d.json")
    shutil.copy(paths["a24"], only / "a.json")
    assert main(["review", str(only)]) == 1
    (only / "d.json").unlink()
    assert main(["review", str(only)]) == 0
    capsys.readouterr()


def test_web_page_rows_link_to_findings(folder, result):
    _, paths = folder
    html = page(result)
    d = _row(result, paths["d"])
    assert d.name == "自然资源局2024.json"  # listed below the folder reviewed
    assert f'<a href="#r{d.index}">{d.name}</a>' in html
    article = html.split(f'<article id="r{d.index}">', 1)[1].split("</article>", 1)[0]
    assert "T3-COL" in article and d.worst.message in article
    bad = _row(result, paths["bad"])
    assert bad.error in html.split(f'<article id="r{bad.index}">', 1)[1].split("</article>", 1)[0]
    # self-contained: inline CSS and SVG, no script, nothing fetched
    assert "<style>" in html and html.count("<svg") == 3
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<link" not in html
    assert html.count("<tr id=\"row-") == len(result.rows)


def test_workbook_holds_the_same_table(folder, result):
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(workbook(result)))
    assert wb.sheetnames == ["汇总", "内容雷同", "问题清单"]
    ws = wb["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("文件", "机关", "类型") and len(rows) == len(result.rows) + 1
    by_file = {r[0]: r for r in rows[1:]}
    d = by_file["自然资源局2024.json"]
    head = list(rows[0])
    assert d[head.index("错误")] >= 1 and d[head.index("机关")] == D
    a = by_file[str(Path("市场监管局") / "2024.json")]
    assert a[head.index("三、依申请公开·实质公开率")] == pytest.approx(5 / 8)
    assert a[head.index("内容雷同·与上一年度重复")] > 0.5
    assert [r[0] for r in wb["内容雷同"].iter_rows(min_row=2, values_only=True)] == ["同一机关跨年度", "同一年度"]


def test_outputs_written_and_not_overwritten_and_a_rerun_skips_its_own_page(folder, tmp_path, capsys):
    root, _ = folder
    work = tmp_path / "年报"
    shutil.copytree(root, work)
    html, xlsx = work / "汇总.html", tmp_path / "汇总.xlsx"
    assert main(["review", str(work), "-o", str(html), "--xlsx", str(xlsx)]) == 2
    out = capsys.readouterr().out
    assert html.exists() and xlsx.exists() and "已写入" in out
    assert main(["review", str(work), "-o", str(html)]) == 2
    assert "已存在" in capsys.readouterr().err
    # the page written into the folder is not read as a report on the next run (even under another name)
    html.rename(work / "上次的汇总.html")
    main(["review", str(work), "--json"])
    files = [Path(r["file"]).name for r in json.loads(capsys.readouterr().out)["reports"]]
    assert "上次的汇总.html" not in files and len(files) == 8


def test_progress_bar_only_on_a_terminal(monkeypatch, capsys):
    from nianbao import cli

    class Tty:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, s: str) -> None:
            self.text += s

        def flush(self) -> None:
            pass

    tty = Tty()
    monkeypatch.setattr(cli.sys, "stderr", tty)
    bar = cli._Bar("读取并检查年报")
    bar(5, 10)
    bar(10, 10)
    bar.stage("正在比较各报告的文字……")
    bar.close()
    assert "\r读取并检查年报 [###############...............] 5/10" in tty.text and "10/10" in tty.text
    assert "\r正在比较各报告的文字……" in tty.text
    # cleared as wide as the widest line: 7 wide characters (14 columns), " [", 30 marks, "] 10/10"
    assert tty.text.endswith("\r" + " " * (14 + 2 + 30 + 7) + "\r")


def test_bad_arguments_are_chinese_messages(tmp_path, capsys):
    assert main(["review", str(tmp_path / "没有这个文件夹")]) == 2
    assert "找不到" in capsys.readouterr().err
    assert main(["review", str(tmp_path)]) == 2
    assert "没有找到可审核的年报文件" in capsys.readouterr().err
    assert main(["review", str(tmp_path), "--min-share", "0"]) == 2
    assert "--min-share" in capsys.readouterr().err


def test_worker_processes_give_the_same_result(folder, result, monkeypatch):
    import nianbao.review as rv

    monkeypatch.setattr(rv, "PARALLEL_FROM", 0)
    par = review([folder[0]], jobs=2)
    assert [(r.file, r.error, r.errors, r.warnings, r.indicators) for r in par.rows] == \
        [(r.file, r.error, r.errors, r.warnings, r.indicators) for r in result.rows]
    assert [(x.a, x.b, round(x.share, 6), x.examples) for x in par.repeats] == \
        [(x.a, x.b, round(x.share, 6), x.examples) for x in result.repeats]
    assert as_json(par) == as_json(result)


# ---- the page in a browser ------------------------------------------------------------------------------

def _headless(exe: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               f"--user-data-dir={tmp}", "--window-size=1400,2000", *args],
                              capture_output=True, timeout=120, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:  # pragma: no cover
        pytest.skip(f"Chromium could not load the page: {e}")


PROBE = """<script>
const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
const main = document.querySelector('table.main');
const charts = Array.from(document.querySelectorAll('figure svg')).map(s => {
  const r = s.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {box: box(s), marks: s.querySelectorAll('rect').length, shown: !!hit && s.contains(hit) || hit === s};
});
document.body.setAttribute('data-probe', JSON.stringify({
  table: box(main), rows: main.querySelectorAll('tbody tr').length,
  cell: main.querySelector('tbody tr td').textContent, charts: charts}));
</script></body>"""


def test_chromium_shows_the_table_and_the_charts(result, tmp_path):
    """The page opened in headless Chromium: the table laid out with every row, the three charts
    drawn (bars present, visible at their centre), and a screenshot with something on it."""
    import html as htmllib

    exe = _chromium()
    text = page(result)
    probe = tmp_path / "probe.html"
    probe.write_text(text.replace("</body>", PROBE), encoding="utf-8")
    dom = _headless(exe, tmp_path / "profile", "--dump-dom", probe.as_uri()).stdout.decode("utf-8")
    m = re.search(r'data-probe="([^"]*)"', dom)
    assert m, "the page did not run the probe"
    seen = json.loads(htmllib.unescape(m.group(1)))
    assert seen["rows"] == len(result.rows)
    width, height = seen["table"]
    assert width > 900 and height > 20 * len(result.rows)
    assert seen["cell"] == result.unreadable[0].name  # unreadable files first
    assert len(seen["charts"]) == 3
    for chart in seen["charts"]:
        w, h = chart["box"]
        assert w >= 300 and h >= 60 and chart["marks"] >= 3 and chart["shown"], chart
    shot = tmp_path / "汇总.png"
    page_file = tmp_path / "汇总.html"
    page_file.write_text(text, encoding="utf-8")
    _headless(exe, tmp_path / "profile2", f"--screenshot={shot}", page_file.as_uri())
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1400 and int.from_bytes(png[20:24], "big") == 2000
    assert len(png) > 60_000  # a blank or unstyled page compresses to far less


def test_review_loads_neither_the_segmenter_nor_textual(folder):
    """Ten thousand reports cannot each wait for jieba: the checks run without the segmenter."""
    code = ("import sys\nfrom nianbao.review import review\nfrom nianbao.review.output import page, workbook\n"
            f"r = review([{str(folder[0])!r}], jobs=1)\npage(r); workbook(r)\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('jieba', 'rjieba', 'textual'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert out.stdout.strip() == ""


# ---- the speed fix in claims.py: terms are only searched in sentences that have their characters -------

def test_the_term_filter_changes_no_hit(seed_text, monkeypatch):
    import nianbao.claims as claims
    from nianbao.figures import TERMS
    from nianbao.text import sentences

    texts = [seed_text, P1_24, P2, SHARED, *(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))]
    sents = [s.text for t in texts for s in sentences(t)]
    # every term's own cue words, alone and inside a sentence, and with the required words
    sents += [f"全年{m}共3件" for t in TERMS for m in re.findall(r"[\u4e00-\u9fff]{2,}", t.pattern)]
    sents += [f"收到{x}申请5件" for x in ("", "政府信息公开", "依申请公开的")]
    filtered = [claims._hits(s, claims._spans(s)) for s in sents]
    everything = (tuple(t.regex for t in TERMS), tuple((i, frozenset()) for i in range(len(TERMS))))
    monkeypatch.setattr(claims, "_term_filters", lambda: everything)
    assert [claims._hits(s, claims._spans(s)) for s in sents] == filtered
    assert sum(map(len, filtered)) > 200  # the sentences do name terms


def test_markup_and_control_characters_in_reports_are_harmless(tmp_path):
    """An agency name or a sentence with markup stays text on the page; control characters an
    imported text may carry do not stop the workbook."""
    import io

    from openpyxl import load_workbook

    for i, name in enumerate(("某县<script>alert(1)</script>局", "某县\x0b乙局")):
        r = _report(name, 2024, ["本局坚持\x0c依法公开，做到应公开尽公开，切实保障群众的知情权、参与权和监督权。"])
        store.save(r, tmp_path / f"{i}.json", backup=False)
    res = review([tmp_path], jobs=1)
    html = page(res)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    wb = load_workbook(io.BytesIO(workbook(res)))
    assert "某县乙局" in [r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True)]
    assert wb["内容雷同"].max_row == 2  # the pair is there, its examples cleaned
