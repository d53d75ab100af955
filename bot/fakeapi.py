"""An in-memory Telegram Bot API: answers the methods the bot uses and records every call.

Used in-process by the console (`LocalRequest` below) and over HTTP by tests/botapi_server.py, so the
console, the tests and the benchmark all run the real PTB Application unchanged.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

JSON = dict[str, Any]


@dataclass
class Call:
    method: str
    params: JSON
    at: float
    status: int = 200  # an injected failure records its status here


STALL = -1  # a fault kind and the status handle() returns for it: accepted, the answer held past the timeout

class FakeBotAPI:
    def __init__(self, bot_id: int = 7000001, username: str = "lawbot_test_bot"):
        self.bot = {
            "id": bot_id, "is_bot": True, "first_name": "执法助手", "username": username,
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": True,
        }
        self.calls: list[Call] = []
        self._updates: deque[JSON] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._query_ids = itertools.count(1)
        # poll ids are unique across runs, as Telegram's are: the console's database outlives its fake API
        self._poll_ids = itertools.count(time.time_ns() // 1000)
        self.polls: dict[str, JSON] = {}  # poll id -> the poll as sent (question, options, right ids)
        self.files: dict[str, tuple[str, bytes]] = {}  # file id -> (file name, content) of documents and photos
        self._failures: deque[tuple[int, int | None]] = deque()
        # fault injection: every `fail_every`-th call (getUpdates aside) fails with the next of `fail_kinds`;
        # the kind (STALL, None) is a timeout: Telegram accepts the call but the answer comes too late
        self.fail_every = 0
        self.stalls = 0  # STALL faults injected so far
        self.fail_kinds: list[tuple[int, int | None]] = [(429, 0), (500, None), (502, None)]
        self._counted = 0
        self.messages: dict[tuple[int, int], JSON] = {}  # (chat, message id) -> current message
        self._cond = threading.Condition()

    # --- the API ----------------------------------------------------------------------------------
    def handle(self, method: str, params: JSON) -> tuple[int, JSON]:
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        with self._cond:
            failure = self._failures.popleft() if self._failures else None
            if failure is None and self.fail_every:
                self._counted += 1
                if self._counted % self.fail_every == 0:  # a steady share of failures, rotating their kinds
                    failure = self.fail_kinds[(self._counted // self.fail_every) % len(self.fail_kinds)]
            stalled = failure is not None and failure[0] == STALL
            if stalled:
                failure = None
                self.stalls += 1
            self.calls.append(Call(method, params, time.monotonic(), failure[0] if failure else 200))
            self._cond.notify_all()
        if failure:
            status, retry_after = failure
            body: JSON = {"ok": False, "error_code": status, "description": f"injected failure {status}"}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return status, body
        handler = getattr(self, f"_{method}", None)
        result = handler(params) if handler else True
        return (STALL if stalled else 200), {"ok": True, "result": result}

    def _getMe(self, _p: JSON) -> JSON:
        return self.bot

    def _getMyCommands(self, _p: JSON) -> list:
        return []

    def _sendMessage(self, p: JSON) -> JSON:
        chat_id = int(p["chat_id"])
        msg: JSON = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"}, "from": self.bot, "text": p.get("text", ""),
        }
        if p.get("reply_markup"):
            msg["reply_markup"] = _as_json(p["reply_markup"])
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _sendPoll(self, p: JSON) -> JSON:
        """A quiz poll as Telegram returns it; the right option ids are kept (Telegram shows them to the bot)."""
        chat_id = int(p["chat_id"])
        options = [o if isinstance(o, str) else o.get("text", "") for o in _as_json(p.get("options") or [])]
        right = _as_json(p.get("correct_option_ids")) or ([int(p["correct_option_id"])]
                                                          if p.get("correct_option_id") is not None else [])
        poll_id = str(next(self._poll_ids))
        poll: JSON = {
            "id": poll_id, "question": p.get("question", ""),
            "options": [{"text": o, "voter_count": 0, "persistent_id": f"{poll_id}-{i}"} for i, o in enumerate(options)],
            "total_voter_count": 0,
            "is_closed": False, "is_anonymous": bool(_as_json(p.get("is_anonymous", True))),
            "type": p.get("type", "regular"),
            "allows_multiple_answers": bool(_as_json(p.get("allows_multiple_answers", False))), "allows_revoting": False, "members_only": False,
            "correct_option_ids": right,
            "explanation": p.get("explanation"),
            "open_period": p.get("open_period"),
        }
        self.polls[poll_id] = {**poll, "chat_id": chat_id}
        msg: JSON = {"message_id": next(self._message_ids), "date": int(time.time()),
                     "chat": {"id": chat_id, "type": "private"}, "from": self.bot, "poll": poll}
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _upload(self, p: JSON, kind: str) -> JSON:
        """sendDocument / sendPhoto: the uploaded file is kept (tests read it back) and described as Telegram does."""
        chat_id = int(p["chat_id"])
        upload = p.get(f"_file_{kind}") or ("file", b"")
        file_id = f"{kind}-{len(self.files) + 1}"
        self.files[file_id] = upload
        msg: JSON = {"message_id": next(self._message_ids), "date": int(time.time()),
                     "chat": {"id": chat_id, "type": "private"}, "from": self.bot, "caption": p.get("caption")}
        described = {"file_id": file_id, "file_unique_id": file_id, "file_size": len(upload[1])}
        if kind == "photo":
            msg["photo"] = [{**described, "width": 800, "height": 600}]
        else:
            msg["document"] = {**described, "file_name": upload[0]}
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _sendDocument(self, p: JSON) -> JSON:
        return self._upload(p, "document")

    def _getFile(self, p: JSON) -> JSON:
        """getFile: where the file can be downloaded (…/file/bot<token>/<file_path>), as Telegram answers."""
        file_id = str(p["file_id"])
        name, content = self.files.get(file_id, ("", b""))
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(content),
                "file_path": f"files/{file_id}"}

    def download(self, file_path: str) -> bytes | None:
        """The bytes behind a getFile path (the HTTP server and the in-process transport serve these)."""
        file_id = file_path.rsplit("/", 1)[-1]
        found = self.files.get(file_id)
        return found[1] if found else None

    def add_file(self, name: str, content: bytes, kind: str = "document") -> str:
        """A file an officer sends: kept under a new file id for getFile and the download."""
        file_id = f"in-{kind}-{len(self.files) + 1}"
        self.files[file_id] = (name, content)
        return file_id

    def _sendPhoto(self, p: JSON) -> JSON:
        return self._upload(p, "photo")

    def _editMessageText(self, p: JSON) -> JSON | bool:
        if "inline_message_id" in p:
            return True
        key = (int(p["chat_id"]), int(p["message_id"]))
        msg = dict(self.messages.get(key) or {
            "message_id": key[1], "date": int(time.time()), "chat": {"id": key[0], "type": "private"},
            "from": self.bot,
        })
        msg["text"] = p.get("text", "")
        msg["edit_date"] = int(time.time())
        msg.pop("reply_markup", None)
        if p.get("reply_markup"):
            msg["reply_markup"] = _as_json(p["reply_markup"])
        self.messages[key] = msg
        return msg

    def _get_updates(self, p: JSON) -> list[JSON]:
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)  # short polls keep test shutdown fast
        with self._cond:
            while True:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()  # confirmed by the offset
                if self._updates or time.monotonic() >= deadline:
                    return list(self._updates)[: int(p.get("limit") or 100)]
                self._cond.wait(deadline - time.monotonic())

    # --- test controls ----------------------------------------------------------------------------
    def fail_next(self, n: int = 1, status: int = 429, retry_after: int | None = 1) -> None:
        """The next n calls (getUpdates excepted) fail with `status`."""
        with self._cond:
            self._failures.extend([(status, retry_after if status == 429 else None)] * n)

    def queue(self, update: JSON) -> JSON:
        with self._cond:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def wait_for(self, predicate, timeout: float = 10.0) -> list[Call]:
        """Block until predicate(calls) is true; returns the calls."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self.calls):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met; calls: {[c.method for c in self.calls]}")
                self._cond.wait(remaining)
            return list(self.calls)

    def sent(self, chat_id: int | None = None, method: str = "sendMessage") -> list[JSON]:
        """Params of the successful calls of `method` (to one chat), in order."""
        return [c.params for c in list(self.calls) if c.method == method and c.status == 200
                and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    # --- update builders --------------------------------------------------------------------------
    @staticmethod
    def user(user_id: int, name: str = "张三") -> JSON:
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}

    def message_update(self, user: JSON, text: str) -> JSON:
        msg: JSON = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": {"id": user["id"], "type": "private", "first_name": user["first_name"]},
            "from": user, "text": text,
        }
        if text.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"message": msg}

    def document_update(self, user: JSON, name: str, content: bytes, size: int | None = None) -> JSON:
        """An officer sends a file; `size` overrides the size Telegram reports (to test limits cheaply)."""
        file_id = self.add_file(name, content)
        update = self.message_update(user, "")
        msg = update["message"]
        del msg["text"]
        msg["document"] = {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                           "file_size": len(content) if size is None else size}
        return update

    def photo_update(self, user: JSON, content: bytes, media_group_id: str | None = None) -> JSON:
        file_id = self.add_file("photo.jpg", content, "photo")
        update = self.message_update(user, "")
        msg = update["message"]
        del msg["text"]
        msg["photo"] = [{"file_id": file_id, "file_unique_id": file_id, "file_size": len(content),
                         "width": 1200, "height": 1600}]
        if media_group_id:
            msg["media_group_id"] = media_group_id
        return update

    def callback_update(self, user: JSON, message: JSON, data: str) -> JSON:
        return {"callback_query": {
            "id": str(next(self._query_ids)), "from": user, "chat_instance": str(user["id"]),
            "message": message, "data": data,
        }}

    def poll_answer_update(self, user: JSON, poll_id: str, option_ids: list[int]) -> JSON:
        return {"poll_answer": {"poll_id": poll_id, "user": user, "option_ids": list(option_ids),
                                "option_persistent_ids": [f"{poll_id}-{i}" for i in option_ids]}}

    def inline_update(self, user: JSON, query: str) -> JSON:
        return {"inline_query": {"id": str(next(self._query_ids)), "from": user, "query": query, "offset": ""}}

    def button(self, message: JSON, label: str) -> str | None:
        """The callback data of the button labelled `label` (prefix match) on a stored message."""
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for b in row:
                if b["text"].startswith(label) and "callback_data" in b:
                    return b["callback_data"]
        return None


def _as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class LocalRequest(BaseRequest):
    """A PTB transport that talks to a FakeBotAPI in the same process (no sockets)."""

    def __init__(self, api: FakeBotAPI):
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        if "/file/" in url:  # a download of a getFile path
            content = self.api.download(url.split("/file/", 1)[1].split("/", 1)[1])
            return (200, content) if content is not None else (404, b"")
        params = json.loads(json.dumps(request_data.parameters, default=str)) if request_data else {}
        if request_data and request_data.contains_files:  # the upload itself, as the HTTP server keeps it
            for name, part in request_data.multipart_data.items():
                filename, content = part[0], part[1]
                params[f"_file_{name}"] = (filename, content if isinstance(content, bytes) else content.read())
        status, body = self.api.handle(url.rsplit("/", 1)[-1], params)
        if status == STALL:  # accepted, but the answer does not come in time
            raise TimedOut("injected timeout")
        return status, json.dumps(body, ensure_ascii=False).encode()
