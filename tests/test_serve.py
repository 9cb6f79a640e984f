"""``nianbao serve``: the assistant in a browser tab.

End to end: the server as a subprocess on a free port of 127.0.0.1; the page fetched over
HTTP; tabs spoken to over textual-serve's websocket protocol (what textual.js does); Ctrl+C
(SIGINT, CTRL_BREAK on Windows); the processes left looked up in the OS.  Where Chromium is
installed, the page is loaded headless and a screenshot saved.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sys
from pathlib import Path

import pytest

pytest.importorskip("textual_serve")
aiohttp = pytest.importorskip("aiohttp")

from nianbao import serve  # noqa: E402
from nianbao.cli import main  # noqa: E402
from nianbao.store import DraftLock, load, save  # noqa: E402

from factories import filled_2021  # noqa: E402
from serving import WINDOWS, Served, Tab, chromium, processes_with, screenshot, wait_until  # noqa: E402

AGENCY = "某县市场监督管理局"


def _draft(home: Path) -> Path:
    """A draft to resume at 开头语 (a text question), written by the terminal version."""
    report = filled_2021(2023, AGENCY)
    report.narrative.opening = ""
    report.meta.session.step = "opening"
    path = home / "drafts" / f"{AGENCY}-2023.json"
    path.parent.mkdir(parents=True)
    save(report, path, backup=False)
    return path


async def _get(url: str, **headers: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(url, headers=headers) as r:
        return r.status, r.headers.get("Content-Type", ""), await r.text(errors="replace")


def _refused(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(5)
        try:
            s.connect((host, port))
        except OSError:
            return True
        return False


# ---- the acceptance test ---------------------------------------------------------------------

async def test_page_websocket_start_screen_and_clean_stop(tmp_path):
    home = tmp_path / "家目录"
    with Served(home) as srv:
        out = srv.output
        assert f"请在浏览器中打开：{srv.url}" in out
        assert f"草稿保存在：{home.resolve() / 'drafts'}" in out
        assert f"导出的文件保存在：{home.resolve() / 'exports'}" in out
        assert "只在本机可以打开" in out and "127.0.0.1" in out

        # the page: served, its bundled script, no URL of another computer, where files go
        status, ctype, html = await _get(srv.url)
        assert status == 200 and ctype.startswith("text/html")
        assert '<script src="/static/js/textual.js"></script>' in html
        assert 'data-session-websocket-url="ws://127.0.0.1:' in html
        urls = re.findall(r"""(?:https?|wss?)://[^\s"'<>()]*""", html)
        assert urls and all(re.match(rf"(?:http|ws)://127\.0\.0\.1:{srv.port}/", u) for u in urls), urls
        assert not re.search(r"""(?:src|href)\s*=\s*["']//|url\(["']?//|@import""", html)
        assert str(home.resolve() / "drafts") in html and str(home.resolve() / "exports") in html
        status, ctype, js = await _get(f"{srv.url}static/js/textual.js")
        assert status == 200 and "javascript" in ctype and "WebSocket" in js
        for face in re.findall(r'url\("(/static/fonts/[^"]+)"\)', html):
            assert (await _get(f"http://127.0.0.1:{srv.port}{face}"))[0] == 200, face

        # 127.0.0.1 only: another name for this computer is refused, another loopback address too
        assert (await _get(srv.url, Host="example.com"))[0] == 403
        if sys.platform.startswith("linux"):  # the whole 127/8 is this computer on Linux
            assert _refused("127.0.0.2", srv.port)
        with pytest.raises(aiohttp.WSServerHandshakeError):  # a page of another site cannot drive it
            async with aiohttp.ClientSession() as http:
                await http.ws_connect(f"ws://127.0.0.1:{srv.port}/ws", headers={"Origin": "http://example.com"})

        # a tab: the start screen's text arrives
        async with Tab(srv.port) as tab:
            await tab.wait_for("政府信息公开工作年度报告 起草助手", "新建报告", "还没有草稿")
            assert f"草稿保存在：{home.resolve() / 'drafts'}"[:20] in tab.text
            if not WINDOWS:
                assert len(processes_with(str(home))) == 2  # the server and this tab's assistant
            code = srv.stop()
            await asyncio.wait_for(tab.closed.wait(), 30)  # the tab is told
        assert code == 0, srv.output
        assert "正在保存并关闭 1 个打开的页面" in srv.output and "已停止。" in srv.output
        assert "Traceback" not in srv.output
    if not WINDOWS:
        assert processes_with(str(home)) == []


# ---- two tabs, one draft; typed text kept ---------------------------------------------------

async def test_two_tabs_on_one_draft_and_the_typed_text_is_kept(tmp_path):
    """The second tab on a draft gets the lock's read-only offer, as a second terminal does;
    a closed tab ends its assistant; Ctrl+C at the server keeps the text typed into the
    first tab (not yet accepted) as quitting the terminal does, and releases the lock."""
    home = tmp_path / "home"
    path = _draft(home)
    lock = DraftLock(path).path
    typed = "（在浏览器中输入，尚未确认）"
    with Served(home) as srv:
        async with Tab(srv.port) as first:
            await first.wait_for(AGENCY)
            await first.send("\r")  # Enter: open the selected draft
            await first.wait_for("开头语", after=len(first.text))
            wait_until(lock.exists, what="the draft's lock")
            holder = json.loads(lock.read_text(encoding="utf-8"))["pid"]
            assert holder != srv.proc.pid

            async with Tab(srv.port) as second:
                await second.wait_for(AGENCY)
                await second.send("\r")
                await second.wait_for("这份草稿已在另一个窗口中打开", "只读打开")
                assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == holder
            if not WINDOWS:  # the closed tab's assistant has ended; the first one runs on
                wait_until(lambda: len(processes_with(str(home))) == 2, what="the closed tab's assistant to end")

            # typed and stopped at once: within the second after which the assistant would
            # store the text by itself, so it is the quit that keeps it
            mark = len(first.text)
            await first.send(typed)
            await first.wait_for("尚未确认）", after=mark)
            assert srv.stop() == 0, srv.output
            await asyncio.wait_for(first.closed.wait(), 30)
    assert typed in load(path).narrative.opening
    assert not lock.exists()
    if not WINDOWS:
        assert processes_with(str(home)) == []


@pytest.mark.skipif(WINDOWS, reason="SIGKILL is POSIX")
async def test_a_killed_server_leaves_no_assistant_behind(tmp_path):
    """The server killed (no Ctrl+C): each tab's assistant sees its pipe close and quits
    through 保存并退出, keeping the typed text and releasing the lock."""
    home = tmp_path / "home"
    path = _draft(home)
    typed = "服务被强行结束前输入的文字"
    with Served(home) as srv:
        async with Tab(srv.port) as tab:
            await tab.wait_for(AGENCY)
            await tab.send("\r")
            await tab.wait_for("开头语", after=len(tab.text))
            mark = len(tab.text)
            await tab.send(typed)
            await tab.wait_for("前输入的文字", after=mark)
            os.kill(srv.proc.pid, signal.SIGKILL)
            srv.proc.wait(timeout=30)
            await asyncio.wait_for(tab.closed.wait(), 30)
        wait_until(lambda: processes_with(str(home)) == [], timeout=40, what="the assistant to quit")
    assert typed in load(path).narrative.opening
    assert not DraftLock(path).path.exists()


# ---- headless Chromium -------------------------------------------------------------------------

async def test_chromium_loads_the_page_and_draws_the_start_screen(tmp_path):
    exe = chromium()
    if exe is None:
        pytest.skip("Chromium is not installed")
    from PIL import Image

    home = tmp_path / "home"
    lock = DraftLock(_draft(home)).path
    shot, opened = tmp_path / "serve-start.png", tmp_path / "serve-opened.png"
    with Served(home) as srv:
        try:  # the start screen; then Enter, typed without a click, opens the draft (its lock is taken)
            seen = await screenshot(exe, srv.url, shot, then=("Enter", lock.exists, opened))
        except (OSError, TimeoutError, StopIteration) as e:  # pragma: no cover
            pytest.skip(f"Chromium could not be driven: {e!r}")
        assert srv.stop() == 0, srv.output
    if os.environ.get("NIANBAO_SCREENSHOTS"):  # to look at them
        Path(os.environ["NIANBAO_SCREENSHOTS"]).mkdir(parents=True, exist_ok=True)
        for png in (shot, opened):
            (Path(os.environ["NIANBAO_SCREENSHOTS"]) / png.name).write_bytes(png.read_bytes())
    assert "-first-byte" in seen["classes"], seen
    assert seen["done"], "Enter in the browser did not open the draft"
    assert not lock.exists()  # released when the server stopped
    # the page asked this server only, for its own files and the websocket
    network = [u for u in seen["requests"] if not u.startswith(("data:", "blob:"))]
    assert network and all(re.match(rf"(?:http|ws)://127\.0\.0\.1:{srv.port}/", u) for u in network), network
    assert any(u.startswith(f"ws://127.0.0.1:{srv.port}/ws") for u in seen["requests"])
    assert not [e for e in seen["errors"] if "Content Security Policy" in e or "Failed to load" in e], seen["errors"]
    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 800)
    # the terminal's first row (below the page's 26 px bar) is the assistant's blue top bar ...
    row = [img.getpixel((x, 36)) for x in range(0, 1280, 4)]
    blue = sum(1 for r, g, b in row if b > 150 and r < 60)
    assert blue > 0.8 * len(row), row[:10]
    # ... with light text drawn on it (the title), and the screen below is not empty
    assert any(min(p) > 180 for p in (img.getpixel((x, y)) for x in range(0, 400) for y in range(28, 44)))
    lit = sum(1 for x in range(0, 1280, 2) for y in range(60, 780, 4) if max(img.getpixel((x, y))) > 120)
    assert lit > 500, lit


# ---- the parts -------------------------------------------------------------------------------

def test_bind_listens_on_loopback_only():
    assert serve.HOST == "127.0.0.1"
    sock = serve.bind(None)
    try:
        assert sock.getsockname()[0] == "127.0.0.1"
        port = sock.getsockname()[1]
        with pytest.raises(serve.ServeError, match=f"端口 {port} 已被其他程序占用"):
            serve.bind(port)
    finally:
        sock.close()
    with pytest.raises(serve.ServeError, match="1 至 65535"):
        serve.bind(70000)


def test_default_port_taken_another_is_used():
    try:
        taken = serve.bind(serve.DEFAULT_PORT)
    except serve.ServeError:
        taken = None  # something else already holds it: the fallback is tested all the same
    try:
        sock = serve.bind(None)
        assert sock.getsockname()[1] != serve.DEFAULT_PORT and sock.getsockname()[0] == "127.0.0.1"
        sock.close()
    finally:
        if taken is not None:
            taken.close()


def test_cli_port_in_use_is_a_chinese_error(tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        assert main(["serve", "--no-browser", "--port", str(port), "--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"错误：端口 {port} 已被其他程序占用" in err and "nianbao serve --port" in err


def test_cli_serve_options(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--port" in out and "--home" in out and "--no-browser" in out and "只在本机" in out
    with pytest.raises(SystemExit) as e:
        main(["serve", "--port", "八千"])
    assert e.value.code == 2 and "不是整数" in capsys.readouterr().err


def test_has_display(monkeypatch):
    for var in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert not serve.has_display()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert serve.has_display()
    monkeypatch.delenv("WAYLAND_DISPLAY")
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        assert serve.has_display()


@pytest.mark.skipif(WINDOWS, reason="the browser command is a POSIX command line")
def test_the_default_browser_is_opened_with_the_address(tmp_path):
    """With a display, the address goes to the default browser (``webbrowser``, which reads
    $BROWSER); with --no-browser or no display it does not."""
    seen = tmp_path / "opened.txt"
    fake = tmp_path / "browser.py"
    fake.write_text(f"import sys, pathlib\npathlib.Path({str(seen)!r}).write_text(sys.argv[1], encoding='utf-8')\n",
                    encoding="utf-8")
    browser = {"BROWSER": f"{sys.executable} {fake} %s", "DISPLAY": ":0"}
    with Served(tmp_path / "home", extra_env=browser, browser=True) as srv:
        wait_until(seen.exists, what="the browser to be opened")
        assert seen.read_text(encoding="utf-8") == srv.url
        assert "已在默认浏览器中打开" in srv.output
        assert srv.stop() == 0
    seen.unlink()
    with Served(tmp_path / "home", extra_env={**browser, "DISPLAY": ""}, browser=True) as srv:
        assert srv.stop() == 0
    assert not seen.exists() and "已在默认浏览器中打开" not in srv.output


def test_font_faces_pair_latin_and_chinese_for_each_weight_and_style():
    """Faces of one family are combined only when their descriptors are equal: each
    (style, weight) has the bundled Latin face and an installed Chinese face."""
    css = serve.font_faces()
    rules = re.findall(r"@font-face \{([^}]*)\}", css)
    groups: dict[tuple[str, str], list[str]] = {}
    for rule in rules:
        assert f'font-family: "{serve.FAMILY}"' in rule
        style = re.search(r"font-style: (\w+)", rule).group(1)
        weight = re.search(r"font-weight: ([\d ]+);", rule).group(1)
        groups.setdefault((style, weight), []).append(rule)
    assert set(groups) == {(s, w) for s in ("normal", "italic") for w in ("100 500", "600 900")}
    for (_, weight), pair in groups.items():
        latin, cjk = pair
        assert 'url("/static/fonts/RobotoMono' in latin and "unicode-range" not in latin
        assert "local(" in cjk and "url(" not in cjk and "U+4E00-9FFF" in cjk and "U+FF00-FF60" in cjk
        assert ('local("Microsoft YaHei Bold")' in cjk) == (weight == "600 900")
        assert 'local("Microsoft YaHei")' in cjk and 'local("PingFang SC Regular")' in cjk
    # the one-cell punctuation (curly quotes, dashes, ellipsis) stays with the Latin face
    ranges = [(int(a, 16), int(b or a, 16)) for a, b in re.findall(r"U\+([0-9A-F]+)(?:-([0-9A-F]+))?", serve.CJK_RANGES)]
    for ch in "“”‘’—…·":
        assert not any(lo <= ord(ch) <= hi for lo, hi in ranges), ch
    for ch in "年报（）：，。、《》０":
        assert any(lo <= ord(ch) <= hi for lo, hi in ranges), ch


def test_the_page_names_the_folders_and_escapes_them(tmp_path):
    html = serve.page("ws://127.0.0.1:8000/ws", tmp_path / "<草稿>", tmp_path / "导出&", font_size=18)
    assert "&lt;草稿&gt;" in html and "导出&amp;" in html and "<草稿>" not in html
    assert 'data-font-size="18"' in html and serve.TITLE in html
    assert "http" not in html.replace("ws://127.0.0.1:8000/ws", "")


async def test_a_file_delivered_by_an_assistant_downloads_with_its_chinese_name(tmp_path):
    """textual's deliver_* (a file handed to the browser) through /download/KEY: streamed in
    the chunks the assistant sends, named in UTF-8 (RFC 5987)."""
    from aiohttp import web

    sock = serve.bind(None)
    server = serve.NianbaoServer(tmp_path, sock, out=lambda _: None)
    chunks = [b"PK\x03\x04", b"rest", b""]

    class Assistant:  # answers each chunk request as an assistant process would
        app_service_id = "tab-1"

        async def send_meta(self, meta: dict) -> bool:
            assert meta["type"] == "deliver_chunk_request"
            await server.downloads.chunk_received(meta["key"], chunks.pop(0))
            return True

    await server.downloads.create_download(app_service=Assistant(), delivery_key="k1",  # type: ignore[arg-type]
                                           file_name="某县审计局-2023.docx", open_method="download",
                                           mime_type="application/octet-stream")
    runner = web.AppRunner(server.make_app(), access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{server.url}download/k1") as r:
                assert r.status == 200 and await r.read() == b"PK\x03\x04rest"
                assert r.headers["Content-Disposition"] == (
                    "attachment; filename*=UTF-8''%E6%9F%90%E5%8E%BF%E5%AE%A1%E8%AE%A1%E5%B1%80-2023.docx")
            async with http.get(f"{server.url}download/k1") as r:  # delivered once
                assert r.status == 404
    finally:
        await runner.cleanup()
        sock.close()


async def test_an_assistant_that_does_not_quit_is_stopped_harder(monkeypatch):
    """Ctrl+Q first; then textual's quit; then the process is killed."""
    monkeypatch.setattr(serve, "QUIT_TIMEOUT", 0.3)
    monkeypatch.setattr(serve, "KILL_TIMEOUT", 1)
    from textual_serve.download_manager import DownloadManager

    async def nothing(*_):
        return None

    session = serve.Session(Path("."), write_bytes=nothing, write_str=nothing, close=nothing,
                            download_manager=DownloadManager())
    stubborn = "import signal, sys, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)\n"
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", stubborn, stdin=asyncio.subprocess.PIPE,
                                                stdout=asyncio.subprocess.PIPE)
    session._process, session._stdin = proc, proc.stdin
    await asyncio.wait_for(session.stop(), 20)
    assert proc.returncode is not None and proc.returncode != 0
    assert session.stopped
    await session.stop()  # once is enough: a second stop does nothing


def test_a_second_ctrl_c_stops_at_once(tmp_path):
    sock = serve.bind(None)
    try:
        server = serve.NianbaoServer(tmp_path, sock, out=lambda _: None)
        killed = []

        class Tab:
            def kill(self) -> None:
                killed.append(self)

        server.sessions = {Tab(), Tab()}  # type: ignore[assignment]
        server.request_stop()
        assert server._stop.is_set() and killed == []
        server.request_stop()
        assert len(killed) == 2
    finally:
        sock.close()
