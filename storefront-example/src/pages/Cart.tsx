import { Fragment, useEffect, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { Link, useLocation } from "wouter";
import { useToast } from "../components/Toasts";
import {
  CartDocument,
  CartTotalsDocument,
  CartLineRemoveDocument,
  CartLineUpdateDocument,
  OrderPlaceDocument,
  QuoteRequestFromCartDocument,
  type CartLineFieldsFragment,
  type DeliveryAddressInput,
} from "../generated/graphql";
import { CART_CONTEXT, useViewer } from "../lib/context";
import { newIdempotencyKey, useFormat } from "../lib/format";
import { SpecSummary } from "../components/SpecSummary";
import { actedOn } from "../lib/live";
import { cartChanged } from "../lib/cart";
import { orderPath } from "../lib/orderPath";
import { QuantityInput } from "../components/QuantityInput";
import { ShippingChoice, type ShippingOption } from "../components/ShippingChoice";
import { PaymentChoice } from "../components/PaymentChoice";
import { pendingPayments } from "../lib/stripe";
import { useT } from "../i18n";

export function CartPage() {
  const { me, mayOrder, ordersAreBinding } = useViewer();
  const fmt = useFormat();
  const t = useT();
  const notify = useToast();
  const [, navigate] = useLocation();
  const [cart, refetchCart] = useQuery({ query: CartDocument, context: CART_CONTEXT });
  // The totals as checkout will charge them, computed by the server (never added up here).

  const [, updateLine] = useMutation(CartLineUpdateDocument);
  const [, removeLine] = useMutation(CartLineRemoveDocument);
  const [placing, placeOrder] = useMutation(OrderPlaceDocument);
  const [asking, askForQuote] = useMutation(QuoteRequestFromCartDocument);

  // One key per intended order: a retry after a lost answer returns the same order.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [reference, setReference] = useState("");
  const [deliveryDate, setDeliveryDate] = useState("");
  const [remarks, setRemarks] = useState("");
  const [addressIndex, setAddressIndex] = useState(-1);
  const [lineProblems, setLineProblems] = useState<Map<number, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const [priceChanged, setPriceChanged] = useState(false);
  const [shipping, setShipping] = useState<ShippingOption | null>(null);
  const [paymentMethod, setPaymentMethod] = useState<string | null>(null);

  const lines = cart.data?.cart ?? [];
  const company = me?.__typename === "PortalUser" ? me.company : null;
  const addresses = company?.addresses.filter((a) => a.kind === "SHIPPING") ?? [];
  const country = addresses[addressIndex]?.country ?? null;
  // The totals as checkout will charge them, with the chosen shipping, computed by the server
  // (never added up here).
  const [totalsResult, refetchTotals] = useQuery({
    query: CartTotalsDocument,
    variables: { shippingMethodId: shipping?.method.id ?? null, country },
    context: CART_CONTEXT,
    requestPolicy: "network-only",
  });
  const totals = totalsResult.data?.cartTotals ?? null;

  useEffect(() => {
    setLineProblems(new Map());
    setPriceChanged(false);
    refetchTotals({ requestPolicy: "network-only" });
  }, [cart.data, refetchTotals]);

  if (!mayOrder) return <div className="empty">{t.mayNotOrderShort}</div>;
  if (cart.fetching && !cart.data) return <div className="loading">{t.cartLoading}</div>;

  /** The whole cart as a quote request: the lines leave the cart, the quote holds them. */
  async function requestQuote() {
    const r = await askForQuote({ input: { requestText: remarks, customerReference: reference } });
    const payload = r.data?.quoteRequestFromCart;
    const error = payload?.errors[0]?.message ?? r.error?.message;
    if (error || !payload?.quote) {
      setFormError(t.quoteRequestFailed(error ?? ""));
      return;
    }
    notify({ title: t.quoteRequested(payload.quote.number), body: t.quoteRequestedBody, tone: "success" });
    cartChanged();
    refetchCart({ requestPolicy: "network-only" });
    navigate("/quotes");
  }

  async function changeQuantity(line: CartLineFieldsFragment, quantity: number) {
    if (!Number.isInteger(quantity) || quantity < 1 || quantity === line.quantity) return;
    const r = await updateLine({ input: { id: line.id, quantity } });
    cartChanged();
    const error = r.data?.cartLineUpdate.errors[0];
    if (error) notify({ title: t.notChanged, body: error.message, tone: "warning" });
  }

  async function remove(line: CartLineFieldsFragment) {
    await removeLine({ id: line.id });
    cartChanged();
    refetchCart({ requestPolicy: "network-only" });
  }

  async function place(event: FormEvent | null, acceptPriceChanges = false) {
    event?.preventDefault();
    setFormError(null);
    const address = addresses[addressIndex];
    const deliveryAddress: DeliveryAddressInput | null = address
      ? { name: address.name, street: address.street, postalCode: address.postalCode, city: address.city, country: address.country }
      : null;
    const r = await placeOrder({
      input: {
        idempotencyKey,
        customerReference: reference,
        desiredDeliveryDate: deliveryDate || null,
        deliveryAddress,
        remarks,
        acceptPriceChanges,
        shippingMethodId: shipping?.method.id ?? null,
        ...(paymentMethod ? { paymentMethod } : {}),
      },
    });
    if (r.error) {
      // Nothing known about the outcome: the same key makes the retry safe.
      setFormError(t.couldNotSend(r.error.message));
      return;
    }
    const payload = r.data!.orderPlace;
    if (payload.order) {
      actedOn(payload.order.id);
      setIdempotencyKey(newIdempotencyKey());
      // The cart is empty now; the order page says what became of it (no toast needed).
      cartChanged();
      refetchCart({ requestPolicy: "network-only" });
      const payment = payload.payment;
      if (payment?.clientSecret && payload.order.status === "AWAITING_PAYMENT") {
        // Paid online: the next page confirms the payment with Stripe.
        pendingPayments.save(payload.order.id, { clientSecret: payment.clientSecret, amount: payment.amount, method: payment.method });
        navigate(`${orderPath(payload.order.id)}/pay`);
        return;
      }
      navigate(orderPath(payload.order.id));
      return;
    }
    const problems = new Map<number, string>();
    const general: string[] = [];
    for (const e of payload.errors) {
      if (e.field?.[0] === "lines" && e.field[1] !== undefined) problems.set(Number(e.field[1]), e.message);
      else general.push(e.message);
    }
    setLineProblems(problems);
    setPriceChanged(payload.errors.some((e) => e.code === "PRICE_CHANGED"));
    setFormError(general.join(" ") || null);
  }

  if (lines.length === 0) {
    return (
      <div className="empty">
        <h2>{t.cartEmpty}</h2>
        <p>
          <Link href="/" className="btn btn-primary">
            {t.browseCatalogue}
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className="cart">
      <section>
        <h1>{t.cart}</h1>
        <ul className="cart-lines" data-testid="cart-lines">
          {lines.map((line, index) => {
            const changed = line.quotedNet && line.price?.net && line.quotedNet.amount !== line.price.net.amount;
            return (
              <li key={line.id} className="card cart-line" data-testid="cart-line">
                <div className="cart-line-main">
                  <h3>{line.title}</h3>
                  <SpecSummary values={line.values} specification={line.specification} />
                  {line.remarks && <p className="muted small">“{line.remarks}”</p>}
                  {!line.price?.valid && (
                    <p className="field-error">{line.price?.messages.map((m) => m.message).join(" ") || t.cannotBePriced}</p>
                  )}
                  {lineProblems.get(index) && <p className="field-error" data-testid="line-problem">{lineProblems.get(index)}</p>}
                </div>
                <label className="cart-qty">
                  <span>{t.quantity}</span>
                  <QuantityInput value={line.quantity} commit="blur" testId="line-quantity" onChange={(q) => void changeQuantity(line, q)} />
                </label>
                <div className="cart-price">
                  <strong data-testid="line-net">{fmt.money(line.price?.net)}</strong>
                  <small>{t.each(fmt.money(line.price?.unitNet))}</small>
                  {changed && <small className="changed">{t.was(fmt.money(line.quotedNet))}</small>}
                </div>
                <button className="icon-btn" aria-label={t.remove(line.title)} onClick={() => void remove(line)}>
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      </section>
      <aside>
        <form className="card checkout" onSubmit={(e) => void place(e)} data-testid="checkout">
          <h2>{t.checkout}</h2>
          <dl className="totals" data-testid="cart-totals">
            {totals?.shipping && (
              <>
                <dt>{t.shipping}</dt>
                <dd data-testid="shipping-net">{fmt.money(totals.shipping)}</dd>
              </>
            )}
            <dt>{t.net}</dt>
            <dd data-testid="cart-net">{fmt.money(totals?.net)}</dd>
            {(totals?.vatBreakdown ?? []).map((share) => (
              <Fragment key={share.ratePercent}>
                <dt>{t.vatRate(fmt.number(share.ratePercent))}</dt>
                <dd data-testid="cart-vat-share" data-rate={share.ratePercent}>
                  {fmt.money(share.vat)}
                </dd>
              </Fragment>
            ))}
            <dt className="grand">{t.total}</dt>
            <dd className="grand" data-testid="cart-total">
              {fmt.money(totals?.gross)}
            </dd>
          </dl>
          {totals?.shippingProblem && <p className="field-error" data-testid="shipping-problem">{totals.shippingProblem}</p>}
          {totals && totals.unavailableLines > 0 && <p className="muted small">{t.unavailableLinesLeftOut(totals.unavailableLines)}</p>}
          <label className="field">
            <span>{t.yourReference}</span>
            <input name="reference" value={reference} onChange={(e) => setReference(e.target.value)} placeholder={t.referencePlaceholder} />
          </label>
          <label className="field">
            <span>{t.desiredDelivery}</span>
            <input name="deliveryDate" type="date" value={deliveryDate} onChange={(e) => setDeliveryDate(e.target.value)} />
          </label>
          <label className="field">
            <span>{t.deliverTo}</span>
            <select value={addressIndex} onChange={(e) => setAddressIndex(Number(e.target.value))}>
              <option value={-1}>{t.defaultAddress}</option>
              {addresses.map((a, i) => (
                <option key={i} value={i}>
                  {a.name}, {a.street}, {a.postalCode} {a.city}
                </option>
              ))}
            </select>
          </label>
          <PaymentChoice chosen={paymentMethod} onChoose={setPaymentMethod} />
          <ShippingChoice
            country={addresses[addressIndex]?.country ?? null}
            revision={cart.data}
            chosen={shipping}
            onChoose={setShipping}
          />
          <label className="field">
            <span>{t.orderRemark}</span>
            <textarea name="orderRemarks" rows={2} value={remarks} onChange={(e) => setRemarks(e.target.value)} />
          </label>
          {formError && (
            <p className="error" role="alert">
              {formError}
            </p>
          )}
          {priceChanged ? (
            <button type="button" className="btn btn-accent btn-block" data-testid="accept-prices" onClick={() => void place(null, true)}>
              {ordersAreBinding ? t.acceptAndOrder : t.acceptAndSend}
            </button>
          ) : (
            <button type="submit" className="btn btn-primary btn-block" data-testid="place-order" disabled={placing.fetching}>
              {placing.fetching
                ? t.sending
                : !ordersAreBinding
                  ? t.sendForApproval
                  : paymentMethod === "CARD"
                    ? t.placeAndPay
                    : t.placeBindingOrder}
            </button>
          )}
          <p className="muted small">
            {!ordersAreBinding ? t.proposalHint : paymentMethod === "CARD" || paymentMethod === "BANK_TRANSFER" ? t.bindingHintOnPayment : t.bindingHint}
          </p>
          <button
            type="button"
            className="btn btn-block"
            data-testid="request-quote"
            disabled={asking.fetching || lines.length === 0}
            onClick={() => void requestQuote()}
          >
            {t.askForQuote}
          </button>
          <p className="muted small">{t.askForQuoteHint}</p>
        </form>
      </aside>
    </div>
  );
}
