"""The headless core imports neither textual nor jieba."""

from __future__ import annotations

import subprocess
import sys

CORE = ["nianbao", "nianbao.model", "nianbao.formats", "nianbao.checks", "nianbao.render", "nianbao.importer",
        "nianbao.store", "nianbao.export", "nianbao.inputs", "nianbao.cli", "nianbao.questions", "nianbao.session",
        "nianbao.workspace", "nianbao.layout", "nianbao.numbers", "nianbao.crossyear", "nianbao.phrases"]


def test_core_does_not_import_textual_or_jieba():
    code = (
        "import importlib, sys\n"
        f"for m in {CORE!r}:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'jieba', 'rjieba'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert out.stdout.strip() == "", out.stdout


def test_tui_imports_textual_but_not_jieba():
    """The first screen does not wait for the segmenter: importing the app does not load jieba."""
    code = ("import sys\nimport nianbao.tui.app\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('jieba', 'rjieba'))))\n"
            "print('textual' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert out.stdout.split("\n")[:2] == ["", "True"], out.stdout
