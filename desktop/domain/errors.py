"""Errors meant for people, defined in the domain so pure rules can raise them.

The engine raises these with a message a support agent can act on; the GUI shows ``str(error)``
and the CLI prints it as one line. Anything that is *not* a ``ReglamentError`` is a bug: it is
logged with its traceback and the user sees a generic apology instead.
"""

from __future__ import annotations


class ReglamentError(Exception):
    """A problem the user can understand and usually fix; ``str()`` is the plain message."""


class NotFound(ReglamentError):
    """Something named by the user (a TID, a client, an account) does not exist."""


class InvalidTransition(ReglamentError):
    """A ticket cannot move to the requested status from the one it is in."""


class ConflictError(ReglamentError):
    """Someone else changed the record since it was read (optimistic versioning)."""


class ValidationError(ReglamentError):
    """Input that breaks a rule: an empty name, an unknown plan, a malformed address."""


class StorageError(ReglamentError):
    """The database or data folder cannot be used (unwritable, corrupt, unreachable)."""


class ConfigError(ReglamentError):
    """A setting is malformed; the message names the setting."""
