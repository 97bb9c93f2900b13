import type { ReactNode } from "react";
import type { PriceFieldsFragment } from "../generated/graphql";
import { useFormat } from "../lib/format";

export interface ShownPrice {
  price: PriceFieldsFragment;
  /** Why the server sent it: INITIAL, CONFIGURATION_UPDATED, RULES_CHANGED, … */
  reason: string;
  at: number;
}

const NOTICES: Record<string, string> = {
  RULES_CHANGED: "The shop has just updated its prices.",
  MATERIAL_CHANGED: "A material price has just changed.",
  TERMS_CHANGED: "Your company's terms have just changed.",
};

export function PricePanel(props: {
  shown: ShownPrice | null;
  updating: boolean;
  /** Undefined: a one-off quote, no live tag. */
  live?: boolean;
  title?: string;
  children?: ReactNode;
}) {
  const { shown, updating, live, children, title = "Your price" } = props;
  const fmt = useFormat();
  const price = shown?.price;
  const notice = shown ? NOTICES[shown.reason] : undefined;

  return (
    <div className={`card price-panel${updating ? " updating" : ""}`} data-testid="price-panel">
      <div className="price-head">
        <span>{title}</span>
        {live !== undefined && (
          <span className={`live-tag${live ? " on" : ""}`}>
            <i /> {live ? "live" : "…"}
          </span>
        )}
      </div>
      {!price ? (
        <div className="price-big muted">…</div>
      ) : price.valid && price.net ? (
        <>
          <div
            className="price-big flash"
            key={`${price.net.amount}-${shown.at}`}
            data-testid="live-net"
            data-amount={price.net.amount}
            data-reason={shown.reason}
          >
            {fmt.money(price.net)}
          </div>
          <div className="price-sub">
            {fmt.number(price.quantity)} pieces · {fmt.money(price.unitNet)} each · net
          </div>
          {notice && (
            <div className="notice" key={shown.at} data-testid="price-notice">
              {notice}
            </div>
          )}
          <ul className="price-lines">
            {price.lines.map((l) => (
              <li key={l.code + l.label}>
                <span>
                  {l.label}
                  {l.detail && <small>{l.detail}</small>}
                </span>
                <span>{fmt.money(l.amount)}</span>
              </li>
            ))}
          </ul>
          <dl className="totals">
            <dt>Net</dt>
            <dd>{fmt.money(price.net)}</dd>
            <dt>VAT {Number(price.vatRatePercent)}%</dt>
            <dd>{fmt.money(price.vat)}</dd>
            <dt className="grand">Total</dt>
            <dd className="grand" data-testid="live-gross">
              {fmt.money(price.gross)}
            </dd>
          </dl>
        </>
      ) : (
        <div className="price-invalid" role="alert">
          <strong>Not possible like this</strong>
          <ul>
            {price.messages.map((m, i) => (
              <li key={i}>{m.message}</li>
            ))}
          </ul>
        </div>
      )}
      {children}
    </div>
  );
}
