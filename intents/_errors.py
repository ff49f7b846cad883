"""The intents package's error tree: one root, subclasses that also subclass the builtin they resemble."""

from __future__ import annotations


class IntentsError(Exception):
    """Root of every error the intents package raises on purpose."""


class ModelFileError(IntentsError, RuntimeError):
    """A saved model cannot be used: unreadable, tampered with, foreign types, or cannot be written."""


class DataError(IntentsError, ValueError):
    """Training or evaluation data is unusable: bad file name, malformed line, unknown label, no data.

    Attributes:
        path: the offending file, when there is one.
        line: the 1-based line number, when the problem is in one line.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)
        self.path = path
        self.line = line
