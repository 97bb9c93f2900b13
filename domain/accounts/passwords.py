"""Password hashing with argon2id at OWASP's recommended parameters (or stronger)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

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


# A hash takes ~30 ms of CPU and 19 MiB: it runs on these threads (argon2-cffi releases the
# GIL), never on the event loop, so other requests go on meanwhile. Two threads bound both the
# CPU and the memory that a burst of logins can take; more logins wait their turn here.
HASH_THREADS = 2
_EXECUTOR: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ThreadPoolExecutor(max_workers=HASH_THREADS, thread_name_prefix="argon2")
    return _EXECUTOR


def hash_password(password: str) -> str:
    """Blocking: for scripts and the CLI. Services await `hash_password_async`."""
    return HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Blocking: for scripts and the CLI. Services await `verify_password_async`."""
    try:
        return HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_password_async(password: str) -> str:
    """`hash_password` on the hashing threads, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_executor(), hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """`verify_password` on the hashing threads, off the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), verify_password, password_hash, password)


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
