import { useEffect } from "react";
import { useQuery } from "urql";
import { ShippingOptionsDocument, type ShippingOptionsQuery } from "../generated/graphql";
import { CART_CONTEXT } from "../lib/context";
import { useFormat } from "../lib/format";
import { useT } from "../i18n";

export type ShippingOption = ShippingOptionsQuery["shippingOptions"][number];

/** The shipping methods that deliver the cart to `country` (the company's default address when
 *  null), each with its cost and promised delivery day; the first one is chosen until the
 *  buyer picks another. `revision` changes with the cart, so the costs follow it. */
export function ShippingChoice({
  country,
  revision,
  chosen,
  onChoose,
}: {
  country: string | null;
  revision: unknown;
  chosen: ShippingOption | null;
  onChoose: (option: ShippingOption | null) => void;
}) {
  const t = useT();
  const fmt = useFormat();
  const [result, refetch] = useQuery({ query: ShippingOptionsDocument, variables: { country }, context: CART_CONTEXT });
  const options = result.data?.shippingOptions ?? [];

  useEffect(() => {
    refetch({ requestPolicy: "network-only" });
  }, [revision, refetch]);

  useEffect(() => {
    const next = options.find((o) => o.method.id === chosen?.method.id) ?? options[0] ?? null;
    if (next !== chosen) onChoose(next);
  }, [options, chosen, onChoose]);

  if (result.fetching && !result.data) return <p className="muted small">{t.shippingLoading}</p>;
  if (options.length === 0) return null;
  return (
    <fieldset className="field shipping-choice" data-testid="shipping-options">
      <legend>{t.shipping}</legend>
      {options.map((o) => (
        <label key={o.method.id} className="shipping-option" data-testid="shipping-option" data-method={o.method.code}>
          <input
            type="radio"
            name="shippingMethod"
            checked={chosen?.method.id === o.method.id}
            onChange={() => onChoose(o)}
          />
          <span className="shipping-name">{o.method.name}</span>
          <strong data-testid="shipping-cost">{o.gross.amount === 0 ? t.shippingFree : fmt.money(o.gross)}</strong>
          <small className="muted" data-testid="shipping-date">
            {t.shippingArrives(fmt.date(o.deliveryDate))}
          </small>
        </label>
      ))}
    </fieldset>
  );
}
