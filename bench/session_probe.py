"""Started in a subprocess by bench_tui: a scripted full session through the screen (the
township draft of tests/test_tui_walkthrough.py: every section, the tables, 检查, export),
then prints the process's peak memory in MiB.  ``bare``: a bare Textual app under the same
test driver.

    python bench/session_probe.py nianbao|bare HOME
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_mib() -> float:
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


async def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("政府信息公开工作年度报告")

    async with Bare().run_test(size=(120, 40)) as pilot:
        await pilot.press("tab")
        await pilot.pause()


def main() -> None:
    mode = sys.argv[1]
    if mode == "bare":
        asyncio.run(bare())
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        import test_tui_walkthrough as walk

        # the session uses the phrase suggestions too: load the bank and the segmenter
        from nianbao.phrases import load_bank, segment, suggest

        bank = load_bank()
        segment.ensure()
        with tempfile.TemporaryDirectory() as home:
            asyncio.run(walk.test_township_no_applications_no_litigation(Path(home)))
        for q in ("网站改版 栏目", "政策解读 培训", "信息处理费", "依申请公开 答复"):
            assert suggest(bank, q, top=10)
    print(f"{peak_mib():.1f}")


if __name__ == "__main__":
    main()
