"""Password hashing with argon2id at OWASP's recommended parameters (or stronger)."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.accounts.errors import AccountErrorCode
from domain.shared.errors import DomainError

# OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1 at minimum.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)
MIN_LENGTH = 10
MAX_LENGTH = 256
_COMMON = frozenset(
    {
        "password123",
        "1234567890",
        "qwertyuiop",
        "password1234",
        "iloveyou123",
        "0123456789",
        "passwordpassword",
        "letmein1234",
        "welcome123",
        "administrator",
    }
)
# A hash to verify against when the account does not exist, so timing does not tell.
_DUMMY_HASH = HASHER.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


def check_password_policy(password: str, field: str = "password") -> None:
    """NIST 800-63B style: length matters, composition rules do not; refuse known-common ones."""
    if len(password) < MIN_LENGTH:
        raise DomainError.single(
            AccountErrorCode.PASSWORD_TOO_SHORT,
            f"The password must have at least {MIN_LENGTH} characters.",
            field,
        )
    if len(password) > MAX_LENGTH:
        raise DomainError.single(
            AccountErrorCode.INVALID,
            f"The password may have at most {MAX_LENGTH} characters.",
            field,
        )
    if password.lower() in _COMMON:
        raise DomainError.single(
            AccountErrorCode.PASSWORD_TOO_COMMON, "This password is too common.", field
        )
