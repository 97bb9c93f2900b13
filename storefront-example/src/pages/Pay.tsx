import { useEffect, useRef, useState } from "react";
import { useQuery } from "urql";
import { Link, useLocation } from "wouter";
import { OrderPaymentDocument } from "../generated/graphql";
import { useBrand } from "../lib/context";
import { OrderFromPath } from "../components/OrderFromPath";
import { useFormat } from "../lib/format";
import { actedOn, useRefetchOnOrderEvents } from "../lib/live";
import { orderPath } from "../lib/orderPath";
import { intentIdOf, loadStripe, pendingPayments, type StripeCardElement, type StripeJs } from "../lib/stripe";
import { useT } from "../i18n";

/** Paying a placed order by card: Stripe's card field and one button. The order waits
 *  (AWAITING_PAYMENT) until Stripe tells the shop that the payment went through. */
export function PayPage({ id: segment }: { id: string }) {
  return <OrderFromPath segment={segment} page={(id) => <Pay id={id} />} />;
}

function Pay({ id }: { id: string }) {
  const t = useT();
  const fmt = useFormat();
  const brand = useBrand();
  const [, navigate] = useLocation();
  const [result, refetch] = useQuery({ query: OrderPaymentDocument, variables: { id }, requestPolicy: "network-only" });
  useRefetchOnOrderEvents(refetch);
  const order = result.data?.node?.__typename === "Order" ? result.data.node : null;
  const pending = pendingPayments.get(id);

  const cardTarget = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<StripeJs | null>(null);
  const [card, setCard] = useState<StripeCardElement | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [paying, setPaying] = useState(false);
  const waiting = order?.status === "AWAITING_PAYMENT";
  const key = brand.stripePublishableKey;

  useEffect(() => {
    if (!waiting || !pending || !key || !cardTarget.current) return;
    let element: StripeCardElement | null = null;
    let gone = false;
    loadStripe(key).then(
      (s) => {
        if (gone || !cardTarget.current) return;
        element = s.elements({ locale: brand.language ?? brand.locale.split("-")[0] }).create("card", { hidePostalCode: true });
        element.mount(cardTarget.current);
        element.on("change", (e) => setProblem(e?.error?.message ?? null));
        setStripe(s);
        setCard(element);
      },
      (error: Error) => setProblem(t.stripeUnavailable(error.message)),
    );
    return () => {
      gone = true;
      element?.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [waiting, !!pending, key]);

  if (result.fetching && !result.data) return <div className="loading">{t.loading}</div>;
  if (!order) {
    return (
      <div className="empty">
        {t.orderNotFound} <Link href="/orders">{t.allOrders}</Link>
      </div>
    );
  }
  if (!waiting) {
    return (
      <div className="empty" data-testid="payment-not-needed">
        {t.paymentNotNeeded(order.number, t.orderStatus[order.status] ?? order.status)}{" "}
        <Link href={orderPath(order.id)}>{t.toOrder(order.number)}</Link>
      </div>
    );
  }

  async function pay() {
    if (!stripe || !card || !pending) return;
    setPaying(true);
    setProblem(null);
    const { paymentIntent, error } = await stripe.confirmCardPayment(pending.clientSecret, { payment_method: { card } });
    setPaying(false);
    if (error || !paymentIntent) {
      setProblem(t.paymentFailed(error?.message ?? error?.code ?? "—"));
      return;
    }
    pendingPayments.forget(id);
    actedOn(id);
    // The order page follows the order live: Stripe's webhook releases it.
    navigate(orderPath(id));
  }

  return (
    <div className="pay" data-testid="pay" data-payment-intent={pending ? intentIdOf(pending.clientSecret) : undefined}>
      <Link href={orderPath(order.id)} className="back">
        {t.toOrder(order.number)}
      </Link>
      <div className="card pay-card">
        <h1>{t.payTitle(order.number)}</h1>
        <p className="muted">{t.payIntro}</p>
        <p className="pay-amount">
          <span>{t.total}</span> <strong data-testid="pay-amount">{fmt.money(pending?.amount ?? order.gross)}</strong>
        </p>
        {!key ? (
          <p className="error" role="alert">{t.cardNotSetUp}</p>
        ) : !pending ? (
          <p className="error" role="alert" data-testid="payment-lost">{t.paymentSecretLost}</p>
        ) : (
          <>
            <label className="field">
              <span>{t.cardDetails}</span>
              <div className="card-field" ref={cardTarget} data-testid="card-field" />
            </label>
            {problem && (
              <p className="error" role="alert" data-testid="payment-problem">
                {problem}
              </p>
            )}
            <button className="btn btn-primary btn-block" data-testid="pay-button" disabled={!card || paying} onClick={() => void pay()}>
              {paying ? t.paying : t.payAmount(fmt.money(pending.amount))}
            </button>
            <p className="muted small">{t.cardHint}</p>
          </>
        )}
      </div>
    </div>
  );
}
