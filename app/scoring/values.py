"""Indicator values that are neither a number, a date nor yes/no, as the documents record
them: a deadline never met ("non realizzato", scores 0) and a date range ("dal 01/03 al
15/04/2022", scored by its end date). The models store them as text (app.models.plan)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Self


class NotMet:
    """A deadline that was never met: scores 0 under every date rule."""

    _instance: NotMet | None = None

    def __new__(cls) -> Self:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_MET"

    def __reduce__(self):
        return (NotMet, ())


NOT_MET = NotMet()


@dataclass(frozen=True)
class DateRange:
    """An activity carried out over a period: the end date is what is scored."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A date range cannot end before it starts.")
