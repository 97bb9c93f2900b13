"""Mailing an issued invoice: the `billing.invoice_mail` job renders the Factur-X PDF (the
XML inside) and queues the mail with it to the company's invoice address."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from domain.billing.documents.loading import invoice_document
from domain.billing.documents.pdf import facturx_pdf, file_stem
from domain.billing.models import Invoice
from domain.billing.reminders import format_amount
from domain.shared.mail import Attachment
from domain.shared.uow import UnitOfWork


async def mail_invoice(uow: UnitOfWork, invoice_id: int) -> bool:
    """Queue the invoice's mail in the caller's transaction; False when there is no invoice or
    no address to send it to. Rendering runs in a thread (WeasyPrint is CPU-bound)."""
    invoice = await uow.scalar(select(Invoice).where(Invoice.id == invoice_id))
    if invoice is None or not invoice.buyer.get("email"):
        return False
    doc = await invoice_document(uow, invoice)
    pdf = await asyncio.to_thread(facturx_pdf, doc)
    seller = invoice.seller
    uow.send_mail(
        str(invoice.buyer["email"]),
        f"Invoice {invoice.number} from {seller['name']}",
        f"Dear customer,\n\nplease find attached our invoice {invoice.number} of "
        f"{invoice.issue_date.isoformat()} over "
        f"{format_amount(invoice.gross_amount, invoice.currency)}, due on "
        f"{invoice.due_date.isoformat()}. The PDF carries the e-invoice (Factur-X) for your "
        f"accounting system.\n\n{seller['name']}",
        [Attachment(f"{file_stem(doc)}.pdf", "application/pdf", pdf)],
    )
    return True
