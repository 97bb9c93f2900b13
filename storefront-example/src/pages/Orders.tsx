import { useState } from "react";
import { useQuery } from "urql";
import { Link } from "wouter";
import { StatusBadge } from "../components/StatusBadge";
import { OrderStatusCountsDocument, OrdersDocument, type OrderStatus } from "../generated/graphql";
import { ORDER_CONTEXT, useViewer } from "../lib/context";
import { ORDER_STATUS_LABELS, useFormat } from "../lib/format";
import { useRefetchOnOrderEvents } from "../lib/live";

export function Orders() {
  const { can } = useViewer();
  const fmt = useFormat();
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
        <h1>Orders</h1>
        {can("VIEW_COMPANY_ORDERS") && (
          <label className="switch">
            <input type="checkbox" checked={mineOnly} onChange={(e) => setMineOnly(e.target.checked)} />
            <span aria-hidden="true" />
            Only mine
          </label>
        )}
      </div>
      <div className="tabs" role="tablist" data-testid="status-tabs">
        <button role="tab" aria-selected={status === null} className={status === null ? "on" : ""} onClick={() => setStatus(null)}>
          All <span className="count">{all}</span>
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
            {ORDER_STATUS_LABELS[c.status]} <span className="count">{c.count}</span>
          </button>
        ))}
      </div>
      {rows.length === 0 && !orders.fetching ? (
        <div className="empty card">No orders here yet.</div>
      ) : (
        <div className="card table-card">
          <table className="orders" data-testid="orders-table">
            <thead>
              <tr>
                <th>Order</th>
                <th>Placed</th>
                <th>Your reference</th>
                <th>By</th>
                <th>Items</th>
                <th>Production</th>
                <th>Status</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((o) => {
                const done = o.jobs.filter((j) => j.status === "DONE").length;
                return (
                  <tr key={o.id} data-testid="order-row" data-number={o.number}>
                    <td>
                      <Link href={`/orders/${o.id}`} className="order-number">
                        {o.number}
                      </Link>
                    </td>
                    <td>{fmt.date(o.createdAt)}</td>
                    <td>{o.customerReference || <span className="muted">—</span>}</td>
                    <td>{o.orderer?.fullName ?? "—"}</td>
                    <td>{o.lines.map((l) => `${fmt.number(l.quantity)} × ${l.title}`).join(", ")}</td>
                    <td>
                      {o.jobs.length ? (
                        <span className="progress" title={`${done} of ${o.jobs.length} jobs done`}>
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
