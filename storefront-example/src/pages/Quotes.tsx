import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { useToast } from "../components/Toasts";
import { MyQuotesDocument, QuoteAcceptDocument, QuoteDeclineDocument } from "../generated/graphql";
import type { MyQuotesQuery } from "../generated/graphql";
import { useViewer } from "../lib/context";
import { useFormat } from "../lib/format";

type QuoteRow = MyQuotesQuery["quotes"]["nodes"][number];

const STATUS_LABELS: Record<string, string> = {
  REQUESTED: "Requested",
  DRAFT: "Being prepared",
  SENT: "Open",
  ACCEPTED: "Accepted",
  DECLINED: "Declined",
  EXPIRED: "Expired",
  WITHDRAWN: "Withdrawn",
};

/** My quotes: the offers the shop sent to the company, with their PDF; accept or decline. */
export function Quotes() {
  const fmt = useFormat();
  const [quotes, refetch] = useQuery({ query: MyQuotesDocument, variables: { first: 50 } });
  const rows = quotes.data?.quotes.nodes ?? [];
  const reload = () => refetch({ requestPolicy: "network-only" });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My quotes</h1>
          <p className="muted">Offers from the shop. Accepted, a quote becomes an order at the quoted prices.</p>
        </div>
      </div>
      {rows.length === 0 && !quotes.fetching && <div className="empty card">No quotes yet.</div>}
      <div className="approvals" data-testid="quotes">
        {rows.map((q) => (
          <article key={q.id} className="card approval" data-testid="quote" data-number={q.number}>
            <header>
              <div>
                <strong className="order-number">{q.number}</strong>
                <span className="muted"> · {q.title || "Quote"} · revision {q.revision}</span>
                <span className="muted" data-testid="quote-status"> · {STATUS_LABELS[q.status] ?? q.status}</span>
              </div>
              <strong className="amount" data-testid="quote-gross">{fmt.money(q.gross)}</strong>
            </header>
            <ul className="plain">
              {q.lines.map((l) => (
                <li key={l.id}>
                  {fmt.number(l.quantity)} × {l.title} · {fmt.money(l.net)}
                </li>
              ))}
            </ul>
            <p className="muted small">
              {q.validUntil && <>Valid until {fmt.date(q.validUntil)}. </>}
              {q.pdfUrl && (
                <a href={q.pdfUrl} target="_blank" rel="noreferrer" data-testid="quote-pdf">
                  PDF
                </a>
              )}
              {q.revisions.length > 1 && <> · {q.revisions.length} revisions sent</>}
            </p>
            {q.order && (
              <p className="small">
                Order <Link href={`/orders/${q.order.id}`}>{q.order.number}</Link>
              </p>
            )}
            {q.declineReason && <p className="muted small">Declined: {q.declineReason}</p>}
            {q.status === "SENT" && <Answer quote={q} onDone={reload} />}
          </article>
        ))}
      </div>
    </>
  );
}

function Answer({ quote, onDone }: { quote: QuoteRow; onDone: () => void }) {
  const notify = useToast();
  const { can } = useViewer();
  const [, accept] = useMutation(QuoteAcceptDocument);
  const [, decline] = useMutation(QuoteDeclineDocument);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState("");
  if (!can("PLACE_ORDERS") && !can("REQUEST_ORDERS")) return null;

  async function doAccept() {
    const r = await accept({ id: quote.id, revision: quote.sentRevision });
    const e = r.data?.quoteAccept.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: `${quote.number} not accepted`, body: e.message, tone: "warning" });
    else
      notify({
        title: `${quote.number} accepted`,
        body: `Order ${r.data?.quoteAccept.order?.number} is placed.`,
        tone: "success",
      });
    onDone();
  }

  async function doDecline() {
    const r = await decline({ id: quote.id, reason });
    const e = r.data?.quoteDecline.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: `${quote.number} not declined`, body: e.message, tone: "warning" });
    else notify({ title: `${quote.number} declined`, body: "The shop is told.", tone: "info" });
    onDone();
  }

  if (declining) {
    return (
      <div className="decision">
        <input
          autoFocus
          name="declineReason"
          placeholder="Why? The shop will read this."
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button className="btn btn-small" onClick={doDecline} disabled={!reason.trim()}>
          Decline quote
        </button>
        <button className="btn btn-ghost btn-small" onClick={() => setDeclining(false)}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div className="decision">
      <button className="btn btn-primary btn-small" onClick={doAccept}>
        Accept quote
      </button>
      <button className="btn btn-small" onClick={() => setDeclining(true)}>
        Decline…
      </button>
    </div>
  );
}
