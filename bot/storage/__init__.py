"""Storage: SQLAlchemy models, the async database handle, Alembic migrations.

New features add their tables to `bot/storage/models.py` (or a sibling module imported there) and a
migration under `bot/migrations/versions/`; services receive a `Database` and open one session per
unit of work.
"""

from bot.storage.db import Database
from bot.storage.models import AuditLog, Base, Invite, Role, Unit, User

__all__ = ["AuditLog", "Base", "Database", "Invite", "Role", "Unit", "User"]
