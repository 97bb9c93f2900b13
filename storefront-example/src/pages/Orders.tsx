import { useState } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { StatusBadge } from "../components/StatusBadge";
import { OrderStatusCountsDocument, OrdersDocument, type OrderStatus } from "../generated/graphql";
import { ORDER_CONTEXT, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useRefetchOnOrderEvents } from "../lib/live";
import { orderPath } from "../lib/orderPath";
import { useT } from "../i18n";

export function Orders() {
  const { can } = useViewer();
  const fmt = useFormat();
  const t = useT();
  const [status, setStatus] = useState<OrderStatus | null>(null);
  const [mineOnly, setMineOnly] = useState(false);
  const [orders, refetchOrders] = useQuery({
    query: OrdersDocument,
    variables: { filter: { statuses: status ? [status] : null, mineOnly }, first: 50 },
    context: ORDER_CONTEXT,
  });
  const [counts, refetchCounts] = useQuery({ query: OrderStatusCountsDocument, context: ORDER_CONTEXT });
  useRefetchOnOrderEvents(refetchOrders);
  useRefetchOnOrderEvents(refetchCounts);

  const all = counts.data?.orderStatusCounts.reduce((n, c) => n + c.count, 0) ?? 0;
  const rows = orders.data?.orders.nodes ?? [];

  return (
    <>
      <div className="page-head">
        <h1>{t.navOrders}</h1>
        {can("VIEW_COMPANY_ORDERS") && (
          <label className="switch">
            <input type="checkbox" checked={mineOnly} onChange={(e) => setMineOnly(e.target.checked)} />
            <span aria-hidden="true" />
            {t.onlyMine}
          </label>
        )}
      </div>
      <div className="tabs" role="tablist" data-testid="status-tabs">
        <button role="tab" aria-selected={status === null} className={status === null ? "on" : ""} onClick={() => setStatus(null)}>
          {t.all} <span className="count">{all}</span>
        </button>
        {counts.data?.orderStatusCounts.map((c) => (
          <button
            role="tab"
            key={c.status}
            aria-selected={status === c.status}
            className={`${status === c.status ? "on" : ""}${c.count === 0 ? " zero" : ""}`}
            data-status={c.status}
            onClick={() => setStatus(c.status)}
          >
            {t.orderStatus[c.status]} <span className="count">{c.count}</span>
          </button>
        ))}
      </div>
      {rows.length === 0 && !orders.fetching ? (
        <div className="empty card">{t.noOrders}</div>
      ) : (
        <div className="card table-card">
          <table className="orders" data-testid="orders-table">
            <thead>
              <tr>
                <th>{t.colOrder}</th>
                <th>{t.colPlaced}</th>
                <th>{t.yourReference}</th>
                <th>{t.colBy}</th>
                <th>{t.colItems}</th>
                <th>{t.colProduction}</th>
                <th>{t.colStatus}</th>
                <th className="num">{t.colTotal}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => {
                const done = o.jobs.filter((j) => j.status === "DONE").length;
                return (
                  <tr key={o.id} data-testid="order-row" data-number={o.number}>
                    <td>
                      <Link href={orderPath(o.id)} className="order-number">
                        {o.number}
                      </Link>
                    </td>
                    <td>{fmt.date(o.createdAt)}</td>
                    <td>{o.customerReference || <span className="muted">—</span>}</td>
                    <td>{o.orderer?.fullName ?? "—"}</td>
                    <td>{o.lines.map((l) => `${fmt.number(l.quantity)} × ${l.title}`).join(", ")}</td>
                    <td>
                      {o.jobs.length ? (
                        <span className="progress" title={t.jobsDone(done, o.jobs.length)}>
                          <i style={{ width: `${(100 * done) / o.jobs.length}%` }} />
                        </span>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      <StatusBadge status={o.status} />
                    </td>
                    <td className="num">{fmt.money(o.gross)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
