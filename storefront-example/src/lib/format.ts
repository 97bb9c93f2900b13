import { useContext } from "react";
import { BrandContext } from "./context";
import { messagesFor, type Messages } from "../i18n";

export interface MoneyLike {
  amount: number;
  currency: string;
}

/** Money comes in integer minor units; the currency says how many decimals that is. */
export function formatMoney(money: MoneyLike | null | undefined, locale: string): string {
  if (!money) return "–";
  const fmt = new Intl.NumberFormat(locale, { style: "currency", currency: money.currency });
  const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
  return fmt.format(money.amount / 10 ** digits);
}

export function useFormat() {
  const brand = useContext(BrandContext);
  return formatter(brand.locale, messagesFor(brand));
}

export type Format = ReturnType<typeof formatter>;

export function formatter(locale: string, t: Messages) {
  const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 });
  const number = (n: number | string) => plain.format(Number(n));
  return {
    money: (m: MoneyLike | null | undefined) => formatMoney(m, locale),
    /** Counts, rates, millimetres: the locale's separators, up to six decimals. */
    number,
    date: (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso)) : "–",
    dateTime: (iso: string | null | undefined) =>
      iso
        ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
            new Date(iso),
          )
        : "–",
    /** A price line's label: the API's own lines (minimum, discounts, caps) in the brand's
     *  language; the others are the shop's catalogue texts and stay exactly as written (a
     *  number there may be a name: "Aluminium 5754", "RAL 9005"). */
    lineLabel: (line: { code: string; label: string }) => t.systemLines[line.code] ?? line.label,
    /** A price line's "how it was computed" in the brand's language and number format. */
    lineDetail: (detail: string) => localizeDetail(detail, number, t),
  };
}

const NUMBER = /\d[\d,]*(?:\.\d+)?/g;
const toNumber = (text: string) => Number(text.replace(/,/g, ""));

/** The API writes details in English with dot decimals, in a few known shapes (see
 *  domain/pricing/labels.py and result.py); each is re-said here, anything else keeps its
 *  words and gets the locale's numbers. */
export function localizeDetail(detail: string, number: (n: number) => string, t: Messages): string {
  const localNumbers = (text: string) => text.replace(NUMBER, (n) => number(toNumber(n)));
  let m = /^× ([\d.]+) quantity break$/.exec(detail);
  if (m) return t.quantityBreakOnly(number(Number(m[1])));
  m = /^(unit price )?capped at the (?:unit )?price for ([\d,]+) pieces$/.exec(detail);
  if (m) return m[1] ? t.unitCappedAt(number(toNumber(m[2]))) : t.cappedAt(number(toNumber(m[2])));
  m = /^minimum net price ([\d.]+) ([A-Z]{3})$/.exec(detail);
  if (m) return t.minimumNet(`${number(Number(m[1]))} ${m[2]}`);
  m = /^([\d.]+) % of the subtotal$/.exec(detail);
  if (m) return t.percentOfSubtotal(number(Number(m[1])));
  // "count [unit] × rate × factor": the third term is the quantity-break factor.
  const terms = detail.split(" × ");
  if (terms.length === 3 && /^[\d.]+$/.test(terms[2])) {
    return `${localNumbers(terms[0])} × ${localNumbers(terms[1])} ${t.quantityBreak(number(Number(terms[2])))}`;
  }
  return localNumbers(detail);
}

/** A fresh idempotency key per intended order (crypto.randomUUID needs a secure context). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
