"""Exceptions raised by worldtake.

    WorldtakeError              anything worldtake raises on purpose
    ├── Rejected                bad input: an item or source refused, with the reason
    ├── SettingError            a setting with an unknown name or a value of the wrong type
    ├── StoreError              the store cannot be opened or is not a worldtake store
    └── NotFound                a story, event or article id that does not exist

Only the pipeline catches `Rejected`; it records the reason on the item and its source and goes
on. The CLI turns any `WorldtakeError` into one clear line and a non-zero exit; the API turns it
into its one JSON error shape.
"""

from __future__ import annotations


class WorldtakeError(Exception):
    """Base class for every error worldtake raises on purpose."""


class Rejected(WorldtakeError):
    """Bad input: an item or a whole source is refused for `reason`."""

    def __init__(self, reason: str, *, origin: str | None = None, line: int | None = None):
        self.reason = reason
        self.origin = origin
        self.line = line
        super().__init__(self.describe())

    def describe(self) -> str:
        """Say what was refused and why, naming the file or URL and the line."""
        where = self.origin or ""
        if self.line is not None:
            where = f"{where} line {self.line}" if where else f"line {self.line}"
        return f"{where}: {self.reason}" if where else self.reason


class SettingError(WorldtakeError):
    """A setting name that does not exist, or a value that is not of the setting's type."""


class StoreError(WorldtakeError):
    """The store cannot be opened, or the database is not a worldtake store."""


class NotFound(WorldtakeError):
    """An id that names nothing in the store."""
