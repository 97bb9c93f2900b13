"""What billing offers the payments area: a payment for an order recorded on its invoice, and a
refund's credit note over an amount VAT included, to the cent and once per refund."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.db import SqlUnitOfWork
from domain.billing.errors import BillingErrorCode
from domain.billing.models import CreditNote, CreditNoteLine, Invoice
from domain.billing.refunds import credit_order_refund, spread
from domain.billing.settlement import record_order_payment
from domain.orders.models import Order
from domain.shared.errors import DomainError
from domain.shared.money import Money
from tests.billing_support import company_id, deliver, make_order
from tests.factories import seed

GROSS = 11900 + 5350  # make_order's lines: 100.00 at 19 %, 50.00 at 7 %


@pytest.fixture
async def order(uow: SqlUnitOfWork) -> Order:
    await seed(uow)
    async with uow:
        made = await make_order(uow, await company_id(uow, "acme"))
        await uow.commit()
    return made


async def invoice_of(uow: SqlUnitOfWork, invoice_id: int) -> Invoice:
    async with uow:
        found = await uow.scalar(select(Invoice).where(Invoice.id == invoice_id))
        assert found is not None
        return found  # type: ignore[no-any-return]


def code_of(caught: pytest.ExceptionInfo[DomainError]) -> str:
    return str(caught.value.details[0].code)


async def test_a_payment_for_an_order_settles_its_invoice(uow: SqlUnitOfWork, order: Order) -> None:
    async with uow:
        assert await record_order_payment(uow, order.id, Money(1000, "EUR")) is None
    await deliver(uow, order)
    async with uow:
        invoice_id = await record_order_payment(uow, order.id, Money(10000, "EUR"))
        await uow.commit()
    assert invoice_id is not None
    part = await invoice_of(uow, invoice_id)
    assert (part.paid_amount, part.open_amount, part.paid_at) == (10000, GROSS - 10000, None)
    # More than is open: the rest stays with the payment; the invoice is paid.
    async with uow:
        assert await record_order_payment(uow, order.id, Money(10000, "EUR")) == invoice_id
        await uow.commit()
    paid = await invoice_of(uow, invoice_id)
    assert (paid.paid_amount, paid.open_amount) == (GROSS, 0) and paid.paid_at is not None
    async with uow:
        with pytest.raises(DomainError) as caught:
            await record_order_payment(uow, order.id, Money(100, "USD"))
        assert code_of(caught) == BillingErrorCode.CURRENCY_MISMATCH
        with pytest.raises(DomainError) as caught:
            await record_order_payment(uow, order.id, Money(0, "EUR"))
        assert code_of(caught) == BillingErrorCode.INVALID_AMOUNT


async def test_a_refund_is_credited_to_the_cent_once(uow: SqlUnitOfWork, order: Order) -> None:
    async with uow:
        refund = Money(5000, "EUR")
        assert await credit_order_refund(uow, order.id, refund, "r", refund_reference="x") is None
    await deliver(uow, order)
    async with uow:
        invoice_id = await record_order_payment(uow, order.id, Money(GROSS, "EUR"))
        await uow.commit()
    assert invoice_id is not None
    async with uow:
        note = await credit_order_refund(
            uow, order.id, Money(5000, "EUR"), "Damaged box", refund_reference="re_1"
        )
        await uow.commit()
    assert note is not None and note.invoice_id == invoice_id
    # 50.00 over what is left of 119.00 and 53.50: 34.49 at 19 %, 15.51 at 7 %.
    async with uow:
        lines = list(
            await uow.scalars(
                select(CreditNoteLine)
                .where(CreditNoteLine.credit_note_id == note.id)
                .order_by(CreditNoteLine.position)
            )
        )
    assert [(x.net_amount, x.vat_amount) for x in lines] == [(2898, 551), (1450, 101)]
    assert (note.net_amount, note.vat_amount, note.gross_amount) == (4348, 652, 5000)
    invoice = await invoice_of(uow, invoice_id)
    # The money went back: paid less, credited more, nothing newly open.
    assert (invoice.paid_amount, invoice.credited_amount, invoice.open_amount) == (
        GROSS - 5000,
        5000,
        0,
    )
    # The same refund again: the same credit note, nothing changes.
    async with uow:
        again = await credit_order_refund(
            uow, order.id, Money(5000, "EUR"), "Damaged box", refund_reference="re_1"
        )
        await uow.commit()
    assert again is not None and again.id == note.id
    assert (await invoice_of(uow, invoice_id)).paid_amount == GROSS - 5000
    # The rest: the invoice is credited in full, net and VAT exactly.
    async with uow:
        rest = await credit_order_refund(
            uow, order.id, Money(GROSS - 5000, "EUR"), "Cancelled", refund_reference="re_2"
        )
        await uow.commit()
        notes = list(
            await uow.scalars(select(CreditNote).where(CreditNote.invoice_id == invoice_id))
        )
    assert rest is not None and rest.gross_amount == GROSS - 5000
    assert sum(n.net_amount for n in notes) == 15000 and sum(n.vat_amount for n in notes) == 2250
    assert (await invoice_of(uow, invoice_id)).paid_amount == 0
    async with uow:
        with pytest.raises(DomainError) as caught:
            await credit_order_refund(uow, order.id, Money(1, "EUR"), "x", refund_reference="re_3")
        assert code_of(caught) == BillingErrorCode.EXCEEDS_INVOICE


def test_spread_adds_up_and_stays_within_each_weight() -> None:
    assert spread(5000, [11900, 5350]) == [3449, 1551]
    assert spread(3, [1, 1, 1]) == [1, 1, 1]
    assert spread(7, [0, 7]) == [0, 7]
    assert spread(0, [5, 5]) == [0, 0]
