import { useContext } from "react";
import { BrandContext } from "./context";

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
  const locale = brand.locale;
  return {
    money: (m: MoneyLike | null | undefined) => formatMoney(m, locale),
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
    date: (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(iso)) : "–",
    dateTime: (iso: string | null | undefined) =>
      iso
        ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(
            new Date(iso),
          )
        : "–",
  };
}

export const ORDER_STATUS_LABELS: Record<string, string> = {
  PENDING_APPROVAL: "Awaiting approval",
  RELEASED: "Released",
  IN_PRODUCTION: "In production",
  COMPLETED: "Completed",
  DELIVERED: "Delivered",
  REJECTED: "Rejected",
  CANCELLED: "Cancelled",
};

export const JOB_STATUS_LABELS: Record<string, string> = {
  WAITING: "Waiting",
  IN_PROGRESS: "In progress",
  ON_HOLD: "On hold",
  DONE: "Done",
  CANCELLED: "Cancelled",
};

/** A fresh idempotency key per intended order (crypto.randomUUID needs a secure context). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
