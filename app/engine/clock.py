"""The engine's single source of the current instant (timezone-aware UTC). Everything in
app.engine that compares with "now" calls clock.now(), so tests move time in one place
(together with SpiffWorkflow's own timer clock)."""
from __future__ import annotations

from datetime import datetime

from app.models.types import utcnow


def now() -> datetime:
    return utcnow()
