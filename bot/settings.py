"""Settings from environment variables (LAWBOT_*)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_corpus_dirs() -> list[Path]:
    """The team's shared corpus beside the checkout, when it is there (never copied into the repo)."""
    shared = REPO_ROOT.parent / "shared" / "corpus"
    return [shared] if shared.is_dir() else []


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LAWBOT_", extra="ignore")

    token: str | None = None
    data_dir: Path = REPO_ROOT / "data"
    db_url: str | None = None
    telegram_base_url: str | None = None
    admin_ids: str = ""  # comma-separated Telegram user ids
    timezone: str = "Asia/Shanghai"
    # LawRefBook folders imported automatically when the data dir has no imports yet
    corpus_dirs: str | None = None
    # semantic retrieval (knowledge/semantic.py): vectors built once in the background and cached in the
    # data dir; off = lexical ranking only
    semantic: bool = True
    webhook_url: str | None = None
    webhook_port: int = 8443
    # the X-Telegram-Bot-Api-Secret-Token every webhook call must carry (1–256 of A–Z a–z 0–9 _ -); unset: one
    # derived from the token, the same for every instance behind the URL
    webhook_secret: str | None = None
    rate_limit_per_minute: int = 20
    # deadline reminders: days before a case deadline (0 = the day), at this local hour
    case_reminder_days: str = "3,1,0"
    reminder_hour: int = 9
    # a claimed reminder or poll not marked sent after this long belongs to a dead instance and is taken over
    # (flagged as possibly sent) by another; longer than a send with its retries can take
    claim_lease_seconds: int = 300
    # a reminder delivered later than this after its due time says it is late (the bot was down)
    reminder_late_after_seconds: int = 120
    # the daily quiz: default push time and days of a unit (a unit admin changes theirs with /quiztime),
    # questions per session, and how long a poll stays open before it counts as missed
    quiz_time: str = "09:00"
    # workdays (the Chinese working-day calendar, 调休 Saturdays included) | daily | off (no push unless a unit sets one)
    quiz_days: str = "workdays"
    quiz_size: int = 5
    quiz_open_seconds: int = 3600
    # messages per second this process sends at most (Telegram allows about 30 in all, so with N instances
    # give each 30/N); 0 switches the limiter off
    send_rate: float = 30.0
    # messages the sweep has in flight at once, to different chats (a chat's stay in order); a kill -9 can
    # leave one unconfirmed message per lane, sent again with a line saying so
    send_lanes: int = 1

    @field_validator("quiz_time")
    @classmethod
    def _quiz_time_valid(cls, value: str) -> str:
        try:
            hour, minute = (int(x) for x in value.replace("：", ":").split(":"))
        except ValueError:
            raise ValueError("LAWBOT_QUIZ_TIME: 时:分，如 09:00") from None
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise ValueError("LAWBOT_QUIZ_TIME: 时:分，如 09:00")
        return f"{hour:02d}:{minute:02d}"

    @field_validator("quiz_days")
    @classmethod
    def _quiz_days_valid(cls, value: str) -> str:
        if value not in ("workdays", "daily", "off"):
            raise ValueError("LAWBOT_QUIZ_DAYS: workdays、daily 或 off")
        return value

    @field_validator("quiz_size")
    @classmethod
    def _quiz_size_valid(cls, value: int) -> int:
        if not 1 <= value <= 20:
            raise ValueError("LAWBOT_QUIZ_SIZE: 1–20")
        return value

    @field_validator("quiz_open_seconds")
    @classmethod
    def _open_valid(cls, value: int) -> int:
        if not 30 <= value <= 86400:
            raise ValueError("LAWBOT_QUIZ_OPEN_SECONDS: 30–86400")
        return value

    @field_validator("case_reminder_days")
    @classmethod
    def _offsets_valid(cls, value: str) -> str:
        days = [p.strip() for p in value.replace("，", ",").split(",") if p.strip()]
        if not days or not all(d.isdigit() and int(d) <= 60 for d in days):
            raise ValueError("LAWBOT_CASE_REMINDER_DAYS: 用逗号分隔的提前天数，如 3,1,0")
        return ",".join(days)

    @field_validator("reminder_hour")
    @classmethod
    def _hour_valid(cls, value: int) -> int:
        if not 0 <= value <= 23:
            raise ValueError("LAWBOT_REMINDER_HOUR: 0–23")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value):
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
            raise ValueError("LAWBOT_WEBHOOK_SECRET: 1–256 characters of A–Z a–z 0–9 _ -")
        return value

    @field_validator("token", "db_url", "telegram_base_url", "webhook_url", "webhook_secret", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return value or None

    @property
    def webhook_secret_token(self) -> str:
        """The secret Telegram sends with every webhook call; derived from the bot token unless set."""
        if self.webhook_secret:
            return self.webhook_secret
        return hashlib.sha256(f"lawbot-webhook:{self.token or ''}".encode()).hexdigest()

    @property
    def admin_id_set(self) -> set[int]:
        return {int(x) for x in self.admin_ids.replace(" ", "").split(",") if x.strip().lstrip("-").isdigit()}

    @property
    def case_reminder_offsets(self) -> tuple[int, ...]:
        return tuple(sorted({int(d) for d in self.case_reminder_days.split(",")}, reverse=True))

    @property
    def corpus_dir_list(self) -> list[Path]:
        if self.corpus_dirs is None:
            return _default_corpus_dirs()
        return [Path(p) for p in self.corpus_dirs.split(",") if p.strip()]

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite+aiosqlite:///{self.data_dir / 'lawbot.sqlite3'}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
