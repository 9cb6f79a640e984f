"""Benchmark of the phrase bank: ranking latency per query and segmenter warm-up.

``bench()`` returns rows {"id", "name", "value", "unit", "baseline", "ratio", "target", "ok"}:

- ranking latency over the whole bank, p50 and p95 in ms, over ~200 varied queries after
  warm-up, with the seed report (conditions evaluated, slots filled); baseline: the time
  of tokenising the same query alone, in the same run; target: p95 ≤ 5 ms;
- segmenter warm-up (import + dictionary + domain words) in a fresh process, best of 3, in s;
- building the ranking statistics of the bank, in ms.

Run alone: ``python bench/bench_phrases.py``.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "songxian-chengguanju-2020.txt"

FIXED_QUERIES = [
    "网站改版 栏目", "培训", "信息处理费", "统计期限", "联系方式 电话", "政策解读 形式单一", "保密审查",
    "政务新媒体", "依申请公开 答复 规范", "主动公开目录", "整改", "考核 社会评议", "人大代表建议", "工作要点", "无",
    "领导小组", "复议 诉讼", "规范性文件", "工作人员 业务能力", "电子版 下载", "个人信息 隐私", "回应关切 舆情",
    "公开内容 不够全面", "更新不及时", "基层政务公开 标准化", "政府信息公开平台", "编制依据", "结转下年度",
]


def _queries(bank, n: int = 200) -> list[str]:
    rng = random.Random(20240101)
    words = sorted({t for m in bank.moves for t in (m.name, *m.tags) if t})
    out = list(FIXED_QUERIES)
    while len(out) < n:
        k = rng.choice((1, 1, 2, 2, 3))
        out.append(" ".join(rng.sample(words, k)))
    return out[:n]


def _row(id: str, name: str, value: float, unit: str, baseline: float | None, target: float | None,
         note: str = "") -> dict:
    ratio = (value / baseline) if baseline else None
    return {"id": id, "name": name, "value": round(value, 4), "unit": unit,
            "baseline": round(baseline, 4) if baseline is not None else None,
            "ratio": round(ratio, 2) if ratio is not None else None,
            "target": f"≤ {target:g} {unit}" if target is not None else "—",
            "ok": (value <= target) if target is not None else None, "note": note}


def _warmup_seconds(runs: int = 3) -> float:
    """jieba's import + initialisation in a fresh process where nianbao is already
    imported, as in the assistant (best of ``runs``)."""
    code = ("import time; from nianbao.phrases import segment; t = time.perf_counter(); segment.ensure(); "
            "print(time.perf_counter() - t)")
    best = float("inf")
    for _ in range(runs):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                           check=True)
        best = min(best, float(r.stdout.strip().splitlines()[-1]))
    return best


def bench() -> list[dict]:
    from nianbao.importer import import_text
    from nianbao.phrases import load_bank, segment, suggest
    from nianbao.phrases.rank import index

    warm = _warmup_seconds()
    segment.ensure()
    bank = load_bank()
    fresh = load_bank(bank.folder, reload=True)  # a fresh bank: its statistics are not built yet
    t0 = time.perf_counter()
    index(fresh)
    build_ms = (time.perf_counter() - t0) * 1000
    report = import_text(SEED.read_text(encoding="utf-8"), SEED.name).report
    queries = _queries(fresh)
    for q in queries[:20]:  # warm-up
        suggest(fresh, q, report, top=10)
    rank_ms: list[float] = []
    tok_ms: list[float] = []
    for _ in range(3):
        for q in queries:
            t = time.perf_counter()
            segment.tokens(q, search=True)
            tok_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            suggest(fresh, q, report, top=10)
            rank_ms.append((time.perf_counter() - t) * 1000)
    variants = len(fresh.variants)
    return [
        _row("phrases_p50", f"常用表述排序 p50（{len(queries)} 个查询，{variants} 条表述）", statistics.median(rank_ms), "ms",
             statistics.median(tok_ms), 5.0, "基准：只对查询分词"),
        _row("phrases_p95", f"常用表述排序 p95（{len(queries)} 个查询，{variants} 条表述）", percentile(rank_ms, 95), "ms",
             percentile(tok_ms, 95), 5.0, "基准：只对查询分词"),
        _row("segmenter", f"分词器加载（{segment.backend()}，后台进行）", warm, "s", None, 2.0, "首屏之后在后台线程中加载"),
        _row("phrases_index", "建立表述库的排序索引", build_ms, "ms", None, 1000.0),
    ]


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    for row in bench():
        print(json.dumps(row, ensure_ascii=False))
