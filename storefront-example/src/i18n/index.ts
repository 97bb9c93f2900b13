// Which language the storefront speaks: the brand's `language` (brands/*.json), else the
// language of its locale, else English. To add a language, copy de.ts, translate it and list
// it here; the brand file then picks it.
import { useContext } from "react";
import { BrandContext } from "../lib/context";
import type { Brand } from "../lib/brand";
import { de } from "./de";
import { en, type Messages } from "./en";

export const MESSAGES: Record<string, Messages> = { en, de };

export function messagesFor(brand: Pick<Brand, "language" | "locale">): Messages {
  const language = brand.language ?? brand.locale.split("-")[0];
  return MESSAGES[language] ?? en;
}

/** The texts in the brand's language: `const t = useT(); t.addToCart`. */
export function useT(): Messages {
  return messagesFor(useContext(BrandContext));
}

export type { Messages };
