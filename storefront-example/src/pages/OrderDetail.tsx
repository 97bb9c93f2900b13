import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { Decision } from "../components/Decision";
import { OrderFromPath } from "../components/OrderFromPath";
import { Shipments } from "../components/Shipments";
import { SpecSummary } from "../components/SpecSummary";
import { StatusBadge } from "../components/StatusBadge";
import { useToast } from "../components/Toasts";
import { OrderCancelDocument, OrderDetailDocument, type OrderDetailQuery } from "../generated/graphql";
import { useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useRefetchOnOrderEvents } from "../lib/live";
import { orderPath } from "../lib/orderPath";
import { pendingPayments } from "../lib/stripe";
import { useT, type Messages } from "../i18n";

const FLOW = ["RELEASED", "IN_PRODUCTION", "COMPLETED", "SHIPPED", "DELIVERED"] as const;

/** The order page; `id` is the address's segment, possibly percent-encoded. */
export function OrderDetail({ id: segment }: { id: string }) {
  const t = useT();
  return <OrderFromPath segment={segment} page={(id) => <OrderView id={id} t={t} />} />;
}

function OrderView({ id, t }: { id: string; t: Messages }) {
  const { me, can } = useViewer();
  const fmt = useFormat();
  const notify = useToast();
  const [result, refetch] = useQuery({ query: OrderDetailDocument, variables: { id } });
  useRefetchOnOrderEvents(refetch);
  const [, cancel] = useMutation(OrderCancelDocument);
  const [confirmCancel, setConfirmCancel] = useState(false);

  const order = result.data?.node?.__typename === "Order" ? result.data.node : null;
  if (result.fetching && !result.data) return <div className="loading">{t.loading}</div>;
  if (!order) {
    return (
      <div className="empty">
        {t.orderNotFound} <Link href="/orders">{t.allOrders}</Link>
      </div>
    );
  }

  const own = order.orderer?.id === me?.id;
  const mayDecide = order.status === "PENDING_APPROVAL" && can("APPROVE_ORDERS") && !own;
  const mayCancel = (order.status === "PENDING_APPROVAL" || order.status === "RELEASED") && (own || can("PLACE_ORDERS"));
  const before = ["PENDING_APPROVAL", "AWAITING_PAYMENT"].filter((s) => order.history.some((h) => h.toStatus === s));
  const steps = [...before, ...FLOW];
  const reached = new Set(order.history.map((h) => h.toStatus));
  const stopped = order.status === "REJECTED" || order.status === "CANCELLED";

  async function doCancel() {
    const r = await cancel({ id: order!.id, reason: t.cancelledInStorefront });
    const e = r.data?.orderCancel.errors[0];
    if (e) notify({ title: t.notCancelled, body: e.message, tone: "warning", group: order!.id });
    setConfirmCancel(false);
    refetch({ requestPolicy: "network-only" });
  }

  return (
    <div className="order-detail" data-testid="order-detail" data-status={order.status}>
      <Link href="/orders" className="back">
        {t.backOrders}
      </Link>
      <div className="page-head">
        <div>
          <h1>
            {t.order} <span data-testid="order-number">{order.number}</span>
          </h1>
          <p className="muted">
            {(order.history[0]?.toStatus === "PENDING_APPROVAL" ? t.proposedBy : t.placedBy)(
              order.orderer?.fullName ?? "—",
              fmt.dateTime(order.createdAt),
            )}
            {order.approvedBy && <> · {t.approvedBy(order.approvedBy.fullName)}</>}
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
                  {t.yesCancel}
                </button>
                <button className="btn btn-ghost btn-small" onClick={() => setConfirmCancel(false)}>
                  {t.keep}
                </button>
              </>
            ) : (
              <button className="btn btn-ghost btn-small" onClick={() => setConfirmCancel(true)}>
                {t.cancelOrder}
              </button>
            ))}
        </div>
      </div>

      {order.status === "AWAITING_PAYMENT" && (
        <div className="card callout" data-testid="awaiting-payment">
          <div>
            <strong>{t.awaitingPaymentTitle}</strong>
            <p className="muted small">{order.paymentMethod === "BANK_TRANSFER" ? t.awaitingTransfer(order.number) : t.awaitingProvider}</p>
          </div>
          {pendingPayments.get(order.id) && (
            <Link href={`${orderPath(order.id)}/pay`} className="btn btn-primary btn-small" data-testid="pay-now">
              {t.payNow}
            </Link>
          )}
        </div>
      )}

      {mayDecide && (
        <div className="card callout">
          <div>
            <strong>{t.asksApproval(order.orderer?.fullName ?? "—")}</strong>
            <p className="muted small">{t.approvalExplained}</p>
          </div>
          <Decision orderId={order.id} number={order.number} onDone={() => refetch({ requestPolicy: "network-only" })} />
        </div>
      )}

      {!stopped ? (
        <ol className="stepper" aria-label={t.orderProgress}>
          {steps.map((s) => (
            <li key={s} className={order.status === s ? "current" : reached.has(s as never) ? "done" : ""}>
              <i />
              {t.orderStatus[s]}
            </li>
          ))}
        </ol>
      ) : (
        <div className="card callout warning">
          <strong>{t.orderStatus[order.status]}</strong>
          <span>{order.history[order.history.length - 1]?.reason}</span>
        </div>
      )}

      <div className="detail-grid">
        <section>
          <h2>{t.production}</h2>
          {order.jobs.length === 0 && <p className="muted card pad">{t.productionStarts}</p>}
          {order.jobs.map((job) => (
            <div key={job.id} className="card job" data-testid="job" data-status={job.status}>
              <header>
                <div>
                  <strong>{job.title}</strong>
                  <span className="muted small"> · {t.job(job.number)}</span>
                </div>
                <span data-testid="job-status">
                  <StatusBadge status={job.status} kind="job" />
                </span>
              </header>
              <ol className="tasks">
                {job.tasks.map((task) => (
                  <li key={task.id} className={`task task-${task.status.toLowerCase().replace("_", "-")}`}>
                    <i />
                    <span>{task.name}</span>
                    <small>{task.completedAt ? fmt.dateTime(task.completedAt) : task.status === "IN_PROGRESS" ? t.inProgress : ""}</small>
                  </li>
                ))}
              </ol>
              {job.holdReason && <p className="field-error">{t.onHold(job.holdReason)}</p>}
            </div>
          ))}

          <Shipments shipments={order.shipments} />

          <h2>{t.items}</h2>
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
              <dt>{t.net}</dt>
              <dd>{fmt.money(order.net)}</dd>
              <dt>{t.vat}</dt>
              <dd>{fmt.money(order.vat)}</dd>
              <dt className="grand">{t.total}</dt>
              <dd className="grand">{fmt.money(order.gross)}</dd>
            </dl>
          </div>
        </section>
        <aside>
          <div className="card pad facts">
            <h3>{t.details}</h3>
            <dl>
              <dt>{t.yourReference}</dt>
              <dd>{order.customerReference || "—"}</dd>
              <dt>{t.desiredDeliveryShort}</dt>
              <dd>{fmt.date(order.desiredDeliveryDate)}</dd>
              {order.promisedDeliveryDate && (
                <>
                  <dt>{t.promisedDelivery}</dt>
                  <dd data-testid="promised-delivery">{fmt.date(order.promisedDeliveryDate)}</dd>
                </>
              )}
              <dt>{t.payment}</dt>
              <dd data-testid="payment-method">{t.paymentMethods[order.paymentMethod] ?? order.paymentMethod}</dd>
              <dt>{t.deliverTo}</dt>
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
                  <dt>{t.remarks}</dt>
                  <dd>{order.remarks}</dd>
                </>
              )}
            </dl>
          </div>
          <div className="card pad">
            <h3>{t.history}</h3>
            <ol className="history">
              {order.history.map((h, i) => (
                <li key={i}>
                  <StatusBadge status={h.toStatus} />
                  <small>
                    {fmt.dateTime(h.at)} · {historyActor(order, h, i, t)}
                    {h.reason && <> · {t.historyReasons[h.reason] ?? h.reason}</>}
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

type Order = Extract<NonNullable<OrderDetailQuery["node"]>, { __typename: "Order" }>;

/** Who made a step, named as the page's header names them: the orderer for the first step,
 *  the approver for the approval, else the kind of actor. */
function historyActor(order: Order, h: Order["history"][number], index: number, t: Messages): string {
  if (index === 0 && order.orderer) return t.historyBy(order.orderer.fullName);
  if (h.fromStatus === "PENDING_APPROVAL" && h.toStatus === "RELEASED" && order.approvedBy) return t.historyBy(order.approvedBy.fullName);
  return t.actors[h.actor] ?? h.actor.toLowerCase();
}
