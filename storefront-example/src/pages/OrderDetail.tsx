import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { Decision } from "../components/Decision";
import { SpecSummary } from "../components/SpecSummary";
import { StatusBadge } from "../components/StatusBadge";
import { useToast } from "../components/Toasts";
import { OrderCancelDocument, OrderDetailDocument } from "../generated/graphql";
import { useViewer } from "../lib/context";
import { ORDER_STATUS_LABELS, useFormat } from "../lib/format";
import { useRefetchOnOrderEvents } from "../lib/live";

const FLOW = ["RELEASED", "IN_PRODUCTION", "COMPLETED", "DELIVERED"] as const;

export function OrderDetail({ id }: { id: string }) {
  const { me, can } = useViewer();
  const fmt = useFormat();
  const notify = useToast();
  const [result, refetch] = useQuery({ query: OrderDetailDocument, variables: { id } });
  useRefetchOnOrderEvents(refetch);
  const [, cancel] = useMutation(OrderCancelDocument);
  const [confirmCancel, setConfirmCancel] = useState(false);

  const order = result.data?.node?.__typename === "Order" ? result.data.node : null;
  if (result.fetching && !result.data) return <div className="loading">Loading…</div>;
  if (!order) {
    return (
      <div className="empty">
        Order not found. <Link href="/orders">All orders</Link>
      </div>
    );
  }

  const own = order.orderer?.id === me?.id;
  const mayDecide = order.status === "PENDING_APPROVAL" && can("APPROVE_ORDERS") && !own;
  const mayCancel = (order.status === "PENDING_APPROVAL" || order.status === "RELEASED") && (own || can("PLACE_ORDERS"));
  const steps = order.history.some((h) => h.toStatus === "PENDING_APPROVAL") ? ["PENDING_APPROVAL", ...FLOW] : [...FLOW];
  const reached = new Set(order.history.map((h) => h.toStatus));
  const stopped = order.status === "REJECTED" || order.status === "CANCELLED";

  async function doCancel() {
    const r = await cancel({ id: order!.id, reason: "Cancelled in the storefront" });
    const e = r.data?.orderCancel.errors[0];
    notify(e ? { title: "Not cancelled", body: e.message, tone: "warning" } : { title: `${order!.number} cancelled`, tone: "info" });
    setConfirmCancel(false);
    refetch({ requestPolicy: "network-only" });
  }

  return (
    <div className="order-detail" data-testid="order-detail" data-status={order.status}>
      <Link href="/orders" className="back">
        ← Orders
      </Link>
      <div className="page-head">
        <div>
          <h1>
            Order <span data-testid="order-number">{order.number}</span>
          </h1>
          <p className="muted">
            {order.history[0]?.toStatus === "PENDING_APPROVAL" ? "Proposed" : "Placed"} by{" "}
            {order.orderer?.fullName ?? "—"} on {fmt.dateTime(order.createdAt)}
            {order.approvedBy && <> · approved by {order.approvedBy.fullName}</>}
          </p>
        </div>
        <div className="head-actions">
          <span data-testid="order-status">
            <StatusBadge status={order.status} />
          </span>
          {mayCancel &&
            (confirmCancel ? (
              <>
                <button className="btn btn-danger btn-small" onClick={() => void doCancel()}>
                  Yes, cancel
                </button>
                <button className="btn btn-ghost btn-small" onClick={() => setConfirmCancel(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button className="btn btn-ghost btn-small" onClick={() => setConfirmCancel(true)}>
                Cancel order…
              </button>
            ))}
        </div>
      </div>

      {mayDecide && (
        <div className="card callout">
          <div>
            <strong>{order.orderer?.fullName} asks for your approval.</strong>
            <p className="muted small">Approved, the order becomes binding and goes to production.</p>
          </div>
          <Decision orderId={order.id} number={order.number} onDone={() => refetch({ requestPolicy: "network-only" })} />
        </div>
      )}

      {!stopped ? (
        <ol className="stepper" aria-label="Order progress">
          {steps.map((s) => (
            <li key={s} className={order.status === s ? "current" : reached.has(s as never) ? "done" : ""}>
              <i />
              {ORDER_STATUS_LABELS[s]}
            </li>
          ))}
        </ol>
      ) : (
        <div className="card callout warning">
          <strong>{ORDER_STATUS_LABELS[order.status]}</strong>
          <span>{order.history[order.history.length - 1]?.reason}</span>
        </div>
      )}

      <div className="detail-grid">
        <section>
          <h2>Production</h2>
          {order.jobs.length === 0 && <p className="muted card pad">Production starts once the order is binding.</p>}
          {order.jobs.map((job) => (
            <div key={job.id} className="card job" data-testid="job" data-status={job.status}>
              <header>
                <div>
                  <strong>{job.title}</strong>
                  <span className="muted small"> · job {job.number}</span>
                </div>
                <span data-testid="job-status">
                  <StatusBadge status={job.status} kind="job" />
                </span>
              </header>
              <ol className="tasks">
                {job.tasks.map((t) => (
                  <li key={t.id} className={`task task-${t.status.toLowerCase().replace("_", "-")}`}>
                    <i />
                    <span>{t.name}</span>
                    <small>{t.completedAt ? fmt.dateTime(t.completedAt) : t.status === "IN_PROGRESS" ? "in progress" : ""}</small>
                  </li>
                ))}
              </ol>
              {job.holdReason && <p className="field-error">On hold: {job.holdReason}</p>}
            </div>
          ))}

          <h2>Items</h2>
          <div className="card">
            <ul className="order-lines">
              {order.lines.map((l) => (
                <li key={l.position}>
                  <div>
                    <strong>
                      {fmt.number(l.quantity)} × {l.title}
                    </strong>
                    <SpecSummary specification={l.specification} />
                    {l.remarks && <p className="muted small">“{l.remarks}”</p>}
                  </div>
                  <span>{fmt.money(l.net)}</span>
                </li>
              ))}
            </ul>
            <dl className="totals pad">
              <dt>Net</dt>
              <dd>{fmt.money(order.net)}</dd>
              <dt>VAT</dt>
              <dd>{fmt.money(order.vat)}</dd>
              <dt className="grand">Total</dt>
              <dd className="grand">{fmt.money(order.gross)}</dd>
            </dl>
          </div>
        </section>
        <aside>
          <div className="card pad facts">
            <h3>Details</h3>
            <dl>
              <dt>Your reference</dt>
              <dd>{order.customerReference || "—"}</dd>
              <dt>Desired delivery</dt>
              <dd>{fmt.date(order.desiredDeliveryDate)}</dd>
              <dt>Payment</dt>
              <dd>{order.paymentMethod === "ON_ACCOUNT" ? "On account" : order.paymentMethod}</dd>
              <dt>Deliver to</dt>
              <dd>
                {order.deliveryAddress ? (
                  <>
                    {order.deliveryAddress.name}
                    <br />
                    {order.deliveryAddress.street}
                    <br />
                    {order.deliveryAddress.postalCode} {order.deliveryAddress.city}, {order.deliveryAddress.country}
                  </>
                ) : (
                  "—"
                )}
              </dd>
              {order.remarks && (
                <>
                  <dt>Remarks</dt>
                  <dd>{order.remarks}</dd>
                </>
              )}
            </dl>
          </div>
          <div className="card pad">
            <h3>History</h3>
            <ol className="history">
              {order.history.map((h, i) => (
                <li key={i}>
                  <StatusBadge status={h.toStatus} />
                  <small>
                    {fmt.dateTime(h.at)} · {h.actor.toLowerCase()}
                    {h.reason && <> · {h.reason}</>}
                  </small>
                </li>
              ))}
            </ol>
          </div>
        </aside>
      </div>
    </div>
  );
}
