"""Command line: ``nianbao`` (the assistant), ``serve`` (the assistant in a browser), ``import``, ``check``,
``export``, ``new``, ``compose``, ``phrases``, ``review``.

Exit codes of ``check``: 0 = no errors (warnings allowed), 1 = errors found,
2 = an input could not be read.  ``review`` the same (a report whose text is incomplete
counts as a report with errors, 1; a file that cannot be read at all, 2).  Every message is Chinese; no traceback reaches the
user (set ``NIANBAO_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .findings import Finding

# the rest is imported where it is used: ``nianbao`` alone starts the assistant without
# loading the checks (the first screen is up sooner)


class CliError(Exception):
    """A user-facing error (Chinese), exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors, in Chinese where we can
        self.print_usage(sys.stderr)
        msg = (message.replace("the following arguments are required", "缺少参数")
               .replace("unrecognized arguments", "无法识别的参数")
               .replace("invalid choice", "无效的选项")
               .replace("expected one argument", "需要一个值")
               .replace("invalid int value", "不是整数"))
        self.exit(2, f"{self.prog}: 错误：{msg}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="nianbao", description="政府信息公开工作年度报告起草助手。不带参数运行即打开对话式起草助手。")
    p.add_argument("--version", action="version", version=f"nianbao {__version__}")
    p.add_argument("--home", help="草稿存放的文件夹（也可用环境变量 NIANBAO_HOME；默认为系统的用户数据目录）")
    sub = p.add_subparsers(dest="cmd", metavar="命令", parser_class=_Parser)

    srv = sub.add_parser("serve", help="在浏览器中打开起草助手（只在本机可以打开，其他电脑无法连接）",
                         description="在浏览器中打开起草助手：与终端中的助手相同，草稿也相同。只在本机可以打开"
                                     "（服务只监听 127.0.0.1，其他电脑无法连接）。按 Ctrl+C 停止，打开的草稿都会保存。")
    srv.add_argument("--port", type=int, help="端口（默认 8000，被占用时自动换一个）")
    srv.add_argument("--home", dest="serve_home", metavar="HOME", help="草稿存放的文件夹（同 nianbao --home）")
    srv.add_argument("--no-browser", action="store_true", help="不自动打开浏览器，只显示地址")

    imp = sub.add_parser("import", help="导入已发布的年报（文本、Word、网页或 PDF），存为 nianbao 报告文件（JSON）")
    imp.add_argument("report", help="年报文件（从网页复制的 .txt，或 .docx / .html / .pdf）")
    imp.add_argument("-o", "--output", required=True, help="输出的 JSON 文件")
    imp.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")

    chk = sub.add_parser("check", help="检查年报（JSON 草稿、已发布年报的文本或整个文件夹）")
    chk.add_argument("paths", nargs="*", metavar="PATH", help="报告文件或文件夹")
    chk.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
    chk.add_argument("--previous", help="上一年度的报告（用于跨年度检查）")
    chk.add_argument("--select", help="只做这些检查（编号或前缀，逗号分隔，如 T3,TEXT-TABLE）")
    chk.add_argument("--exclude", help="不做这些检查（编号或前缀，逗号分隔）")
    chk.add_argument("--list-rules", action="store_true", help="列出全部检查的编号和说明")

    rev = sub.add_parser("review", help="审核一个文件夹中的全部年报：逐份检查、汇总指标、查找内容雷同")
    rev.add_argument("paths", nargs="+", metavar="DIR", help="存放各单位年报的文件夹（含子文件夹），或单个文件")
    rev.add_argument("-o", "--output", help="把汇总写成网页（.html，含图表和每份报告的问题清单）")
    rev.add_argument("--xlsx", help="把汇总表写成 Excel 工作簿（.xlsx）")
    rev.add_argument("--json", action="store_true", help="以 JSON 输出汇总（reports 与 repeats）")
    rev.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    rev.add_argument("--min-share", type=float, default=30, metavar="百分比",
                     help="同一年度的两份报告共用的文字达到其中一份的这一比例时列出（默认 30）")
    rev.add_argument("-j", "--jobs", type=int, metavar="N", help="同时读取的进程数（默认为本机的核数；1 = 不另开进程）")

    exp = sub.add_parser("export", help="导出报告（txt / md / html / docx / xlsx）")
    exp.add_argument("report", help="报告文件（JSON）")
    exp.add_argument("--to", dest="fmt", required=True, help="导出格式：txt、md、html、docx、xlsx")
    exp.add_argument("-o", "--output", required=True, help="输出文件")
    exp.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    exp.add_argument("--draft", action="store_true", help="仍有错误时也导出，标题标注“草稿”")
    exp.add_argument("--fonts", default="auto",
                     help="docx 字体方案：auto（默认，按本机已安装的字体选择）、gb（国标公文字体：方正小标宋简体、"
                          "仿宋_GB2312、楷体_GB2312）或 windows（Windows 常用字体：华文中宋、仿宋、楷体）")
    exp.add_argument("--official-labels", action="store_true", help="表格栏目一律使用国办统一格式的名称")
    exp.add_argument("--crlf", action="store_true", help="txt、md 使用 Windows 换行（CRLF）")
    exp.add_argument("--bom", action="store_true", help="txt 文件开头加 BOM（供旧版 Windows 记事本等程序识别 UTF-8）")
    exp.add_argument("--template", help="用自己的 jinja2 模板排版（在沙箱中运行；与 --to txt/md/html 一起使用）")

    new = sub.add_parser("new", help="新建某年度的报告（可从上一年度的报告带入）")
    new.add_argument("--year", type=int, required=True, help="报告年度")
    new.add_argument("--agency", help="机关名称（不带入上一年度时必填）")
    new.add_argument("--from", dest="previous", help="上一年度的报告（JSON、文本、.docx 或 .html）")
    new.add_argument("-o", "--output", required=True, help="输出的 JSON 文件")
    new.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")

    com = sub.add_parser("compose", help="按本单位的数字和回答撰写总体情况、问题与改进、其他事项")
    com.add_argument("report", help="报告文件（JSON）")
    com.add_argument("-o", "--output", help="输出的 JSON 文件（默认写回原文件，原文件备份为 .bak）")
    com.add_argument("--replace", action="store_true", help="已写好的部分也重新撰写（默认只写还没有写的部分）")
    com.add_argument("--previous", help="上一年度的报告（撰写时避开上一年度的说法，并据此写上年度问题整改情况）")
    com.add_argument("--notes", help="几句说明本年度工作特点的话，用来挑选合适的说法")
    com.add_argument("--section", action="append", help="只撰写某一部分：一、五、六（可写多次）")

    ph = sub.add_parser("phrases", help="按关键词检索常用表述（用于总体情况、问题与改进等）")
    ph.add_argument("query", nargs="*", help="几个关键词，如：网站改版 政策解读 培训")
    ph.add_argument("--section", help="只看某一部分，如 开头语、一、总体情况、五、存在的主要问题及改进情况、六")
    ph.add_argument("--report", help="用这份报告的数据填写表述中的数字")
    ph.add_argument("--top", type=int, default=10, help="显示前 N 条（默认 10）")
    ph.add_argument("--json", action="store_true", help="以 JSON 输出")
    return p


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


# ---- commands ----------------------------------------------------------------------------

def cmd_import(args: argparse.Namespace) -> int:
    from .findings import SEVERITY_ZH
    from .inputs import load_result
    from .store import save

    out = Path(args.output)
    if out.exists() and not args.force:
        raise CliError(f"{out} 已存在；如要覆盖请加 --force")
    result = load_result(args.report)
    report, found = result.report, result.findings
    report.ensure_cells()
    save(report, out, backup=False)
    r = report
    _out(f"已导入：{r.display_title}（{r.year or '年度未知'}年度，{r.spec.title}）")
    _out(result.summary)
    if found:
        _out("导入说明：")
        for f in found:
            _out(f"  - [{SEVERITY_ZH[f.severity]}] {f.message}")
    _out(f"已保存到 {out}")
    open_rows = [f for f in found if f.rule == "IMPORT-CUT"]
    if open_rows:
        _out(f"有 {len(open_rows)} 行的数字读法不唯一，这些单元格已留空（上面列出了每种读法）。请对照原文选定：运行 nianbao "
             f"打开这份报告，在“检查”中逐格填写；或在原文的数字之间加上空格后重新导入。")
    if any(f.rule == "INCOMPLETE" for f in found):
        _err("注意：这份年报的文本不完整，只导入了已有的部分（见上面的导入说明）。")
        return 2
    return 0


def _selectors(text: str | None) -> set[str] | None:
    if not text:
        return None
    out = {x.strip() for x in text.replace("，", ",").split(",") if x.strip()}
    from .checks import rule_ids
    from .rules import matches

    known = rule_ids()
    unknown = sorted(s for s in out if not any(matches(i, {s}) for i in known))
    if unknown:
        raise CliError(f"没有这样的检查编号：{'、'.join(unknown)}（nianbao check --list-rules 列出全部）")
    return out


def _check_one(path: Path, previous: Path | None, select: set[str] | None = None,
               exclude: set[str] | None = None) -> tuple[list[Finding], str]:
    from .checks import check
    from .inputs import load_any
    from .rules import wanted

    report, found = load_any(path)
    prev = load_any(previous)[0] if previous is not None else None
    found = [f for f in found if f.rule == "INCOMPLETE" or wanted(f.rule, select, exclude)]
    # a label variant the importer already reported is not repeated by the checks
    told = {(f.expected, f.found) for f in found if f.rule == "LABEL-VARIANT"}
    findings = found + [f for f in check(report, previous=prev, select=select, exclude=exclude)
                        if not (f.rule == "LABEL-VARIANT" and (f.expected, f.found) in told)]
    return findings, report.display_title


def cmd_check(args: argparse.Namespace) -> int:
    from .checks import summary
    from .inputs import iter_inputs
    from .store import StoreError

    if args.list_rules:
        from .checks import rule_docs, rule_ids

        docs = rule_docs()
        for i in rule_ids():
            _out(f"{i}\t{docs.get(i, '')}")
        return 0
    if not args.paths:
        raise CliError("请给出要检查的报告文件或文件夹")
    select, exclude = _selectors(args.select), _selectors(args.exclude)
    paths = iter_inputs(args.paths)
    if not paths:
        raise CliError("没有找到可检查的报告文件")
    previous = Path(args.previous) if args.previous else None
    results: list[dict] = []
    worst = 0
    rows: list[tuple[str, int, int, str]] = []
    for p in paths:
        try:
            findings, title = _check_one(p, previous, select, exclude)
        except StoreError as e:
            worst = 2
            if args.json:
                results.append({"file": str(p), "rule": "READ", "severity": "error", "message": str(e),
                                "where": "", "expected": "", "found": ""})
            else:
                _out(f"== {p}")
                _out(f"  [无法读取] {e}")
                _out()
            rows.append((str(p), -1, -1, str(e)))
            continue
        e, w = summary(findings)
        if e and worst < 1:
            worst = 1
        incomplete = [f for f in findings if f.rule == "INCOMPLETE"]
        if incomplete:
            worst = 2
        if args.json:
            for f in findings:
                results.append({"file": str(p), "rule": f.rule, "severity": f.severity, "message": f.message,
                                "where": f.where, "expected": f.expected, "found": f.found})
        else:
            _out(f"== {p}  {title}")
            if incomplete:
                _out(f"  [不完整] 这份年报的文本不完整（{incomplete[0].message}），以下检查只针对已读到的部分")
            if not findings:
                _out("  未发现问题。")
            for f in sorted(findings, key=lambda f: (f.severity != "error", f.section)):
                _out(f"  {f.line()}")
            _out(f"  合计：错误 {e} 个，提示 {w} 个")
            _out()
        first = next((f for f in findings if f.severity == "error"), findings[0] if findings else None)
        rows.append((str(p), e, w, first.message if first else ""))
    if args.json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    elif len(paths) > 1:
        _summary_table(rows)
    return worst


def _summary_table(rows: list[tuple[str, int, int, str]]) -> None:
    _out("== 汇总")
    _out("文件\t错误\t提示\t最主要的问题")
    te = tw = bad = 0
    for name, e, w, worst in rows:
        if e < 0:
            bad += 1
            _out(f"{name}\t—\t—\t无法读取：{worst}")
            continue
        te += e
        tw += w
        _out(f"{name}\t{e}\t{w}\t{worst[:60]}")
    ok = sum(1 for _, e, _, _ in rows if e == 0)
    _out(f"共 {len(rows)} 个文件：无错误 {ok} 个，有错误 {len(rows) - ok - bad} 个，无法读取 {bad} 个；"
         f"错误合计 {te} 个，提示合计 {tw} 个")


class _Bar:
    """A progress bar on stderr, drawn only when stderr is a terminal; then one line saying
    what is being done (``stage``).  ``close`` clears the line."""

    WIDTH = 30

    def __init__(self, label: str) -> None:
        self.label = label
        self.on = sys.stderr.isatty()
        self.filled = -1
        self.shown = 0  # display width of the line on screen

    def _show(self, line: str) -> None:
        import unicodedata

        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        sys.stderr.write("\r" + line + " " * max(0, self.shown - width))
        sys.stderr.flush()
        self.shown = max(width, self.shown)

    def __call__(self, done: int, total: int) -> None:
        if not self.on or not total:
            return
        filled = self.WIDTH * done // total
        if filled == self.filled and done != total:
            return
        self.filled = filled
        self._show(f"{self.label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}")

    def stage(self, text: str) -> None:
        if self.on:
            self._show(text)

    def close(self) -> None:
        if self.on and self.shown:
            sys.stderr.write("\r" + " " * self.shown + "\r")
            sys.stderr.flush()
            self.shown = 0


def cmd_review(args: argparse.Namespace) -> int:
    from .review import review
    from .review.output import as_json, terminal, write_page, write_workbook

    outputs = [Path(p) for p in (args.output, args.xlsx) if p]
    for out in outputs:
        if out.exists() and not args.force:
            raise CliError(f"{out} 已存在；如要覆盖请加 --force")
    if args.output and args.xlsx and Path(args.output).resolve() == Path(args.xlsx).resolve():
        raise CliError("-o 与 --xlsx 不能是同一个文件")
    for p in args.paths:
        if not Path(p).exists():
            raise CliError(f"找不到文件或文件夹：{p}")
    if not 0 < args.min_share <= 100:
        raise CliError("--min-share 应为 0 到 100 之间的百分比，如 30")
    if args.jobs is not None and args.jobs < 1:
        raise CliError("--jobs 应为正整数")
    bar = _Bar("读取并检查年报")
    try:
        result = review(args.paths, jobs=args.jobs, progress=bar, min_share=args.min_share / 100, skip=outputs,
                        stage=bar.stage)
        if not result.rows:
            raise CliError("没有找到可审核的年报文件（.json、.txt、.docx、.html 等）")
        written = []
        for path, write in ((args.output, write_page), (args.xlsx, write_workbook)):
            if path:
                bar.stage(f"正在写入 {path}……")
                write(result, Path(path))
                written.append(Path(path))
    finally:
        bar.close()
    if args.json:
        sys.stdout.write(json.dumps(as_json(result), ensure_ascii=False, indent=2) + "\n")
        if written:
            _err("已写入：" + "、".join(str(p) for p in written))
    else:
        for line in terminal(result, written):
            _out(line)
    return result.exit_code


def cmd_export(args: argparse.Namespace) -> int:
    from .checks import check
    from .export import ExportError, ExportOptions, export_report, formats
    from .inputs import load_any

    fmts = formats()
    if args.fmt not in fmts:
        raise CliError(f"不支持的导出格式：{args.fmt}（可选：{'、'.join(fmts)}）")
    out = Path(args.output)
    if out.exists() and not args.force:
        raise CliError(f"{out} 已存在；如要覆盖请加 --force")
    report, found = load_any(args.report)
    errs = [f for f in found + check(report) if f.severity == "error"]
    if errs and not args.draft:
        _err(f"报告还有 {len(errs)} 个错误，未导出。请先改正，或加 --draft 导出草稿（标题会标注“草稿”）：")
        for f in errs[:30]:
            _err(f"  {f.line()}")
        if len(errs) > 30:
            _err(f"  ……另有 {len(errs) - 30} 个")
        return 1
    opts = ExportOptions(draft=args.draft and bool(errs), official_labels=args.official_labels, fonts=args.fonts,
                         crlf=args.crlf, bom=args.bom)
    if args.template:
        from .render import TemplateError, render_user_template
        from .store import atomic_write_text

        if args.fmt not in ("txt", "md", "html"):
            raise CliError("--template 只能用于 txt、md、html 格式")
        try:
            text = render_user_template(report, Path(args.template), opts.official_labels, opts.draft)
        except TemplateError as e:
            raise CliError(str(e)) from None
        except OSError as e:
            raise CliError(f"无法读取模板 {args.template}：{e}") from None
        atomic_write_text(out, text)
        _out(f"已导出：{out.resolve()}")
        return 0
    try:
        export_report(report, args.fmt, out, opts, force=args.force)
    except ExportError as e:
        raise CliError(str(e)) from None
    _out(f"已导出：{out.resolve()}")
    if args.fmt == "docx":
        from .export.fonts import font_profile

        _out(f"字体：{font_profile(opts.fonts).summary()}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .model import new_report
    from .store import save

    out = Path(args.output)
    if out.exists() and not args.force:
        raise CliError(f"{out} 已存在；如要覆盖请加 --force")
    if args.previous:
        from .crossyear import carry_forward
        from .inputs import load_any

        prev, _ = load_any(args.previous)
        report, notes = carry_forward(prev, args.year)
        if args.agency:
            report.agency.name = args.agency
        save(report, out, backup=False)
        _out(f"已新建 {report.display_title}（{report.spec.title}），并从 {args.previous} 带入：")
        for n in notes:
            _out(f"  - {n}")
    else:
        if not args.agency:
            raise CliError("请用 --agency 填写机关名称，或用 --from 指定上一年度的报告")
        report = new_report(args.year, args.agency)
        save(report, out, backup=False)
        _out(f"已新建 {report.display_title}（{report.spec.title}）")
    _out(f"已保存到 {out}")
    return 0


def cmd_compose(args: argparse.Namespace) -> int:
    from .compose import compose
    from .inputs import load_any
    from .store import load, save

    src = Path(args.report)
    if src.suffix.lower() != ".json":
        raise CliError(f"{src.name} 不是 nianbao 的报告文件（.json）；已发布的年报请先用 nianbao import 导入")
    report = load(src)
    out = Path(args.output) if args.output else src
    prev = load_any(args.previous)[0] if args.previous else None
    try:
        res = compose(report, args.section, replace=args.replace, previous=prev, notes=args.notes)
    except ValueError as e:
        raise CliError(str(e)) from None
    save(report, out, backup=out.exists())
    for line in res.lines():
        _out(line)
    _out(f"已保存到 {out}")
    return 0


def cmd_phrases(args: argparse.Namespace) -> int:
    try:
        from .phrases.cli import run as run_phrases
    except ModuleNotFoundError:
        raise CliError("常用表述库尚未安装") from None
    return run_phrases(args)


def cmd_tui(args: argparse.Namespace) -> int:
    from .workspace import home_dir

    home = home_dir(args.home)
    try:
        from .tui.app import run as run_tui
    except ModuleNotFoundError as e:
        if e.name and e.name.startswith("nianbao"):
            _out("对话式起草助手尚未就绪。可用的命令：")
            _parser().print_help()
            return 0
        raise
    return run_tui(home)


def cmd_serve(args: argparse.Namespace) -> int:
    from .workspace import home_dir

    home = home_dir(args.serve_home or args.home)
    try:
        from .serve import ServeError, serve
    except ModuleNotFoundError as e:
        if e.name and e.name.split(".")[0] in ("textual_serve", "aiohttp"):
            raise CliError("浏览器版需要 textual-serve，请先安装：python -m pip install textual-serve") from None
        raise
    try:
        return serve(home, args.port, browser=not args.no_browser)
    except ServeError as e:
        raise CliError(str(e)) from None


COMMANDS = {"serve": cmd_serve, "import": cmd_import, "check": cmd_check, "export": cmd_export, "new": cmd_new,
            "compose": cmd_compose, "phrases": cmd_phrases, "review": cmd_review}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    args = _parser().parse_args(argv)
    try:
        if args.cmd is None:
            return cmd_tui(args)
        return COMMANDS[args.cmd](args)
    except CliError as e:
        _err(f"错误：{e}")
        return 2
    except KeyboardInterrupt:
        _err("已中断。")
        return 130
    except BrokenPipeError:  # output piped into head/less that closed early
        try:
            sys.stdout = open(os.devnull, "w", encoding="utf-8")
        except OSError:
            pass
        return 0
    except Exception as e:
        from .store import StoreError

        if isinstance(e, StoreError):
            _err(f"错误：{e}")
            return 2
        if os.environ.get("NIANBAO_DEBUG"):
            raise
        _err(f"内部错误：{type(e).__name__}: {e}（设置环境变量 NIANBAO_DEBUG=1 可查看详情，请反馈此问题）")
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
