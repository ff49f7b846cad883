"""kefu's error tree.

Every error kefu raises on purpose derives from :class:`KefuError` and also from the builtin it
resembles, so callers may catch either. The pure leaf packages (``intents``, ``replies``) stay
importable on their own and define their errors as builtin subclasses; the service wraps them.
"""

from __future__ import annotations


class KefuError(Exception):
    """Root of kefu's own errors."""


class ConfigError(KefuError, ValueError):
    """A setting is missing or malformed; start-up stops with this one-line reason."""


class BadRequest(KefuError, ValueError):
    """A channel received input it cannot accept; the reason is safe to show the sender."""


class StorageError(KefuError, RuntimeError):
    """The database refused or lost a write; nothing was answered from memory instead."""


class AccountError(KefuError, ValueError):
    """An agent or admin account cannot be created or changed (duplicate name, short password, no such
    user); the reason is one line, safe to show whoever ran the command."""
