"""The 检查 step: every finding, errors first; choosing one jumps to its cell or paragraph."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from .. import questions as Q
from ..checks import check
from ..findings import Finding
from ..model import Report


def check_items(report: Report) -> tuple[list[tuple[str, Text, Finding | str]], tuple[int, int, int]]:
    """(option id, prompt, finding or question key) in the order shown, and the counts
    (errors, warnings, unanswered questions).  Blank cells are not listed one by one: the
    questions still unanswered are listed instead."""
    findings = check(report)
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

    def compose(self) -> ComposeResult:
        e, w, todo = self.counts
        if not e and not todo:
            head = f"没有错误，可以导出了。（提示 {w} 个，可酌情处理）"
        else:
            head = f"错误 {e} 个 · 尚未回答 {todo} 问 · 提示 {w} 个。选中一项按 Enter 跳过去修改。"
        yield Static(head, id="check-head", classes="qlabel")
        if self.items:
            yield OptionList(*[Option(prompt, id=oid) for oid, prompt, _ in self.items], id="findings")
        yield Button("下一步：导出 ▸", id="next-step", variant="primary" if not e and not todo else "default")

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
            await screen.show(step, qid)
        else:
            await screen.jump_to(target)
