"""The one error type the CLI turns into a one-line message that says what to do."""


class SunshineError(Exception):
    """A failure a person can act on; its message is shown as is, without a traceback."""


class TransientSourceError(SunshineError):
    """A source that did not answer (down, refused the connection, cut the body short).

    Airflow retries the task with back-off; a permanent failure (a refused credential, a
    contract violated) is any other SunshineError and fails the task at once.
    """
