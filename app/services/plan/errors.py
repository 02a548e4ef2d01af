"""The one error type of the plan services, apart so that every plan module (smvp
included) can raise it without importing the others."""


class PlanError(ValueError):
    """Refused input; every message is meant for the user interface."""

    def __init__(self, messages):
        self.messages = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
        super().__init__(" ".join(self.messages))
