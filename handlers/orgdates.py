"""Placeholder: filled in by the orgdates feature."""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    pass
