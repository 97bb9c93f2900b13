// The login session: tokens in localStorage (one slot per brand), refreshed before they
// expire. Refresh tokens are single use and reusing a spent one ends the whole session, so a
// refresh runs once at a time: in this tab (one shared promise) and across tabs (Web Locks).
import { stringifyDocument } from "@urql/core";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  TokenCreateDocument,
  TokenRefreshDocument,
  TokenRevokeDocument,
} from "../generated/graphql";

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Refresh this long before the access token expires. */
const MARGIN_MS = 30_000;

export async function postGraphQL<R, V>(
  url: string,
  document: TypedDocumentNode<R, V>,
  variables: V,
  token?: string,
): Promise<R> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: stringifyDocument(document), variables }),
  });
  const body = await response.json();
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data as R;
}

export class Session {
  private tokens: Tokens | null;
  private listeners = new Set<() => void>();
  private refreshing: Promise<Tokens | null> | null = null;
  /** Changes on login and logout only (not on refresh): the API client is rebuilt then. */
  generation = 0;

  constructor(
    private readonly key: string,
    private readonly url: string,
  ) {
    this.tokens = this.read();
    window.addEventListener("storage", (event) => {
      if (event.key !== this.key) return;
      const next = this.read();
      const identityChanged = (next === null) !== (this.tokens === null);
      this.tokens = next;
      if (identityChanged) this.generation += 1;
      this.emit();
    });
  }

  get current(): Tokens | null {
    return this.tokens;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getGeneration = (): number => this.generation;

  async login(login: string, password: string): Promise<string | null> {
    const data = await postGraphQL(this.url, TokenCreateDocument, { input: { login, password } });
    const payload = data.tokenCreate;
    if (payload.errors.length || !payload.accessToken || !payload.refreshToken) {
      return payload.errors[0]?.message ?? "Login failed.";
    }
    this.store({
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      expiresAt: expiry(payload.accessTokenExpiresAt),
    });
    this.generation += 1;
    this.emit();
    return null;
  }

  async logout(): Promise<void> {
    const tokens = this.tokens;
    this.store(null);
    this.generation += 1;
    this.emit();
    if (tokens) {
      await postGraphQL(this.url, TokenRevokeDocument, { refreshToken: tokens.refreshToken }).catch(
        () => undefined,
      );
    }
  }

  /** A usable access token (refreshed first when it is about to expire), or null. */
  async freshAccessToken(): Promise<string | null> {
    if (this.tokens && this.tokens.expiresAt - Date.now() < MARGIN_MS) await this.refresh();
    return this.tokens?.accessToken ?? null;
  }

  willExpireSoon(): boolean {
    return !!this.tokens && this.tokens.expiresAt - Date.now() < MARGIN_MS;
  }

  refresh(): Promise<Tokens | null> {
    this.refreshing ??= this.refreshAcrossTabs().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async refreshAcrossTabs(): Promise<Tokens | null> {
    const run = () => this.refreshOnce();
    if ("locks" in navigator) return navigator.locks.request(`${this.key}.refresh`, run);
    return run();
  }

  private async refreshOnce(): Promise<Tokens | null> {
    const before = this.tokens;
    const stored = this.read();
    // Another tab refreshed while we waited for the lock: take its tokens.
    if (stored && before && stored.refreshToken !== before.refreshToken) {
      this.tokens = stored;
      return stored;
    }
    if (!stored) return this.expire();
    try {
      const data = await postGraphQL(this.url, TokenRefreshDocument, {
        refreshToken: stored.refreshToken,
      });
      const p = data.tokenRefresh;
      if (p.errors.length || !p.accessToken || !p.refreshToken) return this.expire();
      const next = {
        accessToken: p.accessToken,
        refreshToken: p.refreshToken,
        expiresAt: expiry(p.accessTokenExpiresAt),
      };
      this.store(next);
      return next;
    } catch {
      // Offline or server down: keep the tokens, the next request tries again.
      return this.tokens;
    }
  }

  private expire(): null {
    this.store(null);
    this.generation += 1;
    this.emit();
    return null;
  }

  private read(): Tokens | null {
    try {
      const raw = localStorage.getItem(this.key);
      return raw ? (JSON.parse(raw) as Tokens) : null;
    } catch {
      return null;
    }
  }

  private store(tokens: Tokens | null): void {
    this.tokens = tokens;
    if (tokens) localStorage.setItem(this.key, JSON.stringify(tokens));
    else localStorage.removeItem(this.key);
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function expiry(iso: string | null | undefined): number {
  const parsed = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(parsed) ? Date.now() + 10 * 60_000 : parsed;
}
