"""What kind of value a contract field carries, read from its type, note and name.

The kind decides which shape checks a raw column gets. It is derived from the
contract encoding so a new field is checked without code; the few names the
encoding cannot tell apart (which text columns are credit codes) are listed here.
"""

from __future__ import annotations

from typing import Literal

from sunshine.contracts.model import Field
from sunshine.contracts.values import allowed_values
from sunshine.quality.patterns import PLACE_CODE_DIGITS

Kind = Literal[
    "category",
    "boolean",
    "json_array",
    "id_number",
    "credit_code",
    "fen",
    "yuan",
    "date",
    "period",
    "place_code",
    "integer",
    "text",
]

# Text columns that hold a unified social credit code and nothing else (treasury's
# payee_code may also hold a village code, so it is not one of them).
CREDIT_CODE_ALIASES = frozenset({"credit_code", "enterprise_credit_code", "employer_code"})
# Systems whose contracts allow the 15-digit legacy identity number.
LEGACY_ID_SYSTEMS = frozenset({"collective", "education"})


def _is_yuan(field: Field) -> bool:
    kind = field.type.replace(" null", "")
    return (
        (kind.startswith("numeric(") and kind.endswith(",2)"))
        or kind in ("number", "decimal")
        or field.alias == "amount"
    )


def _is_date(field: Field) -> bool:
    return any(w in field.type for w in ("date", "timestamp")) or field.alias.endswith("_date")


def kind_of(system: str, obj: str, field: Field) -> Kind:
    alias = field.alias
    if allowed_values(system, obj, field.name) is not None:
        return "category"
    if field.type == "boolean":
        return "boolean"
    if field.type.startswith("array"):
        return "json_array"
    if alias.endswith("id_number") or alias == "handler_id":
        return "id_number"
    if alias in CREDIT_CODE_ALIASES:
        return "credit_code"
    if alias.endswith("_fen"):
        return "fen"
    if _is_yuan(field):
        return "yuan"
    if _is_date(field):
        return "date"
    if alias.endswith("period"):
        return "period"
    if alias in PLACE_CODE_DIGITS:
        return "place_code"
    if field.type.startswith(("integer", "bigint")):
        return "integer"
    return "text"


def is_money(field: Field) -> bool:
    """Fund money the warehouse traces: unreadable or missing, the feed cannot be trusted."""
    return "amount" in field.alias
