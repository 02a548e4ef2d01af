"""The one error type of the organisation services, apart so that every org module can
raise it without importing the others."""


class OrgError(ValueError):
    """Refused input; the message is meant for the user interface."""
