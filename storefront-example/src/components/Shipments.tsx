import type { OrderDetailQuery } from "../generated/graphql";
import { useT } from "../i18n";

type Order = Extract<NonNullable<OrderDetailQuery["node"]>, { __typename: "Order" }>;

/** The order's shipments with their parcels and tracking links. */
export function Shipments({ shipments }: { shipments: Order["shipments"] }) {
  const t = useT();
  if (shipments.length === 0) return null;
  return (
    <>
      <h2>{t.shipments}</h2>
      {shipments.map((s) => (
        <div key={s.number} className="card pad shipment" data-testid="shipment" data-status={s.status}>
          <header>
            <strong>{s.number}</strong> <span className="muted small">· {t.shipmentStatus[s.status] ?? s.status}</span>
          </header>
          <ul className="parcels">
            {s.parcels.map((p) => (
              <li key={p.position}>
                {t.parcel(p.position)}:{" "}
                {p.trackingUrl ? (
                  <a href={p.trackingUrl} target="_blank" rel="noreferrer" data-testid="tracking-link">
                    {p.trackingNumber}
                  </a>
                ) : (
                  <span data-testid="tracking-number">{p.trackingNumber}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}
