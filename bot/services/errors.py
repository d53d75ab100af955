"""Expected failures. Each carries a `key` that handlers/texts.py ERRORS turns into a Chinese sentence."""

from __future__ import annotations


class ServiceError(Exception):
    key = "error"

    def __init__(self, **params: object):
        super().__init__(self.key, params)
        self.params = params


class NotAllowed(ServiceError):
    key = "not_allowed"


class InviteNotFound(ServiceError):
    key = "invite_not_found"


class InviteExpired(ServiceError):
    key = "invite_expired"


class InviteRevoked(ServiceError):
    key = "invite_revoked"


class InviteUsed(ServiceError):
    key = "invite_used"


class AlreadyRegistered(ServiceError):
    key = "already_registered"


class UnitNotFound(ServiceError):
    key = "unit_not_found"


class UnitExists(ServiceError):
    key = "unit_exists"


class UserNotFound(ServiceError):
    key = "user_not_found"
