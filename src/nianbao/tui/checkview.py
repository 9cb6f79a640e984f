"""The 检查 step: every finding, errors first; choosing one jumps to its cell or paragraph."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..findings import Finding
from ..session import CheckItem, DraftSession, check_items, counts, segmenter_ready, ui_check
from .widgets import JumpRequested

__all__ = ["CheckView", "segmenter_ready", "ui_check"]


def copy_rate_line(sim: Any) -> str:
    """The 内容雷同 line at the top of the 检查 step."""
    line = f"与上一年度报告文字重复 {sim.percent:.0f}%"
    if sim.worst_place:
        line += f"（主要在{sim.worst_place}）"
    return line


STYLE = {"error": ("错误 ", "bold red"), "todo": ("未答 ", "bold yellow"), "blank": ("空白 ", "bold yellow"),
         "warning": ("提示 ", "bold")}


def prompt(item: CheckItem) -> Text:
    word, style = STYLE[item.kind]
    t = Text()
    t.append(word, style=style)
    t.append(item.text)
    if item.detail:
        t.append(item.detail, style="dim")
    return t


class CheckView(Vertical):
    def __init__(self, session: DraftSession) -> None:
        super().__init__(id="checkview")
        self.session = session
        self.report = session.report
        self.items: list[CheckItem] = check_items(self.report, ui_check(self.report))
        self.counts = counts(self.items)
        #: last year's report is known: the 内容雷同 percentage is computed in a worker
        self.compare = self.report.meta.previous.report is not None
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
        ol = OptionList(*[Option(prompt(item), id=item.oid) for item in self.items], id="findings")
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
        listed = any(i.finding is not None and i.finding.rule == "COPY-RATE" for i in self.items)
        new = [f for f in found if f.rule == "COPY-RATE"]
        if listed or not new:
            return
        ol = self.query_one("#findings", OptionList)
        e, w, todo = self.counts
        for i, f in enumerate(new, w):
            item = CheckItem(f"w{i}", "warning", f.message, finding=f)
            self.items.append(item)
            ol.add_option(Option(prompt(item), id=item.oid))
        self.counts = (e, w + len(new), todo)
        ol.display = True
        self.query_one("#check-head", Static).update(self._head())

    @on(OptionList.OptionSelected, "#findings")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = next((i for i in self.items if i.oid == event.option.id), None)
        if item is None:
            return
        if item.finding is not None:
            self.post_message(JumpRequested(finding=item.finding))
        else:
            self.post_message(JumpRequested(item.step, item.question))
