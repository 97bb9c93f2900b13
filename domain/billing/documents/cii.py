"""Factur-X / ZUGFeRD: the UN/CEFACT Cross Industry Invoice at the EN 16931 profile, built
with lxml; `domain.billing.documents.pdf` embeds it into a PDF/A-3 with the `factur-x`
library, which checks it against the Factur-X XSD."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from domain.billing.documents.view import EXEMPTION_CODES, DocumentView

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
EN16931 = "urn:cen.eu:en16931:2017"


class _Builder:
    def __init__(self, doc: DocumentView) -> None:
        self.doc = doc

    def ram(self, parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, f"{{{RAM}}}{name}", attrs)
        if text is not None:
            el.text = text
        return el

    def date(self, parent: Any, name: str, day: dt.date, ns: str = UDT) -> None:
        holder = self.ram(parent, name)
        el = etree.SubElement(holder, f"{{{ns}}}DateTimeString", format="102")
        el.text = day.strftime("%Y%m%d")

    def party(self, parent: Any, role: str, p: dict[str, Any]) -> None:
        party = self.ram(parent, role)
        self.ram(party, "Name", str(p["name"]))
        address = self.ram(party, "PostalTradeAddress")
        if p.get("postalCode"):
            self.ram(address, "PostcodeCode", str(p["postalCode"]))
        if p.get("street"):
            self.ram(address, "LineOne", str(p["street"]))
        if p.get("city"):
            self.ram(address, "CityName", str(p["city"]))
        self.ram(address, "CountryID", str(p["country"]))
        if p.get("email"):
            uri = self.ram(party, "URIUniversalCommunication")
            self.ram(uri, "URIID", str(p["email"]), schemeID="EM")
        if p.get("vatId"):
            self.ram(
                self.ram(party, "SpecifiedTaxRegistration"), "ID", str(p["vatId"]), schemeID="VA"
            )

    def build(self) -> bytes:
        doc = self.doc
        a = doc.amount
        root = etree.Element(
            f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
        )
        context = etree.SubElement(root, f"{{{RSM}}}ExchangedDocumentContext")
        self.ram(self.ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", EN16931)
        header = etree.SubElement(root, f"{{{RSM}}}ExchangedDocument")
        self.ram(header, "ID", doc.number)
        self.ram(header, "TypeCode", "381" if doc.is_credit_note else "380")
        self.date(header, "IssueDateTime", doc.issue_date)
        for note in (doc.vat_note, doc.reason):
            if note:
                self.ram(self.ram(header, "IncludedNote"), "Content", note)
        trade = etree.SubElement(root, f"{{{RSM}}}SupplyChainTradeTransaction")
        for line in doc.lines:
            item = self.ram(trade, "IncludedSupplyChainTradeLineItem")
            self.ram(self.ram(item, "AssociatedDocumentLineDocument"), "LineID", str(line.position))
            self.ram(self.ram(item, "SpecifiedTradeProduct"), "Name", line.description or "Item")
            price = self.ram(
                self.ram(item, "SpecifiedLineTradeAgreement"), "NetPriceProductTradePrice"
            )
            self.ram(price, "ChargeAmount", a(line.net_amount))
            self.ram(price, "BasisQuantity", str(line.quantity), unitCode="C62")
            delivery = self.ram(item, "SpecifiedLineTradeDelivery")
            self.ram(delivery, "BilledQuantity", str(line.quantity), unitCode="C62")
            settlement = self.ram(item, "SpecifiedLineTradeSettlement")
            tax = self.ram(settlement, "ApplicableTradeTax")
            self.ram(tax, "TypeCode", "VAT")
            self.ram(tax, "CategoryCode", line.vat_category)
            self.ram(tax, "RateApplicablePercent", f"{line.vat_rate_percent:.2f}")
            summation = self.ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation")
            self.ram(summation, "LineTotalAmount", a(line.net_amount))
        agreement = self.ram(trade, "ApplicableHeaderTradeAgreement")
        self.ram(agreement, "BuyerReference", str(doc.buyer.get("code") or doc.number))
        self.party(agreement, "SellerTradeParty", doc.seller)
        self.party(agreement, "BuyerTradeParty", doc.buyer)
        if len(doc.order_numbers) == 1:
            order = self.ram(agreement, "BuyerOrderReferencedDocument")
            self.ram(order, "IssuerAssignedID", doc.order_numbers[0])
        self.ram(trade, "ApplicableHeaderTradeDelivery")
        settlement = self.ram(trade, "ApplicableHeaderTradeSettlement")
        if not doc.is_credit_note:
            self.ram(settlement, "PaymentReference", doc.number)
        self.ram(settlement, "InvoiceCurrencyCode", doc.currency)
        if not doc.is_credit_note and doc.seller.get("iban"):
            means = self.ram(settlement, "SpecifiedTradeSettlementPaymentMeans")
            self.ram(means, "TypeCode", "58")
            account = self.ram(means, "PayeePartyCreditorFinancialAccount")
            self.ram(account, "IBANID", str(doc.seller["iban"]))
        for group in doc.breakdown:
            tax = self.ram(settlement, "ApplicableTradeTax")
            self.ram(tax, "CalculatedAmount", a(group.vat))
            self.ram(tax, "TypeCode", "VAT")
            if group.category in EXEMPTION_CODES:
                self.ram(tax, "ExemptionReason", doc.vat_note)
            self.ram(tax, "BasisAmount", a(group.taxable))
            self.ram(tax, "CategoryCode", group.category)
            if group.category in EXEMPTION_CODES:
                self.ram(tax, "ExemptionReasonCode", EXEMPTION_CODES[group.category])
            self.ram(tax, "RateApplicablePercent", f"{group.rate:.2f}")
        if doc.period:
            period = self.ram(settlement, "BillingSpecifiedPeriod")
            self.date(period, "StartDateTime", doc.period[0])
            self.date(period, "EndDateTime", doc.period[1])
        if doc.due_date:
            terms = self.ram(settlement, "SpecifiedTradePaymentTerms")
            if doc.payment_terms_days is not None:
                self.ram(terms, "Description", f"Payable within {doc.payment_terms_days} days.")
            self.date(terms, "DueDateDateTime", doc.due_date)
        sums = self.ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
        self.ram(sums, "LineTotalAmount", a(doc.net_amount))
        self.ram(sums, "TaxBasisTotalAmount", a(doc.net_amount))
        self.ram(sums, "TaxTotalAmount", a(doc.vat_amount), currencyID=doc.currency)
        self.ram(sums, "GrandTotalAmount", a(doc.gross_amount))
        self.ram(sums, "DuePayableAmount", a(doc.gross_amount))
        if doc.invoice_number:
            ref = self.ram(settlement, "InvoiceReferencedDocument")
            self.ram(ref, "IssuerAssignedID", doc.invoice_number)
            if doc.invoice_issue_date:
                self.date(ref, "FormattedIssueDateTime", doc.invoice_issue_date, QDT)
        return bytes(
            etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        )


def cii_xml(doc: DocumentView) -> bytes:
    """The document as a Factur-X EN 16931 Cross Industry Invoice."""
    return _Builder(doc).build()
