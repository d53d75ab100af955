"""A local Telegram Bot API test server: HTTP on 127.0.0.1 in a background thread.

The API itself (recorded calls, queued updates served through getUpdates, injected 429/5xx failures,
plausible answers for getMe/sendMessage/editMessageText/…) is bot.fakeapi.FakeBotAPI; this module only
puts it behind real HTTP so the bot's real transport (httpx, retries, timeouts) is exercised.

    with BotAPIServer() as server:
        settings.telegram_base_url = server.base_url
        server.api.queue(server.api.message_update(user, "大气法99条"))
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

from bot.fakeapi import FakeBotAPI

# values PTB sends as raw strings; everything else is JSON-encoded by PTB's RequestData.json_parameters
_RAW_STRINGS = {"text", "query", "caption", "url", "callback_query_id", "inline_query_id", "description",
                "secret_token", "next_offset", "start_parameter", "language_code"}


def decode_params(body: bytes, content_type: str) -> dict:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
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


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes; Nagle would add ~40 ms

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._answer(decode_params(body, self.headers.get("Content-Type", "")))

    def do_GET(self) -> None:  # noqa: N802
        self._answer(dict(parse_qsl(urlparse(self.path).query)))

    def _answer(self, params: dict) -> None:
        method = urlparse(self.path).path.rsplit("/", 1)[-1]
        status, payload = self.server.api.handle(method, params)
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

    def handle_error(self, request, client_address) -> None:
        pass  # disconnects during shutdown are expected; real errors surface as failed assertions


class BotAPIServer:
    def __init__(self, api: FakeBotAPI | None = None, host: str = "127.0.0.1", port: int = 0):
        self.api = api or FakeBotAPI()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.api = self.api
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
