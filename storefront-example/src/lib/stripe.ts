// Card payments through Stripe.js, as Stripe asks a storefront to take them: the card number
// goes from Stripe's own card field straight to Stripe, never through this page's code or the
// Pressroom API. The API creates the PaymentIntent at checkout (`orderPlace` answers its client
// secret) and releases the order when Stripe's webhook says the payment succeeded; the
// storefront only confirms the intent with the card (`confirmCardPayment`).
//
// Stripe.js is loaded from js.stripe.com on first use (Stripe requires that address; a copy
// bundled here would not be allowed). The brand's `stripePublishableKey` names the shop's
// Stripe account. The end-to-end test answers js.stripe.com with localstripe's stand-in for
// Stripe.js (see README, "Card payments").

export const STRIPE_JS_URL = "https://js.stripe.com/v3/";

/** The part of Stripe.js this storefront uses. */
export interface StripeCardElement {
  mount(target: HTMLElement): void;
  destroy(): void;
  on(event: "change", handler: (event?: { error?: { message: string } }) => void): void;
}

export interface StripeJs {
  elements(options?: Record<string, unknown>): { create(type: "card", options?: Record<string, unknown>): StripeCardElement };
  confirmCardPayment(
    clientSecret: string,
    data?: { payment_method: { card: StripeCardElement } },
  ): Promise<{ paymentIntent?: { id: string; status: string }; error?: { message?: string; code?: string } }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

let loading: Promise<(key: string) => StripeJs> | null = null;

/** Stripe.js, loaded once per page. */
export function loadStripe(publishableKey: string): Promise<StripeJs> {
  loading ??= new Promise<(key: string) => StripeJs>((resolve, reject) => {
    if (window.Stripe) return resolve(window.Stripe);
    const script = document.createElement("script");
    script.src = STRIPE_JS_URL;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error("Stripe.js did not load")));
    script.onerror = () => {
      loading = null; // a later attempt may reach it
      script.remove();
      reject(new Error("Stripe.js could not be loaded"));
    };
    document.head.appendChild(script);
  });
  return loading.then((factory) => factory(publishableKey));
}

/** The PaymentIntent's ID: the part of the client secret before `_secret_` (not secret). */
export function intentIdOf(clientSecret: string): string {
  return clientSecret.split("_secret_")[0];
}

// The client secret is needed again if the buyer reloads the payment page; it stays in this
// tab only (sessionStorage), and goes once the payment is confirmed.
const KEY = (orderId: string) => `pressroom.payment.${orderId}`;

export interface PendingPayment {
  clientSecret: string;
  amount: { amount: number; currency: string };
  method: string;
}

export const pendingPayments = {
  save(orderId: string, payment: PendingPayment) {
    sessionStorage.setItem(KEY(orderId), JSON.stringify(payment));
  },
  get(orderId: string): PendingPayment | null {
    try {
      return JSON.parse(sessionStorage.getItem(KEY(orderId)) ?? "null") as PendingPayment | null;
    } catch {
      return null;
    }
  },
  forget(orderId: string) {
    sessionStorage.removeItem(KEY(orderId));
  },
};
