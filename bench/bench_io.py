"""Import of a published report's text, and the .docx export, each against a baseline in
the same run."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, best_of, row

SEED = ROOT / "tests" / "data" / "songxian-chengguanju-2020.txt"


def bench() -> list[dict]:
    from nianbao.export import export_report, formats
    from nianbao.importer import import_text
    from nianbao.store import dumps, loads

    text = SEED.read_text(encoding="utf-8")
    report = import_text(text).report
    js = dumps(report)
    import_text(text)  # warm caches
    t_imp = best_of(lambda: import_text(text), 20)
    t_json = best_of(lambda: loads(js), 20)
    rows = [row("import", "导入已发布年报的文本（嵩县 2020）", t_imp * 1000, "ms", t_json * 1000, "≤ 50 ms",
                t_imp <= 0.05, "基准：读取同一报告的 JSON 草稿")]
    with tempfile.TemporaryDirectory() as d:
        n = [0]

        def export(fmt: str) -> None:
            n[0] += 1
            export_report(report, fmt, Path(d) / f"o{n[0]}.{fmt}")

        export("txt")
        t_txt = best_of(lambda: export("txt"), 10)
        if "docx" in formats():
            export("docx")
            t_docx = best_of(lambda: export("docx"), 10)
            rows.append(row("docx", "导出 .docx（嵩县 2020）", t_docx, "s", t_txt, "≤ 0.5 s", t_docx <= 0.5,
                            "基准：导出同一报告的 .txt"))
    return rows


if __name__ == "__main__":
    for r in bench():
        print(r)
