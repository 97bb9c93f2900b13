"""The printable document as HTML with its CSS (templates/document.html and document.css),
branded with the seller profile's colour. Every value is escaped."""

from __future__ import annotations

from html import escape
from importlib import resources
from string import Template

from domain.billing.documents.view import DocumentView
from domain.billing.profile import seller_profile

_TEMPLATES = resources.files("domain.billing.documents") / "templates"
_HTML = Template((_TEMPLATES / "document.html").read_text(encoding="utf-8"))
_CSS = Template((_TEMPLATES / "document.css").read_text(encoding="utf-8"))


def _address(p: dict[str, object]) -> str:
    parts = [p.get("street"), f"{p.get('postalCode') or ''} {p.get('city') or ''}".strip()]
    return ", ".join(escape(str(x)) for x in parts if x)


def document_html(doc: DocumentView) -> str:
    """The HTML the PDF is rendered from."""
    seller, buyer = doc.seller, doc.buyer
    a = doc.amount
    buyer_lines = [
        buyer.get("name"),
        buyer.get("contactName"),
        buyer.get("street"),
        f"{buyer.get('postalCode') or ''} {buyer.get('city') or ''}".strip(),
        buyer.get("country"),
        f"VAT ID {buyer['vatId']}" if buyer.get("vatId") else None,
    ]
    meta = [f"<tr><td>Customer</td><td>{escape(str(buyer.get('code') or ''))}</td></tr>"]
    if doc.due_date:
        meta.append(f"<tr><td>Due date</td><td>{doc.due_date.isoformat()}</td></tr>")
    if doc.period:
        meta.append(
            f"<tr><td>Period</td><td>{doc.period[0].isoformat()} to {doc.period[1].isoformat()}"
            "</td></tr>"
        )
    if doc.invoice_number:
        meta.append(f"<tr><td>Invoice</td><td>{escape(doc.invoice_number)}</td></tr>")
    intro = (
        f"<p>We credit you the following against invoice {escape(doc.invoice_number or '')}: "
        f"{escape(doc.reason)}</p>"
        if doc.is_credit_note
        else "<p>We invoice you for the following, delivered as ordered.</p>"
    )
    rows = "".join(
        f"<tr><td>{line.position}</td><td>{escape(line.description)}</td>"
        f"<td>{escape(line.reference)}</td><td class='num'>{line.quantity}</td>"
        f"<td class='num'>{line.vat_rate_percent:.2f} % {line.vat_category}</td>"
        f"<td class='num'>{a(line.net_amount)}</td></tr>"
        for line in doc.lines
    )
    vat_rows = "".join(
        f"<tr><td>VAT {g.rate:.2f} % ({g.category}) on {a(g.taxable)}</td>"
        f"<td class='num vat'>{a(g.vat)}</td></tr>"
        for g in doc.breakdown
    )
    note = f'<div class="note">{escape(doc.vat_note)}</div>' if doc.vat_note else ""
    payment = (
        ""
        if doc.is_credit_note
        else f'<div class="payment">Please transfer {a(doc.gross_amount)} {escape(doc.currency)} '
        f"by {doc.due_date.isoformat() if doc.due_date else ''} to IBAN "
        f"{escape(str(seller.get('iban') or ''))} (BIC {escape(str(seller.get('bic') or ''))}), "
        f"reference {escape(doc.number)}.</div>"
    )
    css = _CSS.safe_substitute(
        brand=seller_profile().brand_colour,
        seller_name=escape(str(seller["name"])).replace('"', ""),
        seller_vat=escape(str(seller.get("vatId") or "")),
        seller_iban=escape(str(seller.get("iban") or "")),
    )
    return _HTML.substitute(
        title=doc.title,
        number=escape(doc.number),
        css=css,
        seller_name=escape(str(seller["name"])),
        seller_address=_address(seller) + f", {escape(str(seller.get('country') or ''))}",
        seller_vat=escape(str(seller.get("vatId") or "")),
        seller_email=escape(str(seller.get("email") or "")),
        buyer_block="<br>".join(escape(str(x)) for x in buyer_lines if x),
        issue_date=doc.issue_date.isoformat(),
        meta_rows="".join(meta),
        intro=intro,
        currency=escape(doc.currency),
        line_rows=rows,
        net=a(doc.net_amount),
        vat_rows=vat_rows,
        gross=a(doc.gross_amount),
        vat_note=note,
        payment=payment,
    )
