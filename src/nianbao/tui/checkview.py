"""The 检查 step: every finding, errors first; choosing one jumps to its cell or paragraph."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from .. import questions as Q
from ..checks import check
from ..findings import Finding
from ..model import Report


def ui_check(report: Report) -> list[Finding]:
    """``check(report)`` without loading the segmenter on the UI thread: the 内容雷同 rule
    (COPY-RATE) needs it, so until the segmenter is ready it is left out here and computed
    in a worker by the 检查 step."""
    if not (report.meta.previous or {}).get("report") or segmenter_ready():
        return check(report)
    return check(report, exclude_needs={"segmenter"})


def segmenter_ready() -> bool:
    try:
        from ..phrases import segment
    except ImportError:
        return True  # no phrase bank: check() skips COPY-RATE by itself
    return segment.is_ready()


def copy_rate_line(sim: Any) -> str:
    """The 内容雷同 line at the top of the 检查 step."""
    line = f"与上一年度报告文字重复 {sim.percent:.0f}%"
    if sim.worst_place:
        line += f"（主要在{sim.worst_place}）"
    return line


def check_items(report: Report) -> tuple[list[tuple[str, Text, Finding | str]], tuple[int, int, int]]:
    """(option id, prompt, finding or question key) in the order shown, and the counts
    (errors, warnings, unanswered questions).  Blank cells are not listed one by one: the
    questions still unanswered are listed instead."""
    findings = ui_check(report)
    items: list[tuple[str, Text, Finding | str]] = []
    real = [f for f in findings if f.rule != "BLANK"]
    errors = [f for f in real if f.severity == "error"]
    warns = [f for f in real if f.severity == "warning"]
    for i, f in enumerate(errors):
        t = Text()
        t.append("错误 ", style="bold red")
        t.append(f.message)
        if f.expected or f.found:
            t.append(f"（应为 {f.expected or '—'}，实为 {f.found or '—'}）", style="dim")
        items.append((f"e{i}", t, f))
    todo: list[tuple[str, Q.Question]] = []
    for step in Q.steps(report):
        for q in Q.unanswered(report, step.key):
            todo.append((step.title, q))
    for i, (title, q) in enumerate(todo):
        t = Text()
        t.append("未答 ", style="bold yellow")
        t.append(f"{title}：{q.name}")
        items.append((f"q{i}", t, f"{q.step}|{q.id}"))
    # blank cells outside any question still asked (e.g. a table the skip-logic did not reach)
    covered = {c for s in Q.STEP_KEYS for q in Q.unanswered(report, s) for c in q.cells}
    for i, f in enumerate(x for x in findings if x.rule == "BLANK" and not set(x.cells) <= covered):
        t = Text()
        t.append("空白 ", style="bold yellow")
        t.append(f.message)
        items.append((f"b{i}", t, f))
    for i, f in enumerate(warns):
        t = Text()
        t.append("提示 ", style="bold")
        t.append(f.message)
        items.append((f"w{i}", t, f))
    return items, (len(errors), len(warns), len(todo))


class CheckView(Vertical):
    def __init__(self, report: Report) -> None:
        super().__init__(id="checkview")
        self.report = report
        self.items, self.counts = check_items(report)
        #: last year's report is known: the 内容雷同 percentage is computed in a worker
        self.compare = bool((report.meta.previous or {}).get("report"))
        self.copy_rate = ""  # the line once computed

    def _head(self) -> str:
        e, w, todo = self.counts
        if not e and not todo:
            return f"没有错误，可以导出了。（提示 {w} 个，可酌情处理）"
        return f"错误 {e} 个 · 尚未回答 {todo} 问 · 提示 {w} 个。选中一项按 Enter 跳过去修改。"

    def compose(self) -> ComposeResult:
        e, _, todo = self.counts
        if self.compare:
            yield Static("与上一年度报告文字重复：计算中…", id="copy-rate", classes="qhelp")
        yield Static(self._head(), id="check-head", classes="qlabel")
        ol = OptionList(*[Option(prompt, id=oid) for oid, prompt, _ in self.items], id="findings")
        ol.display = bool(self.items)
        yield ol
        yield Button("下一步：导出 ▸", id="next-step", variant="primary" if not e and not todo else "default")

    def on_mount(self) -> None:
        if self.compare:
            self._similarity()

    @work(thread=True, exclusive=True, exit_on_error=False, group="copy-rate")
    def _similarity(self) -> None:
        """内容雷同 against last year's report (loads the segmenter: never on the UI thread)."""
        try:
            from ..phrases.checks import check_similarity, previous_texts
            from ..phrases.similarity import similarity
        except ImportError:
            self.app.call_from_thread(self._similarity_ready, "", [])
            return
        theirs = previous_texts(self.report) or []
        mine = [(p, t) for p, t in self.report.narrative.texts() if p != "开头语"]
        try:
            line = copy_rate_line(similarity(mine, theirs)) if mine and theirs else "与上一年度报告文字重复 0%"
            found = check_similarity(self.report)
        except Exception as e:  # never let a worker error reach the user as a crash
            line, found = f"无法计算与上一年度报告的文字重复率（{type(e).__name__}）", []
        self.app.call_from_thread(self._similarity_ready, line, found)

    def _similarity_ready(self, line: str, found: list[Finding]) -> None:
        if not self.is_attached:
            return
        self.copy_rate = line
        try:
            self.query_one("#copy-rate", Static).update(line or "未安装常用表述库，无法计算文字重复率")
        except Exception:
            return
        listed = any(not isinstance(t, str) and t.rule == "COPY-RATE" for _, _, t in self.items)
        new = [f for f in found if f.rule == "COPY-RATE"]
        if listed or not new:
            return
        ol = self.query_one("#findings", OptionList)
        e, w, todo = self.counts
        for i, f in enumerate(new, w):
            t = Text()
            t.append("提示 ", style="bold")
            t.append(f.message)
            self.items.append((f"w{i}", t, f))
            ol.add_option(Option(t, id=f"w{i}"))
        self.counts = (e, w + len(new), todo)
        ol.display = True
        self.query_one("#check-head", Static).update(self._head())

    @on(OptionList.OptionSelected, "#findings")
    async def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = next((t for oid, _, t in self.items if oid == event.option.id), None)
        screen = self.screen
        from .draft import DraftScreen

        if target is None or not isinstance(screen, DraftScreen):
            return
        if isinstance(target, str):
            step, qid = target.split("|", 1)
            await screen.show(step, qid, from_check=True)
        else:
            await screen.jump_to(target)
