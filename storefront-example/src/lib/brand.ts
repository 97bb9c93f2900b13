// The brand this storefront runs as: name, logo, colours and the Pressroom channel it sells
// through. Brands are JSON files in ../../brands; `?brand=<id>` picks one at run time, so one
// build serves every brand of a shop against the same backend.

export interface Brand {
  id: string;
  name: string;
  tagline: string;
  channel: string;
  logo: string;
  locale: string;
  /** The storefront's texts (src/i18n): `en`, `de`; default: the locale's language. */
  language?: string;
  colors: Record<
    | "primary"
    | "onPrimary"
    | "accent"
    | "header"
    | "onHeader"
    | "background"
    | "surface"
    | "text"
    | "muted",
    string
  >;
  radius: string;
  apiUrl?: string;
  /** Show the demo logins on the login page. */
  demoLogins?: boolean;
  /** The shop's Stripe publishable key (`pk_…`): card payment at checkout; none, no card. */
  stripePublishableKey?: string;
}

const configs = import.meta.glob<Brand>("../../brands/*.json", { eager: true, import: "default" });
const logos = import.meta.glob<string>("../../brands/*.svg", {
  eager: true,
  query: "?url",
  import: "default",
});

export const brands: Record<string, Brand> = Object.fromEntries(
  Object.values(configs).map((b) => [b.id, b]),
);

export function brandLogoUrl(brand: Brand): string {
  return logos[`../../brands/${brand.logo}`] ?? "";
}

export function pickBrand(search: string = window.location.search): Brand {
  const asked = new URLSearchParams(search).get("brand");
  const fallback = import.meta.env.VITE_BRAND ?? "main";
  return brands[asked ?? ""] ?? brands[fallback] ?? Object.values(brands)[0];
}

/** The brand's colours as CSS custom properties on <html>; styles.css reads only these. */
export function applyBrand(brand: Brand): void {
  const root = document.documentElement;
  for (const [name, value] of Object.entries(brand.colors)) {
    root.style.setProperty(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, value);
  }
  root.style.setProperty("--radius", brand.radius);
  root.dataset.brand = brand.id;
  root.lang = brand.language ?? brand.locale;
  document.title = brand.name;
  const icon = document.querySelector<HTMLLinkElement>("link[rel=icon]");
  if (icon) icon.href = brandLogoUrl(brand);
}

export function apiUrls(brand: Brand): { http: string; ws: string } {
  const http = new URL(
    brand.apiUrl ?? import.meta.env.VITE_API_URL ?? "/graphql",
    window.location.href,
  );
  const ws = new URL(http);
  ws.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  return { http: http.toString(), ws: ws.toString() };
}
