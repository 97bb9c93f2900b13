// Files behind the bearer token (invoice and credit-note PDFs and e-invoices): a plain link
// would send no token, so the file is fetched with it and handed to the browser as a download.
import type { Brand } from "./brand";
import { apiUrls } from "./brand";
import type { Session } from "./session";

/** A download path of the API (`/billing/invoices/7.pdf`) as an address on the API's origin. */
export function apiFileUrl(brand: Brand, path: string): string {
  return new URL(path, apiUrls(brand).http).toString();
}

/** Fetches `url` with the session's token and saves it as `fileName`; throws on failure. */
export async function downloadWithToken(session: Session, url: string, fileName: string): Promise<void> {
  const token = await session.freshAccessToken();
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Long enough for the browser to take the file.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
