"""Webhook mode: PTB's webhook server with the secret token. Updates posted without it, or with another, are
refused (403) and never handled; Telegram's, carrying it, are answered."""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.request

from support.botrun import OFFICER, make_settings

from bot.app import build_application, webhook_options
from bot.fakeapi import FakeBotAPI
from bot.request import RetryingRequest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps({"update_id": 1, **update}).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as err:
        return err.code


def test_secret_is_derived_the_same_for_every_instance_unless_set(tmp_path):
    one = make_settings(tmp_path, "http://127.0.0.1:1", webhook_url="https://bot.example.gov.cn/hook")
    two = make_settings(tmp_path / "b", "http://127.0.0.1:1", webhook_url="https://bot.example.gov.cn/hook")
    assert one.webhook_secret_token == two.webhook_secret_token and len(one.webhook_secret_token) == 64
    assert webhook_options(one)["webhook_url"] == "https://bot.example.gov.cn/hook/123456"
    own = make_settings(tmp_path, "http://127.0.0.1:1", webhook_secret="bureau-Secret_1")
    assert own.webhook_secret_token == "bureau-Secret_1"


async def test_updates_without_the_secret_are_refused(tmp_path, server, kb, db_url):
    port = _free_port()
    settings = make_settings(tmp_path, server.base_url, db_url=db_url, webhook_url=f"http://127.0.0.1:{port}",
                             webhook_port=port)
    app = build_application(settings, kb=kb, request=RetryingRequest(connection_pool_size=16, read_timeout=5))
    await app.initialize()
    await app.post_init(app)
    options = webhook_options(settings)
    await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path=options["url_path"],
                                    webhook_url=options["webhook_url"], secret_token=options["secret_token"])
    await app.start()
    try:
        [set_hook] = [c for c in server.api.calls if c.method == "setWebhook"]
        assert set_hook.params["secret_token"] == settings.webhook_secret_token  # Telegram is told the secret
        url = f"http://127.0.0.1:{port}/{options['url_path']}"
        api: FakeBotAPI = server.api
        update = api.message_update(api.user(OFFICER), "/help")
        before = len(api.sent(OFFICER))
        assert await asyncio.to_thread(_post, url, update, None) == 403
        assert await asyncio.to_thread(_post, url, update, "guessed") == 403
        await asyncio.sleep(0.5)
        assert len(api.sent(OFFICER)) == before  # nothing handled
        assert await asyncio.to_thread(_post, url, update, settings.webhook_secret_token) == 200
        for _ in range(200):
            if len(api.sent(OFFICER)) > before:
                break
            await asyncio.sleep(0.05)
        assert len(api.sent(OFFICER)) == before + 1
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)
