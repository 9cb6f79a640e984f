"""Started in a subprocess by bench_tui: shows the first interactive screen and prints
READY at that moment (Textual's on_ready: the first screen is painted and takes keys);
the parent times the line and ends the process.

    python bench/startup_probe.py bare|nianbao HOME
"""

from __future__ import annotations

import sys


def ready() -> None:
    sys.stdout.write("READY\n")
    sys.stdout.flush()


def main() -> None:
    mode, home = sys.argv[1], sys.argv[2]
    if mode == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("政府信息公开工作年度报告")

            def on_ready(self) -> None:
                ready()
                self.exit()

        Bare().run(headless=True)
        return
    from pathlib import Path

    import nianbao.tui.app as tui_app
    from nianbao.tui.app import NianbaoApp

    class Probe(NianbaoApp):
        # Textual resolves CSS_PATH next to the class's own module: point at the app's
        CSS_PATH = str(Path(tui_app.__file__).parent / NianbaoApp.CSS_PATH)

        def on_ready(self) -> None:
            ready()
            super().on_ready()
            self.exit(0)

    Probe(Path(home), warm_segmenter=False).run(headless=True)


if __name__ == "__main__":
    main()
