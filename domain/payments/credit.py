"""Credit limits per company for orders on account, and the staff decision on an order that
would exceed one."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.accounts.models import Company
from domain.accounts.viewer import Viewer
from domain.orders.errors import OrderErrorCode
from domain.orders.lifecycle import order_for_update, transition
from domain.orders.models import Order
from domain.orders.state import OrderStatus
from domain.payments.errors import PaymentErrorCode
from domain.payments.models import CompanyCredit, Payment
from domain.payments.policies import records_payments
from domain.shared.errors import DomainError
from domain.shared.money import is_currency_code
from domain.shared.uow import UnitOfWork

# Binding orders: what the company owes for them until paid.
OWED_STATUSES = (
    OrderStatus.AWAITING_PAYMENT,
    OrderStatus.RELEASED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.COMPLETED,
    OrderStatus.DELIVERED,
)


def require_finance_staff(viewer: Viewer) -> None:
    if not records_payments(viewer):
        raise DomainError.single(
            PaymentErrorCode.PERMISSION_DENIED, "Requires staff role ADMIN, ACCOUNTING or SALES."
        )


async def open_on_account(uow: UnitOfWork, company_id: int, exclude_order_id: int) -> int:
    """What the company owes for binding orders on account, less what it paid for them."""
    orders = (
        select(Order.id, Order.gross_amount)
        .where(
            Order.company_id == company_id,
            Order.payment_method == "ON_ACCOUNT",
            Order.status.in_(OWED_STATUSES),
            Order.id != exclude_order_id,
        )
        .subquery()
    )
    owed = await uow.scalar(select(func.coalesce(func.sum(orders.c.gross_amount), 0)))
    paid = await uow.scalar(
        select(func.coalesce(func.sum(Payment.amount - Payment.refunded_amount), 0)).where(
            Payment.order_id.in_(select(orders.c.id))
        )
    )
    return int(owed) - int(paid)


async def credit_exceeded(uow: UnitOfWork, order: Order) -> bool:
    """Whether this order on account would take its company past its credit limit."""
    credit: CompanyCredit | None = await uow.session.get(CompanyCredit, order.company_id)
    if credit is None:
        return False
    # Orders of one company check their limit one after the other.
    await uow.session.execute(
        select(func.pg_advisory_xact_lock(func.hashtext(f"credit:{order.company_id}")))
    )
    open_amount = await open_on_account(uow, order.company_id, order.id)
    return open_amount + order.gross_amount > credit.credit_limit


async def credit_limit_set(
    uow: UnitOfWork, viewer: Viewer, company_id: int, limit: int | None, currency: str
) -> CompanyCredit | None:
    """Requires staff role ADMIN, ACCOUNTING or SALES. None removes the limit."""
    require_finance_staff(viewer)
    if limit is not None and limit < 0:
        raise DomainError.single(
            PaymentErrorCode.INVALID_AMOUNT, "A credit limit is 0 or more.", "creditLimit"
        )
    if not is_currency_code(currency):
        raise DomainError.single(
            PaymentErrorCode.INVALID, "A currency is an ISO 4217 code (EUR).", "currency"
        )
    async with uow:
        if await uow.session.get(Company, company_id) is None:
            raise DomainError.single(PaymentErrorCode.NOT_FOUND, "Company not found.", "companyId")
        credit = await uow.session.get(CompanyCredit, company_id)
        if limit is None:
            if credit is not None:
                await uow.session.delete(credit)
            await uow.commit()
            return None
        if credit is None:
            credit = CompanyCredit(company_id=company_id, credit_limit=limit, currency=currency)
            uow.session.add(credit)
        credit.credit_limit = limit
        credit.currency = currency
        await uow.commit()
        return credit


async def order_staff_decide(
    uow: UnitOfWork, viewer: Viewer, order_id: int, release: bool, reason: str
) -> Order:
    """Requires staff role ADMIN, ACCOUNTING or SALES: release (or reject) an order that the
    payment method turned into a proposal for staff (e.g. over the credit limit)."""
    require_finance_staff(viewer)
    async with uow:
        order = await order_for_update(uow, viewer, order_id)
        if order.status is not OrderStatus.PENDING_APPROVAL or order.staff_review_reason is None:
            raise DomainError.single(
                OrderErrorCode.ALREADY_DECIDED,
                "This order is not waiting for the shop's decision.",
                "id",
            )
        target = OrderStatus.RELEASED if release else OrderStatus.REJECTED
        note = reason.strip() or ("released by the shop" if release else "rejected by the shop")
        await transition(uow, viewer, order, target, f"{order.staff_review_reason}: {note}")
        await uow.commit()
        return order
