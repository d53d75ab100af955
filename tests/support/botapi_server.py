"""A local Telegram Bot API test server: HTTP on 127.0.0.1 in a background thread.

The API itself (recorded calls, queued updates served through getUpdates, injected 429/5xx failures,
plausible answers for getMe/sendMessage/editMessageText/…) is bot.fakeapi.FakeBotAPI; this module only
puts it behind real HTTP so the bot's real transport (httpx, retries, timeouts) is exercised.

    with BotAPIServer() as server:
        settings.telegram_base_url = server.base_url
        server.api.queue(server.api.message_update(user, "大气法99条"))

Slow methods, per method name in seconds: `accept_delays` pass before the call is recorded (the request
on its way; a client killed meanwhile sent nothing), `delays` after it (Telegram accepted the message, the
answer is on its way; a client killed meanwhile never learns it was delivered).
"""

from __future__ import annotations

import json
import threading
import time
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

from bot.fakeapi import STALL, FakeBotAPI

# values PTB sends as raw strings; everything else is JSON-encoded by PTB's RequestData.json_parameters
_RAW_STRINGS = {"text", "query", "caption", "url", "callback_query_id", "inline_query_id", "description",
                "secret_token", "next_offset", "start_parameter", "language_code", "question", "explanation",
                "type"}


def decode_params(body: bytes, content_type: str) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("multipart/form-data"):  # sendDocument / sendPhoto: fields and the file itself
        message = BytesParser(policy=default).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        params: dict = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                params[f"_file_{name}"] = (part.get_filename(), part.get_payload(decode=True))
            else:
                value = part.get_content()
                params[name] = value if name in _RAW_STRINGS else _json_or_text(value)
        return params
    params = {}
    for key, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True):
        if key in _RAW_STRINGS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _json_or_text(value: str):
    try:
        return json.loads(value)
    except ValueError:
        return value


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes; Nagle would add ~40 ms

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._answer(decode_params(body, self.headers.get("Content-Type", "")))

    def do_GET(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        if path.startswith("/file/"):  # /file/bot<token>/<file_path>: the download behind getFile
            content = self.server.api.download(path.split("/", 3)[3])
            self.send_response(200 if content is not None else 404)
            self.send_header("Content-Length", str(len(content or b"")))
            self.end_headers()
            self.wfile.write(content or b"")
            return
        self._answer(dict(parse_qsl(urlparse(self.path).query)))

    def _answer(self, params: dict) -> None:
        method = urlparse(self.path).path.rsplit("/", 1)[-1]
        if self.server.accept_delays.get(method):
            time.sleep(self.server.accept_delays[method])
        status, payload = self.server.api.handle(method, params)
        if status == STALL:  # accepted (recorded); the answer comes after the client's read timeout
            time.sleep(self.server.stall_seconds)
            status = 200
        if self.server.delays.get(method):  # accepted (recorded); the answer takes this long to come back
            time.sleep(self.server.delays[method])
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a long poll cut short at shutdown)

    def log_message(self, *args) -> None:  # keep test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    api: FakeBotAPI
    delays: dict[str, float]
    accept_delays: dict[str, float]
    stall_seconds: float

    def handle_error(self, request, client_address) -> None:
        pass  # disconnects during shutdown are expected; real errors surface as failed assertions


class BotAPIServer:
    def __init__(self, api: FakeBotAPI | None = None, host: str = "127.0.0.1", port: int = 0,
                 delays: dict[str, float] | None = None, accept_delays: dict[str, float] | None = None):
        self.api = api or FakeBotAPI()
        self.delays = delays if delays is not None else {}  # mutable while the server runs
        self.accept_delays = accept_delays if accept_delays is not None else {}
        self._httpd = _Server((host, port), _Handler)
        self._httpd.api = self.api
        self._httpd.delays, self._httpd.accept_delays = self.delays, self.accept_delays
        self._httpd.stall_seconds = 6.0  # a STALL fault: longer than the tests' read timeout (5 s)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="botapi-server", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> BotAPIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> BotAPIServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
