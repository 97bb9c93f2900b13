"""Renderings of issued documents: HTML/PDF (WeasyPrint), UBL 2.1 Peppol BIS Billing 3.0 and
Factur-X (CII, EN 16931) with the XML inside a PDF/A-3. All are built from a `DocumentView`,
so the PDF, the e-invoices and the export say the same."""
