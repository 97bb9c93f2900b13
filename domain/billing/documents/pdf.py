"""PDFs with WeasyPrint; Factur-X: a PDF/A-3 with the CII XML embedded by the `factur-x`
library (which validates the XML against the Factur-X XSD while embedding).

WeasyPrint (with Pillow and fontTools) and factur-x are imported on first use: a process that
serves requests renders no PDF until someone asks for one, and should not carry them
(tests/unit/test_start_up_imports.py), as with the DXF reader in domain/laser."""

from __future__ import annotations

from domain.billing.documents.cii import cii_xml
from domain.billing.documents.html import document_html
from domain.billing.documents.view import DocumentView


def document_pdf(doc: DocumentView) -> bytes:
    """The branded PDF (PDF/A-3b, so it can carry the e-invoice)."""
    from weasyprint import HTML  # heavy: on first use (module docstring)

    pdf: bytes = HTML(string=document_html(doc)).write_pdf(pdf_variant="pdf/a-3b")
    return pdf


def facturx_pdf(doc: DocumentView) -> bytes:
    """The branded PDF with the Factur-X EN 16931 XML inside (ZUGFeRD 2.x compatible)."""
    from facturx import generate_from_binary  # on first use (module docstring)

    out: bytes = generate_from_binary(
        document_pdf(doc),
        cii_xml(doc),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang="en",
        pdf_metadata={
            "author": str(doc.seller["name"]),
            "keywords": "Factur-X, Invoice",
            "title": f"{doc.title} {doc.number}",
            "subject": f"{doc.title} {doc.number} of {doc.seller['name']}",
        },
    )
    return out


def file_stem(doc: DocumentView) -> str:
    return doc.number.replace("/", "-")
