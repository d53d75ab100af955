"""Settings from environment variables (LAWBOT_*)."""

from __future__ import annotations

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
    webhook_url: str | None = None
    webhook_port: int = 8443
    rate_limit_per_minute: int = 20
    # deadline reminders: days before a case deadline (0 = the day), at this local hour
    case_reminder_days: str = "3,1,0"
    reminder_hour: int = 9
    # a reminder delivered later than this after its due time says it is late (the bot was down)
    reminder_late_after_seconds: int = 120

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

    @field_validator("token", "db_url", "telegram_base_url", "webhook_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return value or None

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
