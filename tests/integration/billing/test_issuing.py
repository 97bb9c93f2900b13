"""Issuing invoices against PostgreSQL: per delivered order, collective per month, gapless
numbers under concurrency and rollback, credit notes, VAT treatments, payments, reminders."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db import SqlUnitOfWork, session_factory
from domain.accounts.models import Company
from domain.accounts.rights import InvoiceSchedule
from domain.billing.collective import issue_collective_invoices, last_complete_period
from domain.billing.credit_notes import CreditLine, issue_credit_note
from domain.billing.issuing import issue_invoice
from domain.billing.models import Invoice, InvoiceKind, InvoiceLine, VatTreatment
from domain.billing.reminders import send_overdue_reminders
from domain.billing.settlement import invoice_open_amount, record_payment_on_invoice
from domain.mail.models import OutgoingMail
from domain.orders.models import Order
from domain.shared.errors import DomainError
from domain.shared.money import Money
from tests.billing_support import (
    backdate_delivery,
    company_id,
    deliver,
    make_order,
    move_company,
)
from tests.factories import seed


@pytest.fixture
async def acme(uow: SqlUnitOfWork) -> int:
    await seed(uow)
    return await company_id(uow, "acme")


async def new_order(uow: SqlUnitOfWork, company: int, **kw) -> Order:  # type: ignore[no-untyped-def]
    async with uow:
        order = await make_order(uow, company, **kw)
        await uow.commit()
    return order


async def invoices(uow: SqlUnitOfWork) -> list[Invoice]:
    async with uow:
        return list(await uow.scalars(select(Invoice).order_by(Invoice.sequence)))


async def test_a_delivered_order_gets_its_invoice(uow: SqlUnitOfWork, acme: int) -> None:
    order = await new_order(uow, acme)
    await deliver(uow, order)
    [invoice] = await invoices(uow)
    year = dt.date.today().year
    assert invoice.number == f"RE-{year}-00001" and invoice.kind is InvoiceKind.SINGLE
    assert (invoice.net_amount, invoice.vat_amount, invoice.gross_amount) == (
        order.net_amount,
        order.vat_amount,
        order.gross_amount,
    )
    assert (invoice.vat_amount, invoice.gross_amount) == (1900 + 350, 17250)
    assert invoice.due_date == invoice.issue_date + dt.timedelta(days=invoice.payment_terms_days)
    assert invoice.vat_treatment is VatTreatment.DOMESTIC and invoice.vat_note == ""
    assert invoice.buyer["code"] == "acme" and invoice.seller["vatId"]
    async with uow:
        lines = await uow.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice.id))
        assert [(ln.vat_category, str(ln.vat_rate_percent), ln.vat_amount) for ln in lines] == [
            ("S", "19.00", 1900),
            ("S", "7.00", 350),
        ]
        # The mail with the PDF is a job, deferred in the issuing transaction.
        jobs, _ = await uow.jobs.list_jobs(None, "billing.invoice_mail", 0, 10)
        assert len(jobs) == 1


async def test_invoiced_externally_orders_and_groups_get_no_invoice(
    uow: SqlUnitOfWork, acme: int
) -> None:
    order = await new_order(uow, acme)
    async with uow:
        (await uow.scalar(select(Order).where(Order.id == order.id))).invoiced_externally = True
        await uow.commit()
    await deliver(uow, order)
    globex = await company_id(uow, "globex")
    async with uow:
        company = await uow.scalar(select(Company).where(Company.id == globex))
        company.invoice_schedule = InvoiceSchedule.EXTERNAL
        await uow.commit()
    await deliver(uow, await new_order(uow, globex))
    assert await invoices(uow) == []


async def test_collective_monthly_invoice_covers_every_delivered_order(
    uow: SqlUnitOfWork, acme: int
) -> None:
    async with uow:
        company = await uow.scalar(select(Company).where(Company.id == acme))
        company.invoice_schedule = InvoiceSchedule.MONTHLY
        await uow.commit()
    today = dt.date(2026, 12, 5)
    start, end = last_complete_period(InvoiceSchedule.MONTHLY, today)
    assert (start, end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    in_period = [await new_order(uow, acme) for _ in range(2)]
    later = await new_order(uow, acme)
    for order in [*in_period, later]:
        await deliver(uow, order)
    assert await invoices(uow) == []  # monthly: nothing on delivery
    for order in in_period:
        await backdate_delivery(uow, order.id, dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC))
    await backdate_delivery(uow, later.id, dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC))
    async with uow:
        [invoice] = await issue_collective_invoices(uow, InvoiceSchedule.MONTHLY, today)
        await uow.commit()
    assert invoice.kind is InvoiceKind.COLLECTIVE
    assert (invoice.period_start, invoice.period_end) == (start, end)
    assert invoice.gross_amount == sum(o.gross_amount for o in in_period)
    async with uow:
        billed = set(
            await uow.scalars(
                select(InvoiceLine.order_id).where(InvoiceLine.invoice_id == invoice.id)
            )
        )
        assert billed == {o.id for o in in_period}
        # A repeated run issues nothing twice.
        assert await issue_collective_invoices(uow, InvoiceSchedule.MONTHLY, today) == []
        await uow.commit()


async def test_fifty_concurrent_issues_get_fifty_consecutive_numbers(
    engine: AsyncEngine, uow: SqlUnitOfWork, acme: int
) -> None:
    orders = [await new_order(uow, acme, lines=((1000, "19.00"),)) for _ in range(50)]
    sessions = session_factory(engine)

    async def issue(order_id: int) -> str:
        own = SqlUnitOfWork(sessions)
        try:
            async with own:
                order = await own.scalar(select(Order).where(Order.id == order_id))
                invoice = await issue_invoice(own, [order])
                await asyncio.sleep(0)  # let the others reach the counter meanwhile
                await own.commit()
                return invoice.number
        finally:
            await own.close()

    numbers = await asyncio.gather(*(issue(o.id) for o in orders))
    year = dt.date.today().year
    assert sorted(numbers) == [f"RE-{year}-{n:05d}" for n in range(1, 51)]


async def test_a_rolled_back_issue_leaves_no_gap(uow: SqlUnitOfWork, acme: int) -> None:
    first, second, third = [(await new_order(uow, acme)).id for _ in range(3)]
    async with uow:
        await issue_invoice(uow, [await uow.scalar(select(Order).where(Order.id == first))])
        await uow.commit()
    async with uow:
        lost = await issue_invoice(uow, [await uow.scalar(select(Order).where(Order.id == second))])
        assert lost.sequence == 2
        await uow.rollback()
    async with uow:
        again = await issue_invoice(uow, [await uow.scalar(select(Order).where(Order.id == third))])
        await uow.commit()
    assert again.sequence == 2
    assert [i.sequence for i in await invoices(uow)] == [1, 2]


async def test_credit_notes_full_and_per_line(uow: SqlUnitOfWork, acme: int) -> None:
    order = await new_order(uow, acme)
    await deliver(uow, order)
    [invoice] = await invoices(uow)
    invoice_id, number, gross = invoice.id, invoice.number, invoice.gross_amount
    async with uow:
        lines = list(
            await uow.scalars(
                select(InvoiceLine)
                .where(InvoiceLine.invoice_id == invoice.id)
                .order_by(InvoiceLine.position)
            )
        )
        part = await issue_credit_note(
            uow, invoice.id, "Ten misprinted", [CreditLine(lines[0].id, net_amount=1000)]
        )
        await uow.commit()
    year = dt.date.today().year
    assert part.number == f"GS-{year}-00001"
    assert (part.net_amount, part.vat_amount, part.gross_amount) == (1000, 190, 1190)
    part_gross = part.gross_amount
    async with uow:
        with pytest.raises(DomainError) as too_much:
            await issue_credit_note(
                uow, invoice_id, "again", [CreditLine(lines[0].id, net_amount=9001)]
            )
        assert too_much.value.details[0].code.value == "EXCEEDS_INVOICE"
        await uow.rollback()
    async with uow:
        rest = await issue_credit_note(uow, invoice_id, "Order cancelled after delivery")
        await uow.commit()
    assert rest.number == f"GS-{year}-00002"
    assert part_gross + rest.gross_amount == gross
    [after] = await invoices(uow)
    assert after.credited_amount == gross and after.open_amount == 0
    # The invoice itself is as issued.
    assert (after.number, after.gross_amount) == (number, gross)


async def test_reverse_charge_for_an_eu_business_abroad(uow: SqlUnitOfWork, acme: int) -> None:
    await move_company(uow, acme, "NL", "NL123456789B01")
    await deliver(uow, await new_order(uow, acme))
    [invoice] = await invoices(uow)
    assert invoice.vat_treatment is VatTreatment.REVERSE_CHARGE
    assert invoice.vat_amount == 0 and invoice.gross_amount == invoice.net_amount == 15000
    assert "Reverse charge" in invoice.vat_note
    assert invoice.buyer["vatId"] == "NL123456789B01"


async def test_a_malformed_vat_number_abroad_pays_vat(uow: SqlUnitOfWork, acme: int) -> None:
    await move_company(uow, acme, "NL", "NL12345")
    await deliver(uow, await new_order(uow, acme))
    [invoice] = await invoices(uow)
    assert invoice.vat_treatment is VatTreatment.DOMESTIC and invoice.vat_amount == 2250


async def test_export_outside_the_eu_is_zero_rated(uow: SqlUnitOfWork, acme: int) -> None:
    await move_company(uow, acme, "CH", None)
    await deliver(uow, await new_order(uow, acme))
    [invoice] = await invoices(uow)
    assert invoice.vat_treatment is VatTreatment.EXPORT and invoice.vat_amount == 0
    assert "export" in invoice.vat_note.lower()


async def test_payments_settle_and_reminders_follow_overdue(uow: SqlUnitOfWork, acme: int) -> None:
    await deliver(uow, await new_order(uow, acme))
    await deliver(uow, await new_order(uow, acme))
    paid, overdue = await invoices(uow)
    async with uow:
        await record_payment_on_invoice(uow, paid.id, Money(paid.gross_amount, "EUR"))
        with pytest.raises(DomainError):
            await record_payment_on_invoice(uow, overdue.id, Money(overdue.gross_amount + 1, "EUR"))
        await uow.commit()
    async with uow:
        await record_payment_on_invoice(uow, overdue.id, Money(250, "EUR"))
        await uow.commit()
    async with uow:
        assert await invoice_open_amount(uow, paid.id) == Money(0, "EUR")
        assert await invoice_open_amount(uow, overdue.id) == Money(
            overdue.gross_amount - 250, "EUR"
        )
    later = overdue.due_date + dt.timedelta(days=1)
    async with uow:
        reminded = await send_overdue_reminders(uow, later)
        await uow.commit()
    assert [i.id for i in reminded] == [overdue.id]
    async with uow:
        assert await send_overdue_reminders(uow, later) == []  # not again the same week
        mails = await uow.scalars(
            select(OutgoingMail).where(OutgoingMail.subject.like("Reminder%"))
        )
        assert len(mails) == 1 and "170.00 EUR" in mails[0].body_text
        assert await uow.scalar(select(func.count()).select_from(Invoice)) == 2
