"""registrationRequestCreate/Approve/Reject, passwordResetRequest/Confirm, staffUserCreate."""

from __future__ import annotations

from domain.accounts import models as am
from domain.accounts import registration as reg
from domain.accounts.errors import AccountErrorCode
from resolvers.ids import optional_pk, require_pk
from resolvers.mutation import run
from schema.accounts.inputs import (
    PasswordResetConfirmInput,
    PasswordResetRequestInput,
    RegistrationRequestApproveInput,
    RegistrationRequestCreateInput,
    RegistrationRequestRejectInput,
    StaffUserCreateInput,
)
from schema.accounts.payloads import (
    PasswordResetConfirmPayload,
    PasswordResetRequestPayload,
    RegistrationRequest,
    RegistrationRequestCreatePayload,
    RegistrationRequestDecidePayload,
    StaffUserCreatePayload,
)
from schema.accounts.types import AccountError, CustomerGroup, StaffUser
from schema.context import Info

NF = AccountErrorCode.NOT_FOUND


async def registration_request_create(
    info: Info, input: RegistrationRequestCreateInput
) -> RegistrationRequestCreatePayload:
    data = reg.RegistrationData(
        company_name=input.company_name,
        legal_form=input.legal_form,
        contact_name=input.contact_name,
        email=input.email,
        password=input.password,
        phone=input.phone,
        vat_id=input.vat_id,
        message=input.message,
    )
    return await run(
        RegistrationRequestCreatePayload,
        AccountError,
        lambda: reg.registration_request_create(info.context.uow, data),
        lambda _: {"accepted": True},
    )


async def registration_request_approve(
    info: Info, input: RegistrationRequestApproveInput
) -> RegistrationRequestDecidePayload:
    ctx = info.context

    async def action() -> am.RegistrationRequest:
        return await reg.registration_request_approve(
            ctx.uow,
            ctx.viewer,
            require_pk(input.id, RegistrationRequest, "id", NF),
            input.customer_code.strip(),
            optional_pk(input.customer_group_id, CustomerGroup, "customerGroupId", NF),
            ctx.services.public_base_url,
        )

    return await run(
        RegistrationRequestDecidePayload,
        AccountError,
        action,
        lambda r: {"registration_request": RegistrationRequest.from_model(r)},
    )


async def registration_request_reject(
    info: Info, input: RegistrationRequestRejectInput
) -> RegistrationRequestDecidePayload:
    ctx = info.context

    async def action() -> am.RegistrationRequest:
        request_id = require_pk(input.id, RegistrationRequest, "id", NF)
        return await reg.registration_request_reject(ctx.uow, ctx.viewer, request_id, input.reason)

    return await run(
        RegistrationRequestDecidePayload,
        AccountError,
        action,
        lambda r: {"registration_request": RegistrationRequest.from_model(r)},
    )


async def password_reset_request(
    info: Info, input: PasswordResetRequestInput
) -> PasswordResetRequestPayload:
    ctx = info.context
    return await run(
        PasswordResetRequestPayload,
        AccountError,
        lambda: reg.password_reset_request(
            ctx.uow,
            input.login,
            ctx.services.password_reset_ttl_s,
            f"{ctx.services.public_base_url}/reset-password",
        ),
        lambda _: {"accepted": True},
    )


async def password_reset_confirm(
    info: Info, input: PasswordResetConfirmInput
) -> PasswordResetConfirmPayload:
    return await run(
        PasswordResetConfirmPayload,
        AccountError,
        lambda: reg.password_reset_confirm(info.context.uow, input.token, input.new_password),
        lambda _: {"success": True},
    )


async def staff_user_create(info: Info, input: StaffUserCreateInput) -> StaffUserCreatePayload:
    ctx = info.context
    data = reg.StaffUserData(
        email=input.email, full_name=input.full_name, role=input.role, password=input.password
    )
    return await run(
        StaffUserCreatePayload,
        AccountError,
        lambda: reg.staff_user_create(ctx.uow, ctx.viewer, data),
        lambda u: {"staff_user": StaffUser.from_model(u)},
    )
