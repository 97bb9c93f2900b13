"""Which payment methods are offered where: staff set offers per channel and customer group;
a viewer asks which methods checkout will accept from them in a channel."""

from __future__ import annotations

from sqlalchemy import delete, select

from domain.accounts.models import CustomerGroup
from domain.accounts.viewer import Viewer
from domain.catalog.models import Channel
from domain.catalog.services import channel_for
from domain.orders.payment_methods import payment_method, payment_method_codes
from domain.payments.credit import require_finance_staff
from domain.payments.errors import PaymentErrorCode
from domain.payments.methods import PaymentMethodCode
from domain.payments.models import PaymentMethodOffer
from domain.shared.errors import DomainError
from domain.shared.uow import UnitOfWork


async def offered_methods(uow: UnitOfWork, viewer: Viewer, channel: str | None) -> list[str]:
    """The method codes checkout accepts from this viewer in the channel (its code; the
    default channel when None)."""
    if not viewer.is_portal:
        return []
    found = await channel_for(uow, viewer, channel)
    codes = []
    for code in payment_method_codes():
        method = payment_method(code)
        if method is not None and await method.offered(uow, viewer, found.id):
            codes.append(code)
    return codes


async def payment_method_offer_set(
    uow: UnitOfWork,
    viewer: Viewer,
    method: PaymentMethodCode,
    offered: bool,
    channel_id: int | None = None,
    customer_group_id: int | None = None,
) -> None:
    """Requires staff role ADMIN, ACCOUNTING or SALES. Offer (or withdraw) a method in a
    channel (None: every channel) to a customer group (None: every group)."""
    require_finance_staff(viewer)
    async with uow:
        if channel_id is not None and await uow.session.get(Channel, channel_id) is None:
            raise DomainError.single(PaymentErrorCode.NOT_FOUND, "Channel not found.", "channelId")
        if (
            customer_group_id is not None
            and await uow.session.get(CustomerGroup, customer_group_id) is None
        ):
            raise DomainError.single(
                PaymentErrorCode.NOT_FOUND, "Customer group not found.", "customerGroupId"
            )
        same = (
            PaymentMethodOffer.method == method.value,
            PaymentMethodOffer.channel_id.is_(None)
            if channel_id is None
            else PaymentMethodOffer.channel_id == channel_id,
            PaymentMethodOffer.customer_group_id.is_(None)
            if customer_group_id is None
            else PaymentMethodOffer.customer_group_id == customer_group_id,
        )
        existing = await uow.scalar(select(PaymentMethodOffer.id).where(*same))
        if offered and existing is None:
            uow.session.add(
                PaymentMethodOffer(
                    method=method.value, channel_id=channel_id, customer_group_id=customer_group_id
                )
            )
        elif not offered:
            await uow.session.execute(delete(PaymentMethodOffer).where(*same))
        await uow.commit()
