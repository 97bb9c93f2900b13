"""Routing decisions, supplier reports, who sees supplier jobs, the XJDF ticket and the SSRF
guard: pure, without a database."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from adapters.outbound_http import ForbiddenTarget, check_target
from domain.accounts.rights import StaffRole
from domain.accounts.viewer import ANONYMOUS, Viewer, ViewerKind
from domain.events.ports import StoredEvent
from domain.production.state import JobStatus
from domain.routing.decisions import LineFacts, RuleBook, supplier_for
from domain.routing.file_links import signed_file_url, verify_file_link
from domain.routing.policies import sees_supplier_job_event
from domain.routing.state import SupplierJobStatus as S
from domain.routing.state import as_production, may_report
from domain.routing.tickets import xjdf_ticket
from resolvers.routing.subscriptions import supplier_job_filter

RULES = RuleBook(by_product={1: 10, 2: None}, by_material={"S235": 20})


def line(product_id: int | None, **kw) -> LineFacts:  # type: ignore[no-untyped-def]
    spec = kw.pop("spec", {})
    return LineFacts(line_id=1, product_id=product_id, specification=spec, **kw)


def test_the_line_override_wins_then_product_then_laser_material_then_own_production() -> None:
    assert supplier_for(line(1), RULES) == 10
    assert supplier_for(line(2), RULES) is None  # a rule may keep a product in-house
    assert supplier_for(line(3, spec={"part": {"materialCode": "S235"}}), RULES) == 20
    assert supplier_for(line(3, spec={"part": {"materialCode": "ALU"}}), RULES) is None
    assert supplier_for(line(None), RULES) is None
    assert supplier_for(line(1, route_supplier_id=30), RULES) == 30  # chosen in an RFQ
    assert supplier_for(line(1, route_own_production=True), RULES) is None


def test_what_a_supplier_may_report() -> None:
    assert may_report(S.SENT, S.ACCEPTED) and may_report(S.ACCEPTED, S.IN_PRODUCTION)
    assert may_report(S.IN_PRODUCTION, S.SHIPPED) and may_report(S.PROBLEM, S.IN_PRODUCTION)
    assert may_report(S.SHIPPED, S.SHIPPED)  # the same again: a no-op
    assert not may_report(S.SHIPPED, S.IN_PRODUCTION)
    assert not may_report(S.SCHEDULED, S.ACCEPTED)  # not sent yet
    assert not may_report(S.CANCELLED, S.ACCEPTED)
    assert as_production(S.SHIPPED) is JobStatus.DONE
    assert as_production(S.IN_PRODUCTION) is JobStatus.IN_PROGRESS
    assert as_production(S.SCHEDULED) is JobStatus.WAITING


def test_only_staff_and_the_supplier_itself_see_supplier_job_events() -> None:
    staff = Viewer(ViewerKind.STAFF, user_id=1, role=StaffRole.PRODUCTION)
    supplier = Viewer(ViewerKind.SUPPLIER, supplier_id=7)
    customer = Viewer(ViewerKind.PORTAL, user_id=2, company_id=3)
    assert sees_supplier_job_event(staff, 7) and sees_supplier_job_event(supplier, 7)
    assert not sees_supplier_job_event(supplier, 8)
    assert not sees_supplier_job_event(customer, 7) and not sees_supplier_job_event(ANONYMOUS, 7)
    event = StoredEvent(
        id=1, topic="supplier_job.status_changed", company_id=None, payload={"supplierId": 7}
    )
    assert supplier_job_filter(supplier)(event) and not supplier_job_filter(customer)(event)


def test_signed_file_links_expire_and_name_one_file() -> None:
    url = signed_file_url("https://shop.example", b"k", 5, ttl_s=60)
    query = dict(p.split("=") for p in url.split("?")[1].split("&"))
    expires, sig = int(query["expires"]), query["signature"]
    assert verify_file_link(b"k", 5, expires, sig)
    assert not verify_file_link(b"k", 6, expires, sig)
    assert not verify_file_link(b"other", 5, expires, sig)
    assert not verify_file_link(b"k", 5, 1, sig)  # expired


def test_xjdf_ticket_carries_products_files_and_the_blind_sender() -> None:
    document = {
        "jobNumber": "o-1/S1",
        "createdAt": "2026-12-05T10:00:00+00:00",
        "desiredDeliveryDate": "2026-12-20",
        "shipFrom": {"name": "Print Shop", "city": "Berlin", "country": "DE"},
        "shipTo": {"name": "Globex", "street": "Industriestrasse 42", "city": "Munich"},
        "lines": [
            {
                "position": 1,
                "title": "Leaflet",
                "quantity": 500,
                "specification": {"values": {"size": "a5", "paper": "135"}},
                "files": [{"url": "https://x/f", "contentType": "application/pdf"}],
            }
        ],
    }
    ns = {"x": "http://www.CIP4.org/JDFSchema_2_0"}
    root = ET.fromstring(xjdf_ticket(document))
    product = root.find("x:ProductList/x:Product", ns)
    assert product is not None and product.get("Amount") == "500"
    assert {g.get("IDUsage"): g.get("IDValue") for g in product.findall("x:GeneralID", ns)} == {
        "pressroom:paper": "135",
        "pressroom:size": "a5",
    }
    assert root.find(".//x:FileSpec", ns).get("URL") == "https://x/f"  # type: ignore[union-attr]
    sender = root.find(".//x:Contact[@ContactTypes='Sender']/x:Person", ns)
    assert sender is not None and sender.get("DescriptiveName") == "Print Shop"
    delivery = root.find(".//x:DeliveryParams", ns)
    assert delivery is not None and delivery.get("Required") == "2026-12-20T17:00:00Z"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "http://169.254.169.254/x",
        "ftp://example.com/x",
    ],
)
async def test_outbound_requests_refuse_private_targets_in_production(url: str) -> None:
    with pytest.raises(ForbiddenTarget):
        await check_target(url, allow_private=False)


async def test_loopback_is_allowed_in_development() -> None:
    await check_target("http://127.0.0.1:8080/jobs", allow_private=True)
