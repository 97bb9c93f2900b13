// The GraphQL client: urql over HTTP with bearer tokens (refreshed by @urql/exchange-auth) and
// subscriptions over graphql-transport-ws (graphql-ws), the token in connection_init.
import { authExchange } from "@urql/exchange-auth";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import { createClient as createWsClient } from "graphql-ws";
import type { Session } from "./session";
import { liveStatus } from "./live";

export interface Api {
  client: Client;
  dispose(): void;
}

export function createApi(urls: { http: string; ws: string }, session: Session): Api {
  const ws = createWsClient({
    url: urls.ws,
    lazy: true,
    keepAlive: 20_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    connectionParams: async () => {
      const token = await session.freshAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: () => liveStatus.set("connecting"),
      connected: () => liveStatus.set("live"),
      closed: () => liveStatus.set("offline"),
    },
  });

  const client = new Client({
    url: urls.http,
    preferGetMethod: false,
    requestPolicy: "cache-and-network",
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const token = session.current?.accessToken;
          return token ? utils.appendHeaders(operation, { Authorization: `Bearer ${token}` }) : operation;
        },
        willAuthError: () => session.willExpireSoon(),
        didAuthError: (error) =>
          error.response?.status === 401 ||
          error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED"),
        async refreshAuth() {
          await session.refresh();
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose() {
      void ws.dispose();
    },
  };
}
