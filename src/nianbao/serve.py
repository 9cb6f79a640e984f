"""``nianbao serve``: the same assistant in a browser tab, for people who never open a terminal.

textual-serve runs the assistant (``python -m nianbao --home DIR``) once per browser tab and
relays its screen over a websocket; the page, its script and its fonts come from the
textual-serve package, so nothing is fetched from another computer.  The server listens on
127.0.0.1 only: no other computer can connect.

Every tab is its own process, so two tabs on the same draft get the lock the assistant
already takes for two terminals (the second tab opens it read-only).  A tab closed, or the
server stopped with Ctrl+C, quits its assistant the way the terminal does (Ctrl+Q: the text
being typed is stored, the lock released); only an assistant that does not answer is
stopped harder.  The assistants run in their own process group, so the Ctrl+C typed in the
server's terminal reaches the server alone, which then closes each one in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

#: the only interface the server listens on
HOST = "127.0.0.1"
#: the port tried first when none is given (another free port is used when it is taken)
DEFAULT_PORT = 8000
TITLE = "政府信息公开工作年度报告 起草助手"

#: Ctrl+Q, the assistant's own 保存并退出 (a priority binding: it works on every screen)
QUIT_KEY = b"\x11"
#: textual's web driver, changed so that an assistant whose server is gone saves and quits
DRIVER = "nianbao.serve_driver:ServedDriver"
#: seconds an assistant has to save and quit after Ctrl+Q, then after textual's own quit
QUIT_TIMEOUT = 10.0
KILL_TIMEOUT = 3.0

#: Chinese faces installed on the user's computer, best first: monospaced ones, then the
#: common system faces of Windows, macOS and Linux (full and PostScript names: local()
#: matches either); bold ones for bold text, the regular ones after them
CJK_FONTS = (
    "Sarasa Mono SC", "SarasaMonoSC-Regular", "Noto Sans Mono CJK SC", "NotoSansMonoCJKsc-Regular",
    "Microsoft YaHei", "MicrosoftYaHei", "Microsoft YaHei UI", "PingFang SC Regular", "PingFangSC-Regular",
    "Noto Sans CJK SC", "Noto Sans CJK SC Regular", "NotoSansCJKsc-Regular",
    "Source Han Sans SC Regular", "SourceHanSansSC-Regular", "WenQuanYi Zen Hei Mono", "WenQuanYi Micro Hei Mono",
    "WenQuanYi Micro Hei", "DengXian", "SimHei", "NSimSun", "SimSun",
)
CJK_BOLD_FONTS = (
    "Sarasa Mono SC Bold", "SarasaMonoSC-Bold", "Noto Sans Mono CJK SC Bold", "NotoSansMonoCJKsc-Bold",
    "Microsoft YaHei Bold", "MicrosoftYaHei-Bold", "Microsoft YaHei UI Bold", "PingFang SC Semibold",
    "PingFangSC-Semibold", "Noto Sans CJK SC Bold", "NotoSansCJKsc-Bold", "Source Han Sans SC Bold",
    "SourceHanSansSC-Bold", "DengXian Bold", "SimHei",
)
#: what the Chinese face draws: the characters a terminal gives two cells (CJK radicals,
#: punctuation, kana, ideographs, compatibility forms, full-width forms).  The curly quotes,
#: dashes and the ellipsis take one cell and stay with the Latin face.
CJK_RANGES = ("U+2E80-2FDF, U+2FF0-303F, U+3040-30FF, U+3100-312F, U+3190-31FF, U+3200-33FF, U+3400-4DBF, "
              "U+4E00-9FFF, U+F900-FAFF, U+FE10-FE1F, U+FE30-FE4F, U+FF00-FF60, U+FFE0-FFE6, U+20000-2FFFF")
#: a Chinese face is drawn this much larger, so that its square characters fill their two
#: cells (a cell of the Latin face is 0.6 em wide)
CJK_SIZE_ADJUST = "115%"
#: the family textual.js gives the terminal canvas ("'Roboto Mono', Monaco, 'Courier New',
#: monospace"): the page defines it as a composite of the Latin face textual-serve ships and
#: an installed Chinese face
FAMILY = "Roboto Mono"


def font_faces() -> str:
    """The page's @font-face rules.  Faces of one family are combined (by unicode-range)
    only when their weight and style descriptors are the same, so every weight and style
    has a Latin face and a Chinese face with equal descriptors."""
    latin = {"normal": "RobotoMono-VariableFont_wght.ttf", "italic": "RobotoMono-Italic-VariableFont_wght.ttf"}
    out = []
    for style, file in latin.items():
        for weight, names in (("100 500", CJK_FONTS), ("600 900", CJK_BOLD_FONTS + CJK_FONTS)):
            head = f'@font-face {{ font-family: "{FAMILY}"; font-style: {style}; font-weight: {weight};'
            out.append(f'{head} src: url("/static/fonts/{file}") format("truetype"); }}')
            src = ", ".join(f'local("{n}")' for n in names)
            out.append(f"{head} src: {src}; unicode-range: {CJK_RANGES}; size-adjust: {CJK_SIZE_ADJUST}; }}")
    return "\n".join(out)


class ServeError(Exception):
    """A user-facing error (Chinese)."""


def bind(port: int | None = None) -> socket.socket:
    """A listening socket on 127.0.0.1: on ``port``, or on :data:`DEFAULT_PORT` (any free
    port when that one is taken)."""
    if port is not None and not 0 < port < 65536:
        raise ServeError(f"端口号应在 1 至 65535 之间（收到 {port}）")
    tries = [port] if port is not None else [DEFAULT_PORT, 0]
    for p in tries:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            if os.name == "nt":  # another program cannot take over the same port
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)  # type: ignore[attr-defined]
            else:  # a restart right after a stop finds the port free
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((HOST, p))
            sock.listen(128)
        except OSError:
            sock.close()
            continue
        sock.setblocking(False)
        return sock
    if port is None:
        raise ServeError(f"无法在 {HOST} 上打开端口，请用 --port 指定一个端口")
    other = port + 1 if port < 65535 else DEFAULT_PORT
    raise ServeError(f"端口 {port} 已被其他程序占用；请换一个端口，例如：nianbao serve --port {other}")


def has_display() -> bool:
    """Whether a browser window can be opened: always on Windows and macOS; on other
    systems only inside a graphical session (otherwise ``webbrowser`` might start a text
    browser in this very terminal)."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_browser(url: str) -> None:
    """Open ``url`` in the default browser, in a thread of its own (some browsers make the
    call wait until they are closed); a failure leaves only the printed address."""
    import webbrowser

    def go() -> None:
        with contextlib.suppress(Exception):
            webbrowser.open(url, new=2)

    threading.Thread(target=go, name="nianbao-browser", daemon=True).start()


class Session(AppService):
    """One browser tab: one assistant process, ``python -m nianbao --home HOME``."""

    def __init__(self, home: Path, **kwargs: Any) -> None:
        super().__init__(_command(home), **kwargs)
        self.home = home
        self._stop_lock = asyncio.Lock()
        self.stopped = False

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        # exec, not a shell: no quoting of the folder's name, no shell process in between;
        # a process group of its own: the Ctrl+C typed at the server reaches the server only
        env = self._build_environment(width=width, height=height)
        env["PYTHONIOENCODING"] = "utf-8"
        env["TEXTUAL_DRIVER"] = DRIVER
        # (on Windows also a hidden console of its own: closing the server's window ends the
        # server, whose closed pipes then make each assistant save and quit)
        group: dict[str, Any] = (
            {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW}  # type: ignore[attr-defined]
            if os.name == "nt" else {"start_new_session": True})
        self._process = process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "nianbao", "--home", str(self.home),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=env, **group)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Quit the assistant as the terminal does (Ctrl+Q: 保存并退出) and wait for it;
        if it does not answer, textual's own quit; then the process is killed."""
        async with self._stop_lock:
            if self.stopped:
                return
            process = self._process
            if process is not None:
                if process.returncode is None:
                    await self.send_bytes(QUIT_KEY)
                    if not await _exited(process, QUIT_TIMEOUT):
                        await self.send_meta({"type": "quit"})
                        if not await _exited(process, KILL_TIMEOUT):
                            with contextlib.suppress(ProcessLookupError):
                                process.kill()
                            await _exited(process, KILL_TIMEOUT)
                if self._stdin is not None:
                    with contextlib.suppress(Exception):
                        self._stdin.close()
            if self._task is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self._task, KILL_TIMEOUT)
                self._task = None
            with contextlib.suppress(Exception):
                await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            self.stopped = True

    def kill(self) -> None:
        """Stop at once (a second Ctrl+C): every accepted answer is already on disk."""
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()


async def _exited(process: asyncio.subprocess.Process, timeout: float) -> bool:
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        return False
    return True


def _command(home: Path) -> str:
    return subprocess.list2cmdline([sys.executable, "-m", "nianbao", "--home", str(home)])


class NianbaoServer:
    """The web server: the page, textual-serve's static files, one websocket per tab."""

    def __init__(self, home: Path, sock: socket.socket, out: Callable[[str], None] | None = None) -> None:
        import textual_serve

        self.home = Path(home).resolve()
        self.sock = sock
        self.port: int = sock.getsockname()[1]
        self.url = f"http://{HOST}:{self.port}/"
        self.out = out or _print
        self.sessions: set[Session] = set()
        self.downloads = DownloadManager()
        self.statics = Path(textual_serve.__file__).resolve().parent / "static"
        self.stopping = False
        self._stop = asyncio.Event()
        self._hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}
        self._origins = {f"http://{h}" for h in self._hosts}

    # ---- folders -------------------------------------------------------------------------
    @property
    def drafts(self) -> Path:
        from .workspace import drafts_dir

        return drafts_dir(self.home)

    @property
    def exports(self) -> Path:
        return self.home / "exports"  # where the assistant's 导出 writes by default

    # ---- the web application ---------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._only_this_computer])
        app.add_routes([
            web.get("/", self.handle_index),
            web.get("/ws", self.handle_websocket),
            web.get("/download/{key}", self.handle_download),
            web.static("/static", self.statics),
        ])
        return app

    @web.middleware
    async def _only_this_computer(self, request: web.Request, handler: Callable) -> web.StreamResponse:
        """Answer only requests addressed to this server by its own name (a page of another
        site that renamed itself to 127.0.0.1 gets nothing), and a websocket only to this
        server's own page (any other site open in the browser could otherwise drive it)."""
        if request.host not in self._hosts:
            return web.Response(status=403, text="只接受本机的访问。", charset="utf-8")
        origin = request.headers.get("Origin")
        if request.path == "/ws" and origin is not None and origin not in self._origins:
            return web.Response(status=403, text="只接受本页面的连接。", charset="utf-8")
        return await handler(request)

    async def handle_index(self, request: web.Request) -> web.Response:
        size = request.query.get("fontsize", "16")
        font_size = int(size) if size.isdigit() and 8 <= int(size) <= 48 else 16
        html = page(websocket_url=f"ws://{request.host}/ws", drafts=self.drafts, exports=self.exports,
                    font_size=font_size)
        ws_sources = " ".join(f"ws://{h}" for h in sorted(self._hosts))
        csp = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
               f"img-src 'self' data: blob:; font-src 'self'; connect-src 'self' {ws_sources}; "
               "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'")
        return web.Response(text=html, content_type="text/html", charset="utf-8",
                            headers={"Cache-Control": "no-store", "Content-Security-Policy": csp,
                                     "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file an assistant delivers to the browser (textual's ``deliver_*``)."""
        key = request.match_info["key"]
        try:
            meta = await self.downloads.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound(text="没有这个文件。") from None
        from urllib.parse import quote

        response = web.StreamResponse()
        response.content_type = meta.mime_type
        if meta.encoding:
            response.charset = meta.encoding
        how = "inline" if meta.open_method == "browser" else "attachment"
        response.headers["Content-Disposition"] = f"{how}; filename*=UTF-8''{quote(meta.file_name)}"
        await response.prepare(request)
        async for chunk in self.downloads.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One tab: start its assistant, relay keys and screen until either side closes."""
        if self.stopping:
            return web.Response(status=503, text="起草助手正在关闭。", charset="utf-8")
        ws = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        await ws.prepare(request)
        session = Session(self.home, write_bytes=ws.send_bytes, write_str=ws.send_str, close=ws.close,
                          download_manager=self.downloads)
        self.sessions.add(session)
        try:
            await session.start(width, height)
            await self._relay(ws, session)
        except asyncio.CancelledError:
            pass
        except Exception as e:  # one tab's trouble never stops the server
            self.out(f"一个页面的连接出错：{type(e).__name__}: {e}")
        finally:
            await session.stop()
            self.sessions.discard(session)
            with contextlib.suppress(Exception):
                await ws.close()
        return ws

    async def _relay(self, ws: web.WebSocketResponse, session: Session) -> None:
        """The browser's messages (textual-serve's protocol: ``[type, payload]`` as JSON)."""
        import json

        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)
            except (ValueError, TypeError, IndexError, KeyError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await session.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await session.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
            elif kind == "ping":
                await ws.send_json(["pong", data])
            elif kind == "blur":
                await session.blur()
            elif kind == "focus":
                await session.focus()

    # ---- running ---------------------------------------------------------------------------
    def request_stop(self) -> None:
        """Ctrl+C: the first closes every tab's assistant in order; a second stops at once."""
        if self._stop.is_set():
            for s in list(self.sessions):
                s.kill()
            return
        self._stop.set()

    async def run(self, browser: bool = True) -> None:
        loop = asyncio.get_running_loop()
        restore = self._install_signals(loop)
        try:
            await self._run(browser)
        finally:
            restore()

    async def _run(self, browser: bool) -> None:
        runner = web.AppRunner(self.make_app(), handle_signals=False, access_log=None, shutdown_timeout=5)
        await runner.setup()
        site = web.SockSite(runner, self.sock)
        await site.start()
        self.out(f"起草助手已启动，请在浏览器中打开：{self.url}")
        self.out(f"（只在本机可以打开：服务只监听 {HOST}，其他电脑无法连接。）")
        self.out(f"草稿保存在：{self.drafts}")
        self.out(f"导出的文件保存在：{self.exports}")
        if browser and has_display():
            open_browser(self.url)
            self.out("已在默认浏览器中打开；如果没有打开，请把上面的地址复制到浏览器的地址栏。")
        self.out("按 Ctrl+C 停止（每个打开的页面都会先保存再关闭）。")
        try:
            await self._stop.wait()
        finally:
            self.stopping = True
            n = len(self.sessions)
            if n:
                self.out(f"正在保存并关闭 {n} 个打开的页面……")
            await asyncio.gather(*(s.stop() for s in list(self.sessions)), return_exceptions=True)
            await runner.cleanup()
            self.out("已停止。")

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
        """Ctrl+C (and a closed terminal, SIGTERM, Ctrl+Break) call :meth:`request_stop`;
        returns what puts the previous handlers back."""
        if os.name == "nt":  # no loop signal handlers on Windows: the signal module's, woken by the loop
            def handler(signum: int, frame: object) -> None:
                loop.call_soon_threadsafe(self.request_stop)

            sigs = [signal.SIGINT] + ([signal.SIGBREAK] if hasattr(signal, "SIGBREAK") else [])  # Ctrl+Break too
            before = {sig: signal.signal(sig, handler) for sig in sigs}

            def restore() -> None:
                for sig, old in before.items():
                    signal.signal(sig, old)

            return restore
        sigs = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
        for sig in sigs:
            loop.add_signal_handler(sig, self.request_stop)

        def remove() -> None:
            for sig in sigs:
                loop.remove_signal_handler(sig)

        return remove


def page(websocket_url: str, drafts: Path, exports: Path, font_size: int = 16) -> str:
    """The HTML page of the assistant (a Jinja template beside this module)."""
    import jinja2
    import markupsafe

    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    template = env.from_string(Path(__file__).with_name("serve_page.html").read_text(encoding="utf-8"))
    return template.render(title=TITLE, websocket_url=websocket_url, drafts=str(drafts), exports=str(exports),
                           font_size=font_size, font_faces=markupsafe.Markup(font_faces()))


def _int(value: object, default: int) -> int:
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default
    return n if 1 <= n <= 10000 else default


def _print(text: str) -> None:
    if sys.stdout is None:  # started without a console (pythonw)
        return
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def serve(home: Path, port: int | None = None, browser: bool = True) -> int:
    """Serve the assistant on 127.0.0.1 until Ctrl+C; returns the exit code."""
    sock = bind(port)
    if port is None and sock.getsockname()[1] != DEFAULT_PORT:
        _print(f"端口 {DEFAULT_PORT} 已被其他程序占用，改用端口 {sock.getsockname()[1]}。")
    try:
        asyncio.run(_main(Path(home), sock, browser))
    finally:
        sock.close()
    return 0


async def _main(home: Path, sock: socket.socket, browser: bool) -> None:
    await NianbaoServer(home, sock).run(browser)
