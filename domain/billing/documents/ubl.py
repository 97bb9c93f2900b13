"""UBL 2.1 in the Peppol BIS Billing 3.0 profile (EN 16931), built with lxml.

Valid against the OASIS UBL 2.1 XSDs (tests/integration/billing/test_einvoice_schemas.py);
element order follows the schema."""

from __future__ import annotations

from typing import Any

from lxml import etree

from domain.billing.documents.view import EXEMPTION_CODES, DocumentView

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


class _Builder:
    def __init__(self, doc: DocumentView) -> None:
        self.doc = doc

    def cbc(self, parent: Any, name: str, text: str, **attrs: str) -> Any:
        el = etree.SubElement(parent, f"{{{CBC}}}{name}", attrs)
        el.text = text
        return el

    def cac(self, parent: Any, name: str) -> Any:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def money(self, parent: Any, name: str, minor: int) -> Any:
        return self.cbc(parent, name, self.doc.amount(minor), currencyID=self.doc.currency)

    def party(self, parent: Any, role: str, p: dict[str, Any]) -> None:
        party = self.cac(self.cac(parent, role), "Party")
        if p.get("email"):
            self.cbc(party, "EndpointID", str(p["email"]), schemeID="EM")
        self.cbc(self.cac(party, "PartyName"), "Name", str(p["name"]))
        address = self.cac(party, "PostalAddress")
        if p.get("street"):
            self.cbc(address, "StreetName", str(p["street"]))
        if p.get("city"):
            self.cbc(address, "CityName", str(p["city"]))
        if p.get("postalCode"):
            self.cbc(address, "PostalZone", str(p["postalCode"]))
        self.cbc(self.cac(address, "Country"), "IdentificationCode", str(p["country"]))
        if p.get("vatId"):
            scheme = self.cac(party, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", str(p["vatId"]))
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "VAT")
        self.cbc(self.cac(party, "PartyLegalEntity"), "RegistrationName", str(p["name"]))

    def tax_category(self, parent: Any, name: str, category: str, rate: Any) -> None:
        cat = self.cac(parent, name)
        self.cbc(cat, "ID", category)
        self.cbc(cat, "Percent", f"{rate:.2f}")
        if category in EXEMPTION_CODES and name == "TaxCategory":
            self.cbc(cat, "TaxExemptionReasonCode", EXEMPTION_CODES[category])
            self.cbc(cat, "TaxExemptionReason", self.doc.vat_note)
        self.cbc(self.cac(cat, "TaxScheme"), "ID", "VAT")

    def build(self) -> bytes:
        doc = self.doc
        credit = doc.is_credit_note
        root_ns = NS_CREDIT if credit else NS_INVOICE
        root = etree.Element(
            f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}",
            nsmap={None: root_ns, "cac": CAC, "cbc": CBC},
        )
        self.cbc(root, "CustomizationID", CUSTOMIZATION)
        self.cbc(root, "ProfileID", PROFILE)
        self.cbc(root, "ID", doc.number)
        self.cbc(root, "IssueDate", doc.issue_date.isoformat())
        if credit:
            self.cbc(root, "CreditNoteTypeCode", "381")
        else:
            if doc.due_date:
                self.cbc(root, "DueDate", doc.due_date.isoformat())
            self.cbc(root, "InvoiceTypeCode", "380")
        for note in (doc.vat_note, doc.reason):
            if note:
                self.cbc(root, "Note", note)
        self.cbc(root, "DocumentCurrencyCode", doc.currency)
        self.cbc(root, "BuyerReference", str(doc.buyer.get("code") or doc.number))
        if doc.period:
            period = self.cac(root, "InvoicePeriod")
            self.cbc(period, "StartDate", doc.period[0].isoformat())
            self.cbc(period, "EndDate", doc.period[1].isoformat())
        if len(doc.order_numbers) == 1:
            self.cbc(self.cac(root, "OrderReference"), "ID", doc.order_numbers[0])
        if doc.invoice_number:
            ref = self.cac(self.cac(root, "BillingReference"), "InvoiceDocumentReference")
            self.cbc(ref, "ID", doc.invoice_number)
            if doc.invoice_issue_date:
                self.cbc(ref, "IssueDate", doc.invoice_issue_date.isoformat())
        self.party(root, "AccountingSupplierParty", doc.seller)
        self.party(root, "AccountingCustomerParty", doc.buyer)
        if not credit and doc.seller.get("iban"):
            means = self.cac(root, "PaymentMeans")
            self.cbc(means, "PaymentMeansCode", "58")
            self.cbc(means, "PaymentID", doc.number)
            account = self.cac(means, "PayeeFinancialAccount")
            self.cbc(account, "ID", str(doc.seller["iban"]))
            if doc.seller.get("bic"):
                self.cbc(self.cac(account, "FinancialInstitutionBranch"), "ID", doc.seller["bic"])
            if doc.payment_terms_days is not None:
                self.cbc(
                    self.cac(root, "PaymentTerms"),
                    "Note",
                    f"Payable within {doc.payment_terms_days} days without deduction.",
                )
        tax_total = self.cac(root, "TaxTotal")
        self.money(tax_total, "TaxAmount", doc.vat_amount)
        for group in doc.breakdown:
            sub = self.cac(tax_total, "TaxSubtotal")
            self.money(sub, "TaxableAmount", group.taxable)
            self.money(sub, "TaxAmount", group.vat)
            self.tax_category(sub, "TaxCategory", group.category, group.rate)
        totals = self.cac(root, "LegalMonetaryTotal")
        self.money(totals, "LineExtensionAmount", doc.net_amount)
        self.money(totals, "TaxExclusiveAmount", doc.net_amount)
        self.money(totals, "TaxInclusiveAmount", doc.gross_amount)
        self.money(totals, "PayableAmount", doc.gross_amount)
        for line in doc.lines:
            el = self.cac(root, "CreditNoteLine" if credit else "InvoiceLine")
            self.cbc(el, "ID", str(line.position))
            qty = "CreditedQuantity" if credit else "InvoicedQuantity"
            self.cbc(el, qty, str(line.quantity), unitCode="C62")
            self.money(el, "LineExtensionAmount", line.net_amount)
            if not credit:
                self.cbc(self.cac(el, "OrderLineReference"), "LineID", line.reference)
            item = self.cac(el, "Item")
            self.cbc(item, "Name", line.description[:200] or "Item")
            self.tax_category(
                item, "ClassifiedTaxCategory", line.vat_category, line.vat_rate_percent
            )
            price = self.cac(el, "Price")
            # The price of the whole quantity: exact, where a unit price would be rounded.
            self.money(price, "PriceAmount", line.net_amount)
            self.cbc(price, "BaseQuantity", str(line.quantity), unitCode="C62")
        return bytes(
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )


def ubl_xml(doc: DocumentView) -> bytes:
    """The document as UBL 2.1 (Invoice or CreditNote), Peppol BIS Billing 3.0."""
    return _Builder(doc).build()
