"""One error hierarchy for every capability (see shared/spec/architecture.md, "Errors").

The CLI prints ``str(error)`` and exits non-zero; the API answers 422 with :meth:`InputError.as_dict`;
web forms show the message next to ``field``.
"""
from __future__ import annotations

from typing import Any


class OpengrexError(Exception):
    """Base class of every error opengrex raises on purpose."""


class InputError(OpengrexError):
    """Invalid input: names where (file, line/cell), which field, the value given and what is allowed."""

    def __init__(
        self,
        message: str,
        *,
        location: str | None = None,
        field: str | None = None,
        value: Any = None,
        allowed: str | None = None,
        path: tuple | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.location = location
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(self._text())

    def _text(self) -> str:
        parts = []
        if self.location:
            parts.append(f"{self.location}:")
        if self.field:
            parts.append(f"veld '{self.field}':")
        parts.append(self.message)
        text = " ".join(parts)
        if self.value is not None and "waarde" not in self.message:
            text += f" (waarde: {self.value!r})"
        if self.allowed:
            text += f"; toegestaan: {self.allowed}"
        return text

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = repr(value)
        return {
            "message": self.message,
            "location": self.location,
            "field": self.field,
            "value": value,
            "allowed": self.allowed,
            "detail": str(self),
        }


class InputErrors(InputError):
    """Several input errors found in one validation pass; ``errors`` holds each one."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(
            first.message, location=first.location, field=first.field, value=first.value, allowed=first.allowed
        )
        if len(errors) > 1:
            self.args = ("\n".join(str(e) for e in errors),)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return "\n".join(InputError._text(e) for e in self.errors)

    def as_dict(self) -> dict[str, Any]:
        d = super().as_dict()
        d["errors"] = [e.as_dict() for e in self.errors]
        return d


class CalculationError(OpengrexError):
    """A calculation that cannot give a meaningful number (e.g. no IRR), said instead of returning garbage."""
