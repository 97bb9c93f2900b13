"""Format rules for customer codes, logins, e-mail addresses and bank details."""

from __future__ import annotations

import re
from typing import Any

from domain.accounts.errors import AccountErrorCode
from domain.shared.errors import ErrorCollector

CUSTOMER_CODE_RE = re.compile(r"^[a-z][a-z0-9-]*$")
SUB_ACCOUNT_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
IBAN_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
BIC_RE = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def check_customer_code(errors: ErrorCollector, code: str, field: str = "code") -> None:
    if not CUSTOMER_CODE_RE.fullmatch(code) or len(code) > 40:
        errors.add(
            AccountErrorCode.INVALID_CUSTOMER_CODE,
            "A customer code has lowercase latin letters, digits and '-', starts with a letter, "
            "and has at most 40 characters.",
            field,
        )


def check_sub_account_name(errors: ErrorCollector, name: str, field: str = "name") -> None:
    if not SUB_ACCOUNT_NAME_RE.fullmatch(name) or len(name) > 50:
        errors.add(
            AccountErrorCode.INVALID_LOGIN_NAME,
            "A user name has lowercase latin letters, digits, '-' and '_', "
            "and starts with a letter.",
            field,
        )


def check_email(errors: ErrorCollector, email: str | None, field: str = "email") -> None:
    if email is not None and (not EMAIL_RE.fullmatch(email) or len(email) > 254):
        errors.add(AccountErrorCode.INVALID_EMAIL, "Enter a valid e-mail address.", field)


def iban_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97)."""
    iban = iban.replace(" ", "").upper()
    if not IBAN_RE.fullmatch(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(c, 36)) for c in rearranged)
    return int(digits) % 97 == 1


def check_required(errors: ErrorCollector, value: str | None, field: str, label: str) -> None:
    if value is None or not value.strip():
        errors.add(AccountErrorCode.REQUIRED, f"{label} is required.", field)


def check_max_length(
    errors: ErrorCollector, value: object, column: Any, field: str | tuple[str, ...]
) -> None:
    """A typed error instead of a database error for text longer than its String column
    (``column`` is the mapped attribute, e.g. ``Company.name``, so limits follow the model)."""
    limit = int(column.type.length)
    if isinstance(value, str) and len(value.strip()) > limit:
        errors.add(AccountErrorCode.INVALID, f"At most {limit} characters.", field)
