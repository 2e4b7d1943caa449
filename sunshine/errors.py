"""The one error type the CLI turns into a one-line message that says what to do."""


class SunshineError(Exception):
    """A failure a person can act on; its message is shown as is, without a traceback."""
