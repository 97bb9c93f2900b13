"""What a supplier receives for a job: the ticket (JSON, or XJDF for print work), built from
the order with nothing re-keyed. Drop-shipping is blind: the supplier ships straight to the
customer with the shop's (or the sales channel's brand) sender details, never its own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import select

from domain.catalog.models import Channel, Product, ProductKind
from domain.orders.delivery import delivery_address
from domain.orders.models import Order, OrderFile, OrderLine
from domain.routing.file_links import signed_file_url
from domain.routing.models import SupplierJob, SupplierJobLine
from domain.shared.models import utcnow
from domain.shared.uow import UnitOfWork

XJDF_NS = "http://www.CIP4.org/JDFSchema_2_0"


@dataclass(frozen=True, slots=True)
class TicketConfig:
    """Server settings the tickets need."""

    public_base_url: str
    link_secret: bytes
    link_ttl_s: int = 14 * 24 * 3600
    # The shop's sender details, and per sales channel code a brand's, for blind shipping.
    sender: Mapping[str, str] = field(default_factory=dict)
    channel_senders: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ticket:
    """One hand-off: the JSON document, the XJDF when every line is print work, file links."""

    job_number: str
    document: dict[str, Any]
    xjdf: str | None
    # (file name as dropped, file storage key) of the artwork, for folder drops.
    stored_files: tuple[tuple[str, str], ...] = ()

    @property
    def files(self) -> list[dict[str, Any]]:
        return [f for line in self.document["lines"] for f in line["files"]]


async def build_ticket(uow: UnitOfWork, job: SupplierJob, config: TicketConfig) -> Ticket:
    order = await uow.session.get(Order, job.order_id)
    assert order is not None
    lines = list(
        await uow.scalars(
            select(OrderLine)
            .join(SupplierJobLine, SupplierJobLine.order_line_id == OrderLine.id)
            .where(SupplierJobLine.supplier_job_id == job.id)
            .order_by(OrderLine.position)
        )
    )
    files = await uow.scalars(
        select(OrderFile)
        .where(OrderFile.order_line_id.in_([ln.id for ln in lines]), OrderFile.status == "OK")
        .order_by(OrderFile.id)
    )
    kinds = dict(
        await uow.rows(
            select(Product.id, Product.kind).where(
                Product.id.in_([ln.product_id for ln in lines if ln.product_id])
            )
        )
    )
    channel_code = (
        await uow.scalar(select(Channel.code).where(Channel.id == order.channel_id))
        if order.channel_id
        else None
    )
    sender = dict(config.channel_senders.get(channel_code or "", config.sender))
    # An order entered without an address goes to the company's shipping (or default) one;
    # with none at all the hand-off fails and the job goes on hold for staff.
    ship_to = order.delivery_address or await delivery_address(uow, order.company_id, None)
    document = {
        "jobNumber": job.number,
        "createdAt": utcnow().isoformat(),
        "desiredDeliveryDate": (
            order.desired_delivery_date.isoformat() if order.desired_delivery_date else None
        ),
        "blindShipping": True,
        "shipFrom": sender,
        "shipTo": ship_to,
        "customerReference": order.number,
        "lines": [
            {
                "position": line.position,
                "title": line.title,
                "quantity": line.quantity,
                "productKind": (kinds[line.product_id].value if line.product_id in kinds else None),
                "specification": line.specification,
                "personalisation": line.personalisation,
                "remarks": line.remarks,
                "files": [
                    {
                        "name": f.file_name,
                        "contentType": f.content_type,
                        "sizeBytes": f.size_bytes,
                        "sha256": f.sha256,
                        "url": signed_file_url(
                            config.public_base_url, config.link_secret, f.id, config.link_ttl_s
                        ),
                    }
                    for f in files
                    if f.order_line_id == line.id
                ],
            }
            for line in lines
        ],
        "statusReport": {
            "graphqlUrl": config.public_base_url.rstrip("/") + "/graphql",
            "mutation": "supplierJobReport",
        },
    }
    all_print = bool(lines) and all(kinds.get(ln.product_id) is ProductKind.PRINT for ln in lines)
    stored = tuple(
        (f"{job.number.replace('/', '_')}_{line.position}_{f.id}_{f.file_name}", f.storage_key)
        for line in lines
        for f in files
        if f.order_line_id == line.id
    )
    return Ticket(job.number, document, xjdf_ticket(document) if all_print else None, stored)


def _contact(parent: ET.Element, role: str, address: Mapping[str, Any]) -> None:
    contact = ET.SubElement(parent, "Contact", ContactTypes=role)
    name = address.get("name") or address.get("company") or ""
    if name:
        ET.SubElement(contact, "Person", DescriptiveName=str(name))
    ET.SubElement(
        contact,
        "Address",
        Street=str(address.get("street", "")),
        PostalCode=str(address.get("postalCode", "")),
        City=str(address.get("city", "")),
        CountryCode=str(address.get("country", "")),
    )


def xjdf_ticket(document: Mapping[str, Any]) -> str:
    """An XJDF 2.0 product intent: a product per line with its amount and chosen options
    (as GeneralID), the artwork as a RunList, and delivery with the blind sender."""
    root = ET.Element(
        "XJDF", xmlns=XJDF_NS, JobID=str(document["jobNumber"]), Types="Product", Version="2.0"
    )
    audit = ET.SubElement(root, "AuditPool")
    created = ET.SubElement(audit, "AuditCreated")
    ET.SubElement(created, "Header", AgentName="Pressroom", Time=str(document["createdAt"]))
    products = ET.SubElement(root, "ProductList")
    for line in document["lines"]:
        pid = f"P{line['position']}"
        product = ET.SubElement(
            products,
            "Product",
            ID=pid,
            IsRoot="true",
            Amount=str(line["quantity"]),
            DescriptiveName=str(line["title"]),
        )
        values = (line["specification"] or {}).get("values") or {}
        for key, value in sorted(values.items()):
            ET.SubElement(product, "GeneralID", IDUsage=f"pressroom:{key}", IDValue=str(value))
        run_list = ET.SubElement(root, "ResourceSet", Name="RunList", Usage="Input")
        resource = ET.SubElement(run_list, "Resource", ExternalID=pid)
        for f in line["files"]:
            rl = ET.SubElement(resource, "RunList")
            ET.SubElement(rl, "FileSpec", URL=str(f["url"]), MimeType=str(f["contentType"]))
    delivery = ET.SubElement(root, "ResourceSet", Name="DeliveryParams", Usage="Input")
    params = ET.SubElement(ET.SubElement(delivery, "Resource"), "DeliveryParams")
    if document.get("desiredDeliveryDate"):
        params.set("Required", f"{document['desiredDeliveryDate']}T17:00:00Z")
    for line in document["lines"]:
        ET.SubElement(params, "DropItem", ItemRef=f"P{line['position']}")
    contacts = ET.SubElement(root, "ResourceSet", Name="Contact", Usage="Input")
    holder = ET.SubElement(contacts, "Resource")
    _contact(holder, "Delivery", document.get("shipTo") or {})
    _contact(holder, "Sender", document.get("shipFrom") or {})
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
