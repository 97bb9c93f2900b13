"""Logging in, refreshing and revoking tokens, and turning a token into a Viewer."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert

from domain.accounts.errors import AccountErrorCode
from domain.accounts.models import (
    AuthSession,
    Company,
    LoginThrottle,
    PasswordResetToken,
    PermissionGroup,
    PortalUser,
    RefreshToken,
    StaffUser,
    portal_user_group,
)
from domain.accounts.passwords import hash_password_async, needs_rehash, verify_password_async
from domain.accounts.rights import Right, StaffRole
from domain.accounts.tokens import (
    LEEWAY_S,
    AccessClaims,
    TokenConfig,
    decode_access_token,
    issue_access_token,
    new_opaque_token,
    token_digest,
)
from domain.accounts.viewer import ANONYMOUS, Viewer, ViewerKind
from domain.shared.errors import DomainError
from domain.shared.models import utcnow
from domain.shared.read_cache import CACHES
from domain.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ThrottleConfig:
    max_failures_account: int = 5
    max_failures_address: int = 30
    window_s: int = 900


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    access_expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime
    viewer: Viewer


def _invalid_credentials() -> DomainError:
    # One message for unknown login, wrong password and inactive account: no account probing.
    return DomainError.single(
        AccountErrorCode.INVALID_CREDENTIALS, "The login or the password is wrong.", "password"
    )


async def _throttled(uow: UnitOfWork, keys: dict[str, int], cfg: ThrottleConfig) -> bool:
    since = utcnow() - dt.timedelta(seconds=cfg.window_s)
    rows = await uow.rows(
        select(LoginThrottle.key, LoginThrottle.failures).where(
            LoginThrottle.key.in_(list(keys)), LoginThrottle.window_start > since
        )
    )
    return any(failures >= keys[key] for key, failures in rows)


async def _record_failure(uow: UnitOfWork, keys: list[str], cfg: ThrottleConfig) -> None:
    now = utcnow()
    since = now - dt.timedelta(seconds=cfg.window_s)
    for key in keys:
        stmt = insert(LoginThrottle).values(key=key, failures=1, window_start=now)
        stmt = stmt.on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={
                # A window that has run out starts again at one failure.
                "failures": case(
                    (LoginThrottle.window_start > since, LoginThrottle.failures + 1), else_=1
                ),
                "window_start": case(
                    (LoginThrottle.window_start > since, LoginThrottle.window_start), else_=now
                ),
            },
        )
        await uow.session.execute(stmt)


def account_key(login: str) -> str:
    """The throttle key of a login. A login longer than the key column (no account has one,
    but anyone may type one) is counted under its digest instead of failing the insert."""
    key = f"account:{login}"
    if len(key) <= 200:
        return key
    return "account-sha256:" + hashlib.sha256(login.encode("utf-8", "surrogatepass")).hexdigest()


async def token_create(
    uow: UnitOfWork,
    tokens: TokenConfig,
    throttle: ThrottleConfig,
    login: str,
    password: str,
    client_address: str | None,
) -> TokenPair:
    """Staff log in with their e-mail address, portal users with their login."""
    login = login.strip().lower()
    if not login:
        raise DomainError.single(AccountErrorCode.REQUIRED, "Enter your login.", "login")
    if not password:
        raise DomainError.single(AccountErrorCode.REQUIRED, "Enter your password.", "password")
    keys = {account_key(login): throttle.max_failures_account}
    if client_address:
        keys[f"address:{client_address}"] = throttle.max_failures_address
    async with uow:
        if await _throttled(uow, keys, throttle):
            raise DomainError.single(
                AccountErrorCode.TOO_MANY_ATTEMPTS,
                "Too many failed logins. Wait a few minutes or reset your password.",
                "login",
            )
        user: PortalUser | StaffUser | None
        if "@" in login:
            user = await uow.scalar(select(StaffUser).where(func.lower(StaffUser.email) == login))
        else:
            user = await uow.scalar(
                select(PortalUser)
                .join(Company, Company.id == PortalUser.company_id)
                .where(PortalUser.login == login, Company.portal_enabled.is_(True))
            )
        ok = await verify_password_async(user.password_hash if user else None, password)
        if user is None or not ok or not user.is_active:
            await _record_failure(uow, list(keys), throttle)
            await uow.commit()
            raise _invalid_credentials()
        if needs_rehash(user.password_hash):
            user.password_hash = await hash_password_async(password)
        await uow.session.execute(
            delete(LoginThrottle).where(LoginThrottle.key == account_key(login))
        )
        session = AuthSession(
            id=uuid.uuid4(),
            portal_user_id=user.id if isinstance(user, PortalUser) else None,
            staff_user_id=user.id if isinstance(user, StaffUser) else None,
        )
        uow.session.add(session)
        await uow.session.flush()
        pair = await _issue(uow, tokens, session, user)
        await uow.commit()
        return pair


async def _issue(
    uow: UnitOfWork, cfg: TokenConfig, session: AuthSession, user: PortalUser | StaffUser
) -> TokenPair:
    now = utcnow()
    refresh = new_opaque_token()
    refresh_expires = now + dt.timedelta(seconds=cfg.refresh_ttl_s)
    uow.session.add(
        RefreshToken(
            session_id=session.id, token_hash=token_digest(refresh), expires_at=refresh_expires
        )
    )
    kind = "portal" if isinstance(user, PortalUser) else "staff"
    access = issue_access_token(cfg, AccessClaims(kind, user.id, session.id), now)
    viewer = await load_viewer(uow, AccessClaims(kind, user.id, session.id))
    return TokenPair(
        access_token=access,
        access_expires_at=now + dt.timedelta(seconds=cfg.access_ttl_s),
        refresh_token=refresh,
        refresh_expires_at=refresh_expires,
        viewer=viewer,
    )


async def token_refresh(uow: UnitOfWork, cfg: TokenConfig, refresh_token: str) -> TokenPair:
    """Rotate: the old refresh token is spent. Presenting a spent one again means it leaked,
    so the whole session (every token of the family) is revoked."""
    invalid = DomainError.single(
        AccountErrorCode.INVALID_TOKEN, "The refresh token is invalid or expired.", "refreshToken"
    )
    async with uow:
        row = await uow.scalar(
            select(RefreshToken)
            .where(RefreshToken.token_hash == token_digest(refresh_token))
            .with_for_update()
        )
        if row is None:
            raise invalid
        session = await uow.session.get(AuthSession, row.session_id, with_for_update=True)
        now = utcnow()
        if session is None or session.revoked_at is not None or row.expires_at <= now:
            raise invalid
        if row.used_at is not None:
            session.revoked_at = now
            session.revoked_reason = "refresh_token_reuse"
            await uow.commit()
            raise DomainError.single(
                AccountErrorCode.TOKEN_REUSED,
                "This refresh token was already used; the session has been ended. Log in again.",
                "refreshToken",
            )
        row.used_at = now
        user: PortalUser | StaffUser | None
        if session.portal_user_id is not None:
            user = await uow.session.get(PortalUser, session.portal_user_id)
        else:
            user = await uow.session.get(StaffUser, session.staff_user_id)
        if user is None or not user.is_active:
            raise invalid
        pair = await _issue(uow, cfg, session, user)
        if pair.viewer.is_anonymous:
            raise invalid
        await uow.commit()
        return pair


async def token_revoke(uow: UnitOfWork, refresh_token: str) -> None:
    """Log out: end the session the refresh token belongs to (idempotent, reveals nothing)."""
    async with uow:
        session_id = await uow.scalar(
            select(RefreshToken.session_id).where(
                RefreshToken.token_hash == token_digest(refresh_token)
            )
        )
        if session_id is not None:
            await uow.session.execute(
                update(AuthSession)
                .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
                .values(revoked_at=utcnow(), revoked_reason="logout")
            )
        await uow.commit()


async def revoke_user_sessions(uow: UnitOfWork, *, portal_user_id: int, reason: str) -> None:
    """Part of a command that already holds the unit of work (e.g. deactivating a user)."""
    await uow.session.execute(
        update(AuthSession)
        .where(AuthSession.portal_user_id == portal_user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


async def end_password_resets(
    uow: UnitOfWork, *, portal_user_id: int | None = None, staff_user_id: int | None = None
) -> None:
    """Marks every outstanding reset token of the account used: a reset link mailed before a
    password change (a reset, or a change by a manager) must not set the password again."""
    owner = (
        PasswordResetToken.portal_user_id == portal_user_id
        if portal_user_id is not None
        else PasswordResetToken.staff_user_id == staff_user_id
    )
    await uow.session.execute(
        update(PasswordResetToken)
        .where(owner, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


# Verified tokens and who they stand for: a client sends the same token with every request for
# its whole lifetime. Dropped when a session is revoked, a user, group, company or staff member
# changes (domain/shared/read_cache.py), and each entry ends with its token's expiry.
_VIEWERS = CACHES.cache(
    "viewer",
    tables=(
        "auth_session",
        "portal_user",
        "portal_user_group",
        "permission_group",
        "staff_user",
        "company",
    ),
    maxsize=20_000,
)


async def viewer_from_token(uow: UnitOfWork, cfg: TokenConfig, token: str | None) -> Viewer | None:
    """The viewer for a bearer token; None when a token was given but is not valid."""
    if token is None:
        # No credentials at all. An empty or non-Bearer Authorization header arrives as "" and
        # is refused like any other bad token, not silently downgraded to anonymous.
        return ANONYMOUS
    key = (cfg, token)
    cached: tuple[Viewer, int] | None = _VIEWERS.get(key)
    if cached is not None:
        if time.time() < cached[1] + LEEWAY_S:
            return cached[0]
        _VIEWERS.pop(key)
        return None
    generation = _VIEWERS.generation
    claims = decode_access_token(cfg, token)
    if claims is None:
        return None
    viewer = await load_viewer(uow, claims)
    if viewer.is_anonymous:
        return None
    _VIEWERS.put(key, (viewer, claims.expires_at), generation)
    return viewer


async def load_viewer(uow: UnitOfWork, claims: AccessClaims) -> Viewer:
    """One query: the user must be active, the session not revoked, rights are read fresh."""
    live_session = (
        select(AuthSession.id)
        .where(AuthSession.id == claims.session_id, AuthSession.revoked_at.is_(None))
        .exists()
    )
    if claims.subject_kind == "staff":
        row = await uow.rows(
            select(StaffUser.id, StaffUser.role, StaffUser.supplier_id).where(
                StaffUser.id == claims.user_id, StaffUser.is_active.is_(True), live_session
            )
        )
        if not row:
            return ANONYMOUS
        if row[0].supplier_id is not None:
            # A partner user acts as its supplier, exactly like the supplier's API key.
            return Viewer(
                ViewerKind.SUPPLIER,
                user_id=row[0].id,
                supplier_id=row[0].supplier_id,
                session_id=claims.session_id,
            )
        return Viewer(
            ViewerKind.STAFF,
            user_id=row[0].id,
            role=StaffRole(row[0].role),
            session_id=claims.session_id,
        )
    rows = await uow.rows(
        select(PortalUser.id, PortalUser.company_id, PermissionGroup.rights)
        .join(Company, Company.id == PortalUser.company_id)
        .outerjoin(portal_user_group, portal_user_group.c.user_id == PortalUser.id)
        .outerjoin(PermissionGroup, PermissionGroup.id == portal_user_group.c.group_id)
        .where(
            PortalUser.id == claims.user_id,
            PortalUser.is_active.is_(True),
            Company.portal_enabled.is_(True),
            live_session,
        )
    )
    if not rows:
        return ANONYMOUS
    granted = frozenset(
        Right(r) for row in rows for r in (row.rights or ()) if r in Right.__members__
    )
    return Viewer(
        ViewerKind.PORTAL,
        user_id=rows[0].id,
        company_id=rows[0].company_id,
        rights=granted,
        session_id=claims.session_id,
    )
