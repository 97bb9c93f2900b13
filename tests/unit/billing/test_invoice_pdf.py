"""The PDF: rendered with WeasyPrint, parsed back with pypdf (its totals), and the Factur-X
PDF/A-3 carries the CII XML, which the `factur-x` library reads back."""

from __future__ import annotations

import io

from facturx import get_xml_from_pdf
from pypdf import PdfReader

from domain.billing.documents.html import document_html
from domain.billing.documents.pdf import document_pdf, facturx_pdf
from tests.unit.billing.documents import domestic_invoice, reverse_charge_invoice


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_pdf_shows_number_lines_vat_breakdown_and_totals() -> None:
    doc = domestic_invoice()
    text = text_of(document_pdf(doc))
    assert "Invoice RE-2026-00001" in text
    assert "123.45" in text and "50.00" in text  # line nets
    assert "23.46" in text and "3.50" in text  # VAT 19 % and 7 %
    assert "173.45" in text and "200.41" in text  # net and gross totals
    assert "DE123456789" in text  # the buyer's VAT number


def test_html_escapes_what_customers_typed() -> None:
    html = document_html(domestic_invoice())
    assert "Book &lt;hardcover&gt; &amp; more" in html and "<hardcover>" not in html


def test_reverse_charge_is_stated_on_the_pdf() -> None:
    text = text_of(document_pdf(reverse_charge_invoice()))
    assert "Reverse charge" in text and "NL123456789B01" in text
    assert "2026-11-01" in text  # the collective invoice's period


def test_factur_x_pdf_embeds_the_xml() -> None:
    doc = domestic_invoice()
    pdf = facturx_pdf(doc)
    filename, xml = get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    assert b"RE-2026-00001" in xml and b"200.41" in xml
    assert "200.41" in text_of(pdf)
