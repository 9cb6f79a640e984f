"""The segmenter adapter: silent, per-user cache, background warm-up, domain words."""

from __future__ import annotations

import subprocess
import sys

from nianbao.phrases import segment


def _py(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_warm_in_background_is_silent_and_uses_user_cache():
    code = (
        "import sys\n"
        "from nianbao.phrases import segment, warm, is_ready, load_bank\n"
        "bank = load_bank()\n"
        "t = warm(bank)\n"
        "assert t is not None\n"
        "t.join(60)\n"
        "assert is_ready(bank) and segment.is_ready()\n"
        "assert warm(bank) is None\n"
        "d = segment.cache_dir()\n"
        "assert d is not None and d.is_dir()\n"
        "if segment.backend() == 'jieba':\n"
        "    import jieba\n"
        "    assert jieba.dt.tmp_dir == str(d), jieba.dt.tmp_dir\n"
        "print(segment.backend(), round(segment.init_seconds(), 3))\n"
    )
    r = _py(code)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # jieba's "Building prefix dict…" never reaches the screen
    assert r.stdout.split()[0] in ("jieba", "rjieba")


def test_concurrent_first_use_is_safe():
    code = (
        "import threading\n"
        "from nianbao.phrases import segment\n"
        "out = []\n"
        "def work():\n"
        "    out.append(tuple(segment.tokens('依申请公开办理和政府信息公开申请')))\n"
        "ts = [threading.Thread(target=work) for _ in range(4)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]\n"
        "assert len(set(out)) == 1 and len(out) == 4, out\n"
    )
    r = _py(code)
    assert r.returncode == 0, r.stderr


def test_tokens_keep_domain_terms_and_drop_noise():
    toks = segment.tokens("依申请公开的办理，危及“三安全一稳定”；政务新媒体和信息处理费。{year}年")
    assert {"依申请公开", "三安全一稳定", "政务新媒体", "信息处理费"} <= set(toks)
    assert not {"的", "，", "“", "和", "year"} & set(toks)
    assert segment.tokens("ABC 网站") == ["abc", "网站"]
    search = segment.tokens("政府信息公开平台", search=True)
    assert "政府信息公开" in search and "公开" in search
