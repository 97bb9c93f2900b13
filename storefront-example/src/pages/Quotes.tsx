import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { useToast } from "../components/Toasts";
import { MyQuotesDocument, QuoteAcceptDocument, QuoteDeclineDocument } from "../generated/graphql";
import type { MyQuotesQuery } from "../generated/graphql";
import { useT } from "../i18n";
import { useViewer } from "../lib/context";
import { useFormat } from "../lib/format";

type QuoteRow = MyQuotesQuery["quotes"]["nodes"][number];

/** My quotes: the offers the shop sent to the company, with their PDF; accept or decline. */
export function Quotes() {
  const fmt = useFormat();
  const t = useT();
  const [quotes, refetch] = useQuery({ query: MyQuotesDocument, variables: { first: 50 } });
  const rows = quotes.data?.quotes.nodes ?? [];
  const reload = () => refetch({ requestPolicy: "network-only" });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.myQuotes}</h1>
          <p className="muted">{t.quotesIntro}</p>
        </div>
      </div>
      {rows.length === 0 && !quotes.fetching && <div className="empty card">{t.noQuotes}</div>}
      <div className="approvals" data-testid="quotes">
        {rows.map((q) => (
          <article key={q.id} className="card approval" data-testid="quote" data-number={q.number}>
            <header>
              <div>
                <strong className="order-number">{q.number}</strong>
                <span className="muted">
                  {" "}
                  · {q.title || t.quoteTitleFallback} · {t.quoteRevision(q.revision)}
                </span>
                <span className="muted" data-testid="quote-status">
                  {" "}
                  · {t.quoteStatus[q.status] ?? q.status}
                </span>
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
              {q.validUntil && <>{t.quoteValidUntil(fmt.date(q.validUntil))} </>}
              {q.pdfUrl && (
                <a href={q.pdfUrl} target="_blank" rel="noreferrer" data-testid="quote-pdf">
                  PDF
                </a>
              )}
              {q.revisions.length > 1 && <> · {t.quoteRevisionsSent(q.revisions.length)}</>}
            </p>
            {q.order && (
              <p className="small">
                {t.order} <Link href={`/orders/${q.order.id}`}>{q.order.number}</Link>
              </p>
            )}
            {q.declineReason && <p className="muted small">{t.quoteDeclinedBecause(q.declineReason)}</p>}
            {q.status === "SENT" && <Answer quote={q} onDone={reload} />}
          </article>
        ))}
      </div>
    </>
  );
}

function Answer({ quote, onDone }: { quote: QuoteRow; onDone: () => void }) {
  const notify = useToast();
  const t = useT();
  const { can } = useViewer();
  const [, accept] = useMutation(QuoteAcceptDocument);
  const [, decline] = useMutation(QuoteDeclineDocument);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState("");
  if (!can("PLACE_ORDERS") && !can("REQUEST_ORDERS")) return null;

  async function doAccept() {
    const r = await accept({ id: quote.id, revision: quote.sentRevision });
    const e = r.data?.quoteAccept.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: t.quoteNotAccepted(quote.number), body: e.message, tone: "warning" });
    else
      notify({
        title: t.quoteAccepted(quote.number),
        body: t.quoteOrderPlaced(r.data?.quoteAccept.order?.number ?? ""),
        tone: "success",
      });
    onDone();
  }

  async function doDecline() {
    const r = await decline({ id: quote.id, reason });
    const e = r.data?.quoteDecline.errors[0] ?? (r.error && { message: r.error.message });
    if (e) notify({ title: t.quoteNotDeclined(quote.number), body: e.message, tone: "warning" });
    else notify({ title: t.quoteDeclinedToast(quote.number), body: t.quoteShopIsTold, tone: "info" });
    onDone();
  }

  if (declining) {
    return (
      <div className="decision">
        <input
          autoFocus
          name="declineReason"
          placeholder={t.declineQuoteReason}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <button className="btn btn-small" onClick={doDecline} disabled={!reason.trim()}>
          {t.declineQuote}
        </button>
        <button className="btn btn-ghost btn-small" onClick={() => setDeclining(false)}>
          {t.cancelAction}
        </button>
      </div>
    );
  }
  return (
    <div className="decision">
      <button className="btn btn-primary btn-small" onClick={doAccept}>
        {t.acceptQuote}
      </button>
      <button className="btn btn-small" onClick={() => setDeclining(true)}>
        {t.declineQuoteStart}
      </button>
    </div>
  );
}
