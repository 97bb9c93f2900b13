import { useEffect } from "react";
import { useQuery } from "urql";
import { CompanyAccountDocument, PaymentMethodsDocument } from "../generated/graphql";
import { useBrand, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useT } from "../i18n";

/** The methods this storefront can complete: card only with a Stripe key in the brand; iDEAL
 *  and SEPA Direct Debit would need Stripe's other confirm calls and are not offered here. */
const SUPPORTED = ["ON_ACCOUNT", "BANK_TRANSFER", "PREPAID_BALANCE", "CARD"];

/** How to pay: the methods the API offers this buyer in the brand's channel. The first one is
 *  chosen until the buyer picks another. */
export function PaymentChoice({ chosen, onChoose }: { chosen: string | null; onChoose: (method: string | null) => void }) {
  const t = useT();
  const fmt = useFormat();
  const brand = useBrand();
  const { can } = useViewer();
  const [result] = useQuery({ query: PaymentMethodsDocument, variables: { channel: brand.channel } });
  const offered = (result.data?.paymentMethods ?? []).filter(
    (m) => SUPPORTED.includes(m) && (m !== "CARD" || !!brand.stripePublishableKey),
  );
  const [account] = useQuery({
    query: CompanyAccountDocument,
    pause: !offered.includes("PREPAID_BALANCE") || !can("VIEW_FINANCES"),
    requestPolicy: "network-only",
  });
  const key = offered.join(",");

  useEffect(() => {
    const next = chosen && offered.includes(chosen) ? chosen : (offered[0] ?? null);
    if (next !== chosen) onChoose(next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, chosen, onChoose]);

  if (result.fetching && !result.data) return null;
  if (offered.length === 0) return null;
  const balance = account.data?.companyAccount?.prepaidBalance;
  return (
    <fieldset className="field payment-choice" data-testid="payment-methods">
      <legend>{t.paymentMethod}</legend>
      {offered.map((m) => (
        <label key={m} className="shipping-option" data-testid="payment-method" data-method={m}>
          <input type="radio" name="paymentMethod" checked={chosen === m} onChange={() => onChoose(m)} />
          <span className="shipping-name">{t.paymentMethods[m] ?? m}</span>
          {m === "PREPAID_BALANCE" && balance && <strong>{fmt.money(balance)}</strong>}
          <small className="muted">{t.paymentHints[m] ?? ""}</small>
        </label>
      ))}
    </fieldset>
  );
}
