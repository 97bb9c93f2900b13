import type { ReactNode } from "react";
import type { PriceFieldsFragment } from "../generated/graphql";
import { useFormat } from "../lib/format";
import { useT } from "../i18n";

export interface ShownPrice {
  price: PriceFieldsFragment;
  /** Why the server sent it: INITIAL, CONFIGURATION_UPDATED, RULES_CHANGED, … */
  reason: string;
  at: number;
}

export function PricePanel(props: {
  shown: ShownPrice | null;
  updating: boolean;
  /** Undefined: a one-off quote, no live tag. */
  live?: boolean;
  title?: string;
  children?: ReactNode;
}) {
  const t = useT();
  const { shown, updating, live, children, title = t.yourPrice } = props;
  const fmt = useFormat();
  const price = shown?.price;
  const notice = shown ? t.notices[shown.reason] : undefined;

  return (
    <div className={`card price-panel${updating ? " updating" : ""}`} data-testid="price-panel" id="price-panel">
      <div className="price-head">
        <span>{title}</span>
        {live !== undefined && (
          <span className={`live-tag${live ? " on" : ""}`}>
            <i /> {live ? t.liveTag : "…"}
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
            {t.piecesEach(fmt.number(price.quantity), fmt.money(price.unitNet))}
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
                  {fmt.lineLabel(l)}
                  {l.detail && <small data-testid="line-detail">{fmt.lineDetail(l.detail)}</small>}
                </span>
                <span>{fmt.money(l.amount)}</span>
              </li>
            ))}
          </ul>
          <dl className="totals">
            <dt>{t.net}</dt>
            <dd>{fmt.money(price.net)}</dd>
            <dt>{t.vatRate(fmt.number(price.vatRatePercent))}</dt>
            <dd>{fmt.money(price.vat)}</dd>
            <dt className="grand">{t.total}</dt>
            <dd className="grand" data-testid="live-gross">
              {fmt.money(price.gross)}
            </dd>
          </dl>
        </>
      ) : (
        <div className="price-invalid" role="alert">
          <strong>{t.notPossible}</strong>
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

/** On a phone the price panel comes after the whole form: this bar keeps the price in sight
 *  while the buyer configures (CSS shows it on narrow screens only, sticky at the bottom of
 *  the form's column). */
export function PriceSticky({ shown, updating }: { shown: ShownPrice | null; updating: boolean }) {
  const t = useT();
  const fmt = useFormat();
  const price = shown?.price;
  return (
    <div className={`price-sticky${updating ? " updating" : ""}`} data-testid="price-sticky">
      <span className="price-sticky-amount">
        {!price ? (
          "…"
        ) : price.valid && price.net ? (
          <>
            <strong data-testid="sticky-net" data-amount={price.net.amount}>
              {fmt.money(price.net)}
            </strong>
            <small>{t.piecesEach(fmt.number(price.quantity), fmt.money(price.unitNet))}</small>
          </>
        ) : (
          <strong className="invalid">{t.notPossible}</strong>
        )}
      </span>
      <a
        href="#price-panel"
        className="btn btn-ghost btn-small"
        onClick={(e) => {
          // Not a hash link: the router lives in the hash.
          e.preventDefault();
          document.getElementById("price-panel")?.scrollIntoView({ behavior: "smooth", block: "start" });
        }}
      >
        {t.stickyDetails}
      </a>
    </div>
  );
}
