"""Outgoing Bot API requests with retries: 429 (honouring retry_after), 5xx and timeouts.

PTB's AIORateLimiter would need the `rate-limiter` extra (aiolimiter) and does not retry 5xx or
timeouts, so the retry lives at the transport level, in `do_request`, the documented extension point.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

# Methods that can be repeated without a visible effect. A read timeout on sendMessage may mean the
# message was delivered, so only these are retried after a read/write timeout (connect and pool
# timeouts never reached Telegram and are always retried).
_IDEMPOTENT_PREFIXES = ("get", "answer", "edit", "set", "delete", "close", "logOut")


class RetryingRequest(HTTPXRequest):
    def __init__(self, *args, max_attempts: int = 5, max_retry_after: float = 30.0, base_delay: float = 0.5,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after
        self.base_delay = base_delay
        self.retries = 0  # for tests and the benchmark

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout=None,
        write_timeout=None,
        connect_timeout=None,
        pool_timeout=None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        for attempt in range(1, self.max_attempts + 1):
            last = attempt == self.max_attempts
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
                )
            except (TimedOut, NetworkError) as exc:
                if last or not self._may_retry_error(api_method, exc):
                    raise
                delay = self._backoff(attempt)
                log.warning("%s failed (%s); retry %d in %.1fs", api_method, exc, attempt, delay)
            else:
                if code == 429:
                    delay = _retry_after(payload)
                    if last or delay is None or delay > self.max_retry_after:
                        return code, payload  # PTB raises RetryAfter for the caller
                    log.warning("%s: 429, retry_after=%s", api_method, delay)
                elif code >= 500:
                    if last:
                        return code, payload
                    delay = self._backoff(attempt)
                    log.warning("%s: HTTP %d; retry %d in %.1fs", api_method, code, attempt, delay)
                else:
                    return code, payload
            self.retries += 1
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return self.base_delay * 2 ** (attempt - 1) * (0.5 + random.random() / 2)

    @staticmethod
    def _may_retry_error(api_method: str, exc: Exception) -> bool:
        cause = exc.__cause__
        if isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout | httpx.ConnectError):
            return True
        return api_method.startswith(_IDEMPOTENT_PREFIXES)


def _retry_after(payload: bytes) -> float | None:
    try:
        value = json.loads(payload).get("parameters", {}).get("retry_after")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None
