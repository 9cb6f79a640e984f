"""Started in a subprocess by bench_tui: shows the first interactive screen, then exits.

    python bench/startup_probe.py bare|nianbao HOME
"""

from __future__ import annotations

import sys


def main() -> None:
    mode, home = sys.argv[1], sys.argv[2]
    if mode == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("政府信息公开工作年度报告")

            def on_ready(self) -> None:
                self.exit()

        Bare().run(headless=True)
        return
    from pathlib import Path

    from nianbao.tui.app import NianbaoApp

    class Probe(NianbaoApp):
        def on_ready(self) -> None:
            super().on_ready()
            self.exit(0)

    Probe(Path(home), warm_segmenter=False).run(headless=True)


if __name__ == "__main__":
    main()
