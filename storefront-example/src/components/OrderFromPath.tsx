import type { ReactElement } from "react";
import { Link } from "wouter";
import { useT } from "../i18n";
import { orderIdFromPath } from "../lib/orderPath";

/** The page of the order in the address (`segment`, possibly percent-encoded), or, for a
 *  damaged link, a message with the way to all orders: no order has an ID like that, so the
 *  server is not even asked. */
export function OrderFromPath({ segment, page }: { segment: string; page: (id: string) => ReactElement }) {
  const t = useT();
  const id = orderIdFromPath(segment);
  if (id === null) {
    return (
      <div className="empty" data-testid="bad-order-link">
        {t.badOrderLink} <Link href="/orders">{t.allOrders}</Link>
      </div>
    );
  }
  return page(id);
}
