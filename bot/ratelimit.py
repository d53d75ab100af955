"""Per-user sliding-window rate limit (in memory: one bot instance; use Redis when running several)."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    warn: bool = False  # tell the user once per window, not on every dropped message


class RateLimiter:
    def __init__(self, per_minute: int = 20, window: float = 60.0):
        self.per_window = per_minute
        self.window = window
        self._hits: dict[int, deque[float]] = {}
        self._warned: dict[int, float] = {}

    def hit(self, user_id: int, now: float | None = None) -> Verdict:
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(user_id, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) < self.per_window:
            hits.append(now)
            return Verdict(True)
        warned_at = self._warned.get(user_id)
        warn = warned_at is None or warned_at <= now - self.window
        if warn:
            self._warned[user_id] = now
        if len(self._hits) > 10000:  # forget idle users now and then
            self._hits = {u: h for u, h in self._hits.items() if h and h[-1] > now - self.window}
        return Verdict(False, warn)
