"""nianbao — 政府信息公开工作年度报告起草助手.

The headless core (formats, model, checks, phrases, render, importer, store, export)
imports neither textual nor jieba at import time; the TUI lives in ``nianbao.tui``.
"""

__version__ = "0.1.0"
