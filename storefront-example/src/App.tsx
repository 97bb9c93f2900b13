import { useEffect, useMemo, useSyncExternalStore } from "react";
import { Provider as UrqlProvider } from "urql";
import { Router } from "wouter";
import { useHashLocation } from "wouter/use-hash-location";
import type { Brand } from "./lib/brand";
import { createApi } from "./lib/client";
import { BrandContext, SessionContext } from "./lib/context";
import type { Session } from "./lib/session";
import { Shell } from "./Shell";
import { Toasts } from "./components/Toasts";

export function App(props: { brand: Brand; session: Session; urls: { http: string; ws: string } }) {
  const { brand, session, urls } = props;
  // A new client (and websocket) whenever someone logs in or out: nothing cached for one
  // viewer is ever shown to the next, and the socket authenticates as the new viewer.
  const generation = useSyncExternalStore(session.subscribe, session.getGeneration);
  const api = useMemo(() => createApi(urls, session), [urls, session, generation]);
  useEffect(() => () => api.dispose(), [api]);

  return (
    <BrandContext.Provider value={brand}>
      <SessionContext.Provider value={session}>
        <UrqlProvider value={api.client} key={generation}>
          <Router hook={useHashLocation}>
            <Toasts>
              <Shell />
            </Toasts>
          </Router>
        </UrqlProvider>
      </SessionContext.Provider>
    </BrandContext.Provider>
  );
}
