"""The refusal of the risk section's operations."""
from __future__ import annotations


class RiskError(ValueError):
    """A refused operation; the messages are meant for the user interface."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        super().__init__("; ".join(self.messages))
