"""Errors meant for people, defined in the domain so pure rules can raise them.

The engine raises these with a message a support agent can act on; the GUI shows it in the
agent's language and the CLI prints it as one line. Anything that is *not* a ``ReglamentError``
is a bug: it is logged with its traceback and the user sees a generic apology instead.

A message is an English *template* with named ``str.format`` fields and their values::

    raise NotFound("there is no ticket {tid}", tid=tid)

``str(error)`` is the English text (the CLI, logs and tests read it), while the template and the
values stay available as a :class:`Phrase`, so ``desktop.i18n`` can say the same in Russian:
the template is the catalogue key, the values are put in after translation. The domain knows no
catalogue and no language; it only keeps what a translator needs.
"""

from __future__ import annotations

from typing import Any


def render(template: str, params: dict[str, object]) -> str:
    """Fill ``template`` with ``params``; a template without values is taken literally.

    Never raises: a broken template must not replace the error it describes with a KeyError,
    so the template is shown as it is, followed by the values.
    """
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        values = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{template} ({values})"


class Phrase(str):
    """English text that remembers its template and values, so it can be said in another
    language later.

    A ``str`` subclass so every existing consumer (f-strings, logs, the database, JSON) sees
    plain English, while ``desktop.i18n.translate`` can render it again in Russian. Values that
    are themselves a ``Phrase`` (or a ``ReglamentError``) are translated too.
    """

    template: str
    params: dict[str, object]

    def __new__(cls, template: str, /, **params: object) -> Phrase:
        if isinstance(template, Phrase):  # a phrase passed on, perhaps with more values
            inner = template
            template, params = inner.template, {**inner.params, **params}
        self = super().__new__(cls, render(str(template), params))
        self.template = str(template)
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_phrase, (self.template, self.params))


def _phrase(template: str, params: dict[str, object]) -> Phrase:
    return Phrase(template, **params)


class Bilingual(str):
    """An English name that also carries its Russian one, for names the domain already knows in
    both languages (ticket statuses): put in a message as a value, it is shown in the message's
    language without a catalogue entry of its own."""

    ru: str

    def __new__(cls, en: str, ru: str) -> Bilingual:
        self = super().__new__(cls, en)
        self.ru = ru
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Bilingual, (str.__str__(self), self.ru))


class ReglamentError(Exception):
    """A problem the user can understand and usually fix; ``str()`` is the plain English message.

    ``phrase`` carries the template and its values for translation. Subclasses with their own
    ``__init__`` pass a template and values to ``super().__init__`` the same way.
    """

    phrase: Phrase

    def __init__(self, message: str = "", /, **params: object) -> None:
        self.phrase = Phrase(message, **params)
        super().__init__(str.__str__(self.phrase))

    def __str__(self) -> str:
        # The Phrase itself (a str): ``str(error)`` stored in a report or a label keeps its
        # template, so it can still be translated where it is shown.
        phrase = self.__dict__.get("phrase")
        return phrase if isinstance(phrase, Phrase) else super().__str__()

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses have their own __init__ signatures; rebuild without calling them so an
        # error crosses a process boundary (the sync helper) with its template intact.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(
    cls: type[ReglamentError], args: tuple[object, ...], state: dict[str, object]
) -> ReglamentError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


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
