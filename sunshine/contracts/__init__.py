"""The source contracts, encoded in Python: systems, their objects and fields, and policy.

Importing this package reads no file and opens no connection (Airflow imports it while
parsing DAGs): everything is a constant. `tests/test_contracts.py` checks it against the
shared interface documents whenever they are present.
"""

from __future__ import annotations

from sunshine.contracts.model import (
    ControlFile,
    DatabaseTransport,
    Field,
    FileDropTransport,
    FundCategory,
    HttpApiTransport,
    SourceObject,
    SupervisionPolicy,
    System,
    Transport,
)
from sunshine.contracts.policy import CATEGORIES, SUPERVISION
from sunshine.contracts.systems import (
    allowance,
    budget,
    collective,
    dibao,
    education,
    employment,
    onecard,
    pension,
    poverty,
    reference,
    treasury,
)
from sunshine.errors import SunshineError

__all__ = [
    "CATEGORIES",
    "SUPERVISION",
    "SYSTEMS",
    "ControlFile",
    "DatabaseTransport",
    "Field",
    "FileDropTransport",
    "FundCategory",
    "HttpApiTransport",
    "SourceObject",
    "SupervisionPolicy",
    "System",
    "Transport",
    "UnknownSystemError",
    "get_system",
    "raw_table_name",
]

# Money flows budget -> treasury -> the systems that pay people; reference comes last.
SYSTEMS: dict[str, System] = {
    m.SYSTEM.code: m.SYSTEM
    for m in (
        budget,
        treasury,
        onecard,
        poverty,
        dibao,
        pension,
        employment,
        collective,
        education,
        allowance,
        reference,
    )
}


class UnknownSystemError(SunshineError, KeyError):
    """A system code (or object name) the contracts do not define.

    A KeyError for callers that look things up, and a SunshineError so the CLI shows
    its message as one line.
    """

    def __str__(self) -> str:
        # KeyError would print the repr of its argument, quotes and all.
        return str(self.args[0]) if self.args else ""


def get_system(code: str) -> System:
    """The system with this code, or an error that lists the known ones."""
    try:
        return SYSTEMS[code]
    except KeyError:
        raise UnknownSystemError(
            f"unknown source system {code!r}; known systems: {', '.join(SYSTEMS)}"
        ) from None


def raw_table_name(system: str, object_name: str) -> str:
    """The raw landing table of one source object, e.g. `onecard__disbursement`.

    Checked against the contracts so a typo fails here rather than creating a table.
    """
    try:
        get_system(system).get_object(object_name)
    except KeyError as exc:
        raise UnknownSystemError(str(exc.args[0])) from None
    return f"{system}__{object_name}"
