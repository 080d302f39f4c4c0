"""The engine's typed, user-facing errors (defined in the domain so pure rules can raise them),
and ``Phrase``, the translatable English text they carry."""

from desktop.domain.errors import (
    Bilingual,
    ConfigError,
    ConflictError,
    InvalidTransition,
    NotFound,
    Phrase,
    ReglamentError,
    StorageError,
    ValidationError,
)

__all__ = [
    "Bilingual",
    "ConfigError",
    "ConflictError",
    "InvalidTransition",
    "NotFound",
    "Phrase",
    "ReglamentError",
    "StorageError",
    "ValidationError",
]
