import { useQuery } from "urql";
import { Link } from "wouter";
import { Decision } from "../components/Decision";
import { OrdersDocument } from "../generated/graphql";
import { ORDER_CONTEXT, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useRefetchOnOrderEvents } from "../lib/live";
import { orderPath } from "../lib/orderPath";
import { useT } from "../i18n";

export function Approvals() {
  const { me, can } = useViewer();
  const fmt = useFormat();
  const t = useT();
  const [orders, refetch] = useQuery({
    query: OrdersDocument,
    variables: { filter: { statuses: ["PENDING_APPROVAL"] }, first: 50 },
    context: ORDER_CONTEXT,
  });
  useRefetchOnOrderEvents(refetch);
  if (!can("APPROVE_ORDERS")) return <div className="empty">{t.approvalsNeedRight}</div>;
  const rows = orders.data?.orders.nodes ?? [];

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.navApprovals}</h1>
          <p className="muted">{t.approvalsIntro}</p>
        </div>
      </div>
      {rows.length === 0 && !orders.fetching && <div className="empty card">{t.nothingWaits}</div>}
      <div className="approvals" data-testid="approvals">
        {rows.map((o) => {
          const own = o.orderer?.id === me?.id;
          return (
            <article key={o.id} className="card approval" data-testid="approval" data-number={o.number}>
              <header>
                <div>
                  <Link href={orderPath(o.id)} className="order-number">
                    {o.number}
                  </Link>
                  <span className="muted">
                    {" "}
                    · {t.proposedByShort} <strong>{o.orderer?.fullName}</strong> {t.on} {fmt.dateTime(o.createdAt)}
                  </span>
                </div>
                <strong className="amount">{fmt.money(o.gross)}</strong>
              </header>
              <ul className="plain">
                {o.lines.map((l) => (
                  <li key={l.position}>
                    {fmt.number(l.quantity)} × {l.title}
                  </li>
                ))}
              </ul>
              {o.customerReference && <p className="muted small">{t.reference(o.customerReference)}</p>}
              {own ? (
                <p className="muted small">{t.ownProposal}</p>
              ) : (
                <Decision orderId={o.id} number={o.number} onDone={() => refetch({ requestPolicy: "network-only" })} />
              )}
            </article>
          );
        })}
      </div>
    </>
  );
}
