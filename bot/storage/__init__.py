"""Storage: SQLAlchemy models, the async database handle, Alembic migrations.

Every table lives here, one module per feature on the declarative `Base` of models.py (models.py: users,
units, invites, audit; reminders.py; cases.py: tracked cases, their events, units' reporting dates; quiz.py; stats.py). A new
feature adds its module, imports it below (so Alembic sees it) and a migration under bot/migrations/versions/.
Services receive a `Database` and open one session per unit of work.
"""

from bot.storage import cases, quiz, reminders, stats  # noqa: F401  (register their tables on Base)
from bot.storage.db import Database
from bot.storage.models import MANAGER_ROLES, OVERSIGHT_ROLES, AuditLog, Base, Invite, Role, Unit, User

__all__ = ["MANAGER_ROLES", "OVERSIGHT_ROLES", "AuditLog", "Base", "Database", "Invite", "Role", "Unit", "User"]
