"""The engine's typed, user-facing errors (defined in the domain so pure rules can raise them)."""

from desktop.domain.errors import (
    ConfigError,
    ConflictError,
    InvalidTransition,
    NotFound,
    ReglamentError,
    StorageError,
    ValidationError,
)

__all__ = [
    "ConfigError",
    "ConflictError",
    "InvalidTransition",
    "NotFound",
    "ReglamentError",
    "StorageError",
    "ValidationError",
]
