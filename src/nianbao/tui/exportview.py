"""The 导出 step: choose a format and a file; refuse while errors remain unless 草稿 is chosen;
never overwrite silently; show the full path.  The rules are the session's
(:meth:`nianbao.session.DraftSession.export`); this view shows them."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..session import DraftSession, ui_check
from ..workspace import unique_path
from .widgets import JumpRequested


class ExportView(Vertical):
    def __init__(self, session: DraftSession) -> None:
        super().__init__(id="exportview")
        self.session = session
        self.report = session.report
        from ..export import formats

        self.formats = formats()
        self.fmt = "txt" if "txt" in self.formats else next(iter(self.formats))
        self.errors = [f for f in ui_check(self.report) if f.severity == "error"]
        self.done: Path | None = None

    def compose(self) -> ComposeResult:
        if self.errors:
            yield Static(f"报告还有{len(self.errors)}个错误或未填写的内容（见“检查”一步）。改正后才能导出正式稿；"
                         "也可以勾选“导出草稿”，标题会标注“（草稿）”。", classes="warn")
        else:
            yield Static("检查没有发现错误，可以导出。", classes="qlabel")
        yield Static("导出格式：", classes="qlabel")
        yield OptionList(*[Option(name, id=fmt) for fmt, name in self.formats.items()], id="formats")
        yield Static("保存到（可修改）：", classes="qlabel")
        yield Input(str(self.session.export_path(self.fmt)), id="export-path")
        box = Checkbox("导出草稿（标题标注“草稿”）", id="export-draft", value=False)
        box.display = bool(self.errors)
        yield box
        with Horizontal(classes="buttons"):
            yield Button("导出 ▸", id="export-go", variant="primary")
            if self.errors:
                yield Button("◂ 去检查", id="to-check")
        yield Static("", id="export-msg")

    def on_mount(self) -> None:
        ol = self.query_one("#formats", OptionList)
        ol.highlighted = list(self.formats).index(self.fmt)

    @on(OptionList.OptionHighlighted, "#formats")
    def _fmt_changed(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        fmt = event.option.id or "txt"
        if fmt == self.fmt:
            return
        self.fmt = fmt
        inp = self.query_one("#export-path", Input)
        current = Path(inp.value.strip()) if inp.value.strip() else None
        if current is not None and current.parent != Path("."):
            inp.value = str(unique_path(current.parent, f"{current.stem}.{fmt}"))
        else:
            inp.value = str(self.session.export_path(fmt))

    @on(OptionList.OptionSelected, "#formats")
    def _fmt_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a format exports it (to the path shown below)."""
        event.stop()
        self.export()

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.export()

    @on(Button.Pressed, "#export-go")
    def _go(self, event: Button.Pressed) -> None:
        event.stop()
        self.export()

    @on(Button.Pressed, "#to-check")
    def _to_check(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(JumpRequested("check"))

    def message(self, text: str, error: bool = False) -> None:
        w = self.query_one("#export-msg", Static)
        w.set_class(error, "error")
        w.update(text)
        # the line is below the list on a small screen: bring it into view (the list keeps focus)
        self.call_after_refresh(lambda: w.scroll_visible(animate=False, immediate=True))
        if error:
            self.app.notify(text, severity="error", timeout=8)

    def export(self) -> Path | None:
        draft = self.query_one("#export-draft", Checkbox).value
        res = self.session.export(self.fmt, self.query_one("#export-path", Input).value, draft)
        if not res.ok:
            if res.path is not None:  # the file exists: a free name is proposed
                self.query_one("#export-path", Input).value = str(res.path)
            self.message(res.error, error=True)
            return None
        self.done = res.path
        self.message(f"已导出：{self.done}")
        self.app.notify(f"已导出：{self.done}", timeout=8)
        return self.done
