"""API keys for machine clients: created, rotated and revoked by a company's user managers or
the shop's admins; turned into a Viewer on every request.

The secret is 256 random bits, shown once and stored as a SHA-256 digest (unique, so the
lookup is one index probe). A slow password hash would only protect guessable secrets; these
cannot be guessed, and a key derived from the JWT secret (HMAC) would make every key die with a
rotation of that secret. A key is never cached by a process: each request reads its row, so a
revoked key (or a deactivated owner) is refused by every process from the next request on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, select, true, update

from domain.accounts.models import Company, PermissionGroup, PortalUser, StaffUser
from domain.accounts.models import portal_user_group as user_group
from domain.accounts.rights import Right, StaffRole
from domain.accounts.tokens import new_opaque_token, token_digest
from domain.accounts.viewer import Viewer, ViewerKind
from domain.integrations.errors import IntegrationErrorCode
from domain.integrations.models import ApiKey
from domain.integrations.scopes import PORTAL_KEY_SCOPES, ApiKeyScope
from domain.shared.errors import DomainError, ErrorCollector
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

KEY_PREFIX = "prs_key_"
# How stale `last_used_at` may get: a busy client does not write a row on every request.
LAST_USED_RESOLUTION = dt.timedelta(seconds=60)
KEY_ADMIN_ROLES = frozenset({StaffRole.ADMIN})


def is_api_key(token: str | None) -> bool:
    return bool(token) and str(token).startswith(KEY_PREFIX)


def _denied() -> DomainError:
    return DomainError.single(
        IntegrationErrorCode.PERMISSION_DENIED,
        "Requires MANAGE_USERS (a company's keys) or staff role ADMIN (the shop's keys).",
    )


def may_manage_keys(viewer: Viewer) -> bool:
    """Who manages keys: a company's user managers, and the shop's admins. Keys never manage
    keys (nothing a key makes may outlive or outrank the person who made it)."""
    if viewer.is_api_key:
        return False
    if viewer.is_staff:
        return viewer.role in KEY_ADMIN_ROLES
    return viewer.is_portal and Right.MANAGE_USERS in viewer.rights


def key_scope(viewer: Viewer) -> ColumnElement[bool]:
    """The keys a viewer may see: a company's own, or every key for the shop's admins."""
    if not may_manage_keys(viewer):
        return false()
    if viewer.is_staff:
        return true()
    return ApiKey.company_id == viewer.company_id


@dataclass(frozen=True, slots=True)
class ApiKeyCreate:
    name: str
    rights: Sequence[Right] = ()  # a company's key
    scopes: Sequence[ApiKeyScope] = ()  # the shop's key


def _validate(viewer: Viewer, cmd: ApiKeyCreate) -> str:
    errors = ErrorCollector()
    name = cmd.name.strip()
    if not name:
        errors.add(IntegrationErrorCode.REQUIRED, "Give the key a name.", "name")
    elif len(name) > 120:
        errors.add(IntegrationErrorCode.INVALID, "At most 120 characters.", "name")
    if viewer.is_portal:
        if cmd.scopes:
            errors.add(
                IntegrationErrorCode.INVALID,
                "A company's key holds rights, not staff scopes.",
                "scopes",
            )
        if not set(cmd.rights) <= viewer.rights:
            errors.add(
                IntegrationErrorCode.PERMISSION_DENIED,
                "A key may only hold rights you have yourself.",
                "rights",
            )
    elif cmd.rights:
        errors.add(
            IntegrationErrorCode.INVALID, "The shop's keys hold scopes, not rights.", "rights"
        )
    errors.raise_if_any()
    return name


def _new_secret(key: ApiKey) -> str:
    secret = KEY_PREFIX + new_opaque_token()
    key.secret_digest = token_digest(secret)
    key.secret_hint = secret[: len(KEY_PREFIX) + 4] + "…"
    return secret


async def api_key_create(uow: UnitOfWork, viewer: Viewer, cmd: ApiKeyCreate) -> tuple[ApiKey, str]:
    """Requires MANAGE_USERS (a key of the viewer's company, acting as the viewer with at most
    their rights) or staff role ADMIN (a key of the shop with the given scopes). Returns the
    key and its secret; the secret is never shown again."""
    if not may_manage_keys(viewer):
        raise _denied()
    name = _validate(viewer, cmd)
    async with uow:
        key = ApiKey(
            name=name,
            company_id=viewer.company_id if viewer.is_portal else None,
            portal_user_id=viewer.user_id if viewer.is_portal else None,
            staff_user_id=viewer.user_id if viewer.is_staff else None,
            rights=sorted({r.value for r in cmd.rights}),
            scopes=sorted({s.value for s in cmd.scopes}),
        )
        secret = _new_secret(key)
        uow.session.add(key)
        await uow.session.flush()
        await uow.commit()
        return key, secret


async def _get_for_update(uow: UnitOfWork, viewer: Viewer, key_id: int) -> ApiKey:
    key: ApiKey | None = await uow.scalar(
        select(ApiKey).where(ApiKey.id == key_id, key_scope(viewer)).with_for_update()
    )
    if key is None:
        raise DomainError.single(IntegrationErrorCode.NOT_FOUND, "API key not found.", "id")
    return key


async def api_key_rotate(uow: UnitOfWork, viewer: Viewer, key_id: int) -> tuple[ApiKey, str]:
    """Requires MANAGE_USERS (own company's keys) or staff role ADMIN. A new secret replaces
    the old one at once (the old one is refused from the next request on); rights, scopes and
    webhooks stay."""
    if not may_manage_keys(viewer):
        raise _denied()
    async with uow:
        key = await _get_for_update(uow, viewer, key_id)
        if key.revoked_at is not None:
            raise DomainError.single(
                IntegrationErrorCode.REVOKED, "A revoked key cannot be rotated.", "id"
            )
        secret = _new_secret(key)
        key.rotated_at = utcnow()
        await uow.commit()
        return key, secret


async def api_key_revoke(uow: UnitOfWork, viewer: Viewer, key_id: int) -> ApiKey:
    """Requires MANAGE_USERS (own company's keys) or staff role ADMIN. The key is refused from
    the next request on, in every process; its webhooks receive nothing more. Idempotent."""
    if not may_manage_keys(viewer):
        raise _denied()
    async with uow:
        key = await _get_for_update(uow, viewer, key_id)
        if key.revoked_at is None:
            key.revoked_at = utcnow()
        await uow.commit()
        return key


async def api_keys(uow: UnitOfWork, viewer: Viewer) -> Sequence[ApiKey]:
    """The keys the viewer manages, newest first (none for anyone else)."""
    return await uow.scalars(select(ApiKey).where(key_scope(viewer)).order_by(ApiKey.id.desc()))


async def viewer_from_api_key(uow: UnitOfWork, secret: str) -> Viewer | None:
    """The viewer a key stands for, or None (unknown, revoked, or its owner can no longer log
    in). A company's key: its owner's company, with the key's rights that the owner still
    holds. A shop key: its owner's staff role, limited to the key's scopes. Records use."""
    async with uow:
        key: ApiKey | None = await uow.scalar(
            select(ApiKey).where(
                ApiKey.secret_digest == token_digest(secret), ApiKey.revoked_at.is_(None)
            )
        )
        if key is None:
            return None
        viewer = await key_viewer(uow, key)
        if viewer is not None:
            await _touch(uow, key)
        await uow.commit()
        return viewer


async def _touch(uow: UnitOfWork, key: ApiKey) -> None:
    now = utcnow()
    if key.last_used_at is None or key.last_used_at < now - LAST_USED_RESOLUTION:
        await uow.session.execute(
            update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=func.now())
        )


async def key_viewer(uow: UnitOfWork, key: ApiKey) -> Viewer | None:
    """Who a key acts as right now (also what its webhooks run with); None when revoked or
    when its owner is inactive."""
    if key.revoked_at is not None:
        return None
    if key.staff_user_id is not None:
        role = await uow.scalar(
            select(StaffUser.role).where(
                StaffUser.id == key.staff_user_id, StaffUser.is_active.is_(True)
            )
        )
        if role is None:
            return None
        return Viewer(
            ViewerKind.STAFF,
            user_id=key.staff_user_id,
            role=StaffRole(role),
            api_key_id=key.id,
            key_scopes=frozenset(key.scopes),
        )
    rows = await uow.rows(
        select(PortalUser.id, PortalUser.company_id, PermissionGroup.rights)
        .join(Company, Company.id == PortalUser.company_id)
        .outerjoin(user_group, user_group.c.user_id == PortalUser.id)
        .outerjoin(PermissionGroup, PermissionGroup.id == user_group.c.group_id)
        .where(
            PortalUser.id == key.portal_user_id,
            PortalUser.company_id == key.company_id,
            PortalUser.is_active.is_(True),
            Company.portal_enabled.is_(True),
        )
    )
    if not rows:
        return None
    held = {r for row in rows for r in (row.rights or ())}
    return Viewer(
        ViewerKind.PORTAL,
        user_id=rows[0].id,
        company_id=rows[0].company_id,
        rights=frozenset(Right(r) for r in key.rights if r in held and r in Right.__members__),
        api_key_id=key.id,
        key_scopes=frozenset(s.value for s in PORTAL_KEY_SCOPES),
    )
