"""Callback data for inline buttons (≤ 64 bytes). Article buttons carry law id + number, so they keep
working after a restart; result pages carry a token of the in-memory result cache."""

from __future__ import annotations

from dataclasses import dataclass

PAGE, FULL, RELATED, ARTICLE, INVITE_UNIT, CHECK_TEXT, INVITE_REVOKE = "p", "f", "r", "a", "iu", "ct", "ir"


@dataclass(frozen=True)
class Callback:
    kind: str
    args: tuple[str, ...]


def page(token: str, index: int) -> str:
    return f"{PAGE}:{token}:{index}"


def full(law_id: str, number: int) -> str:
    return f"{FULL}:{law_id}:{number}"


def related(law_id: str, number: int) -> str:
    return f"{RELATED}:{law_id}:{number}"


def article(law_id: str, number: int) -> str:
    return f"{ARTICLE}:{law_id}:{number}"


def check_text(token: str) -> str:
    return f"{CHECK_TEXT}:{token}"


def invite_unit(unit_id: int) -> str:
    return f"{INVITE_UNIT}:{unit_id}"


def invite_revoke(code: str) -> str:
    return f"{INVITE_REVOKE}:{code}"


def parse(data: str | None) -> Callback | None:
    if not data:
        return None
    kind, _, rest = data.partition(":")
    return Callback(kind, tuple(rest.split(":")) if rest else ())


MAX_ID = 2**63 - 1  # database integers; button data is forged or stale more often than one thinks


def int_arg(cb: Callback | None, index: int) -> int | None:
    """The index-th argument as a database-safe non-negative int, or None (missing, not a number, too large)."""
    if cb is None or index >= len(cb.args) or not cb.args[index].isdigit():
        return None
    value = int(cb.args[index])
    return value if value <= MAX_ID else None
