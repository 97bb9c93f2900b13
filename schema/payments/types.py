"""Payments, the online payment a storefront confirms, a company's account and statement."""

from __future__ import annotations

import datetime as dt
from typing import TypeAlias

import strawberry
from strawberry import relay

from domain.payments import balance as b
from domain.payments import models as pm
from domain.payments.errors import PaymentErrorCode as _PaymentErrorCode
from domain.payments.methods import PaymentMethodCode as _PaymentMethodCode
from schema.core import UserError, to_gid
from schema.pricing.types import Money

PaymentErrorCode: TypeAlias = _PaymentErrorCode
strawberry.enum(PaymentErrorCode, description="Why a payments mutation failed.")
PaymentMethodCode: TypeAlias = _PaymentMethodCode
strawberry.enum(PaymentMethodCode, description="How an order is paid (`orderPlace`).")


@strawberry.type(description="A failure of a payments mutation.")
class PaymentError(UserError):
    code: PaymentErrorCode


@strawberry.type(description="Money received for an order, or a top-up of a prepaid balance.")
class Payment:
    id: relay.GlobalID
    method: str
    amount: Money
    refunded: Money
    provider: str = strawberry.field(description="stripe, bank, staff or balance.")
    reference: str
    received_at: dt.datetime
    order_id: relay.GlobalID | None
    invoice_id: relay.GlobalID | None = strawberry.field(
        description="The invoice (an `Invoice` ID) the payment is recorded on: set when billing "
        "issues the order's invoice, or at once when it exists already."
    )

    @classmethod
    def from_model(cls, p: pm.Payment) -> Payment:
        return cls(
            id=to_gid("Payment", p.id),
            method=p.method,
            amount=Money(amount=p.amount, currency=p.currency),
            refunded=Money(amount=p.refunded_amount, currency=p.currency),
            provider=p.provider,
            reference=p.reference,
            received_at=p.received_at,
            order_id=to_gid("Order", p.order_id) if p.order_id is not None else None,
            invoice_id=to_gid("Invoice", p.invoice_id) if p.invoice_id is not None else None,
        )


@strawberry.type(description="A refund of a payment.")
class Refund:
    id: relay.GlobalID
    amount: Money
    reason: str
    provider_reference: str | None

    @classmethod
    def from_model(cls, r: pm.Refund) -> Refund:
        return cls(
            id=to_gid("Refund", r.id),
            amount=Money(amount=r.amount, currency=r.currency),
            reason=r.reason,
            provider_reference=r.provider_reference,
        )


@strawberry.type(
    description="What the storefront needs to confirm an online payment (Stripe.js "
    "`confirmPayment` with the client secret); the order is released when it succeeds."
)
class OnlinePaymentAction:
    provider: str
    method: str
    client_secret: str
    status: str
    amount: Money

    @classmethod
    def from_model(cls, o: pm.OnlinePayment) -> OnlinePaymentAction:
        return cls(
            provider=o.provider,
            method=o.method,
            client_secret=o.client_secret,
            status=o.status,
            amount=Money(amount=o.amount, currency=o.currency),
        )


@strawberry.type(description="One line of an account statement.")
class StatementEntry:
    at: dt.datetime
    kind: str = strawberry.field(description="ORDER, PAYMENT, REFUND or CREDIT_NOTE.")
    reference: str
    debit: int = strawberry.field(description="Minor units the company owes more.")
    credit: int = strawberry.field(description="Minor units it paid.")
    balance: int = strawberry.field(description="What it owes after this line (minor units).")


@strawberry.type(description="A company's account statement over a period.")
class AccountStatement:
    start: dt.date
    end: dt.date
    currency: str
    opening: int
    closing: int
    entries: list[StatementEntry]
    csv: str = strawberry.field(description="The statement as CSV.")

    @classmethod
    def from_domain(cls, s: b.Statement) -> AccountStatement:
        return cls(
            start=s.start,
            end=s.end,
            currency=s.currency,
            opening=s.opening,
            closing=s.closing,
            entries=[
                StatementEntry(
                    at=e.at,
                    kind=e.kind,
                    reference=e.reference,
                    debit=e.debit,
                    credit=e.credit,
                    balance=e.balance,
                )
                for e in s.entries
            ],
            csv=b.statement_csv(s),
        )


@strawberry.type(description="What a company owes, paid and holds as prepaid balance.")
class CompanyAccount:
    owed: Money = strawberry.field(
        description="Binding orders less credit notes and payments (negative: the company's "
        "credit)."
    )
    paid: Money = strawberry.field(description="Payments for orders, less refunds.")
    prepaid_balance: Money = strawberry.field(
        description="Prepaid balance, to pay orders with (PREPAID_BALANCE)."
    )
    credit_limit: Money | None = strawberry.field(description="For orders on account.")
    open_invoices: Money = strawberry.field(
        description="Issued invoices not yet settled: their gross less payments and credit notes."
    )
    overdue: Money = strawberry.field(description="Of the open invoices, what is past due.")
    overdue_invoices: int = strawberry.field(description="How many invoices are past due.")

    @classmethod
    def from_domain(cls, a: b.AccountBalance) -> CompanyAccount:
        def money(amount: int) -> Money:
            return Money(amount=amount, currency=a.currency)

        return cls(
            owed=money(a.owed),
            paid=money(a.paid),
            prepaid_balance=money(a.prepaid),
            credit_limit=money(a.credit_limit) if a.credit_limit is not None else None,
            open_invoices=money(a.open_invoices),
            overdue=money(a.overdue),
            overdue_invoices=a.overdue_invoices,
        )


@strawberry.type
class PaymentPayload:
    payment: Payment | None = None
    errors: list[PaymentError] = strawberry.field(default_factory=list)


@strawberry.type
class RefundPayload:
    refund: Refund | None = None
    payment: Payment | None = None
    errors: list[PaymentError] = strawberry.field(default_factory=list)


@strawberry.type(description="One line of an imported bank statement.")
class BankStatementLine:
    row: int
    reference: str
    amount: Money
    payment: Payment | None = strawberry.field(description="The payment it was matched to.")
    already_recorded: bool = strawberry.field(description="Recorded by an earlier import.")
    problem: str | None = strawberry.field(description="Why it was not matched.")


@strawberry.type
class BankStatementImportPayload:
    lines: list[BankStatementLine] = strawberry.field(default_factory=list)
    errors: list[PaymentError] = strawberry.field(default_factory=list)


@strawberry.type
class CreditLimitSetPayload:
    credit_limit: Money | None = None
    errors: list[PaymentError] = strawberry.field(default_factory=list)


@strawberry.type(description="A company's account moved (subscription).")
class AccountChangedEvent:
    event_id: int = strawberry.field(description="Pass as `after` when reconnecting.")
    kind: str = strawberry.field(
        description="payment.received, payment.refunded or balance.changed."
    )
    company_id: relay.GlobalID
    payment_id: relay.GlobalID | None
    amount: int | None = strawberry.field(description="Minor units, for payments and refunds.")


@strawberry.type(description="The viewer's cart changed: refetch it (subscription).")
class CartChangedEvent:
    event_id: int = strawberry.field(description="Pass as `after` when reconnecting.")


@strawberry.type
class PaymentMethodOfferSetPayload:
    method: PaymentMethodCode | None = None
    offered: bool | None = None
    errors: list[PaymentError] = strawberry.field(default_factory=list)
