// Small shared stores read with useSyncExternalStore.
import { useEffect, useSyncExternalStore } from "react";

export function store<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: T) {
      if (Object.is(next, value)) return;
      value = next;
      for (const l of listeners) l();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export type LiveStatus = "idle" | "connecting" | "live" | "offline";

/** The websocket's state, for the "live" dot in the header. */
export const liveStatus = store<LiveStatus>("idle");

/** Bumped on every order or job event the viewer receives: order pages refetch on it. */
export const orderEvents = store(0);

export function useStore<T>(s: ReturnType<typeof store<T>>): T {
  return useSyncExternalStore(s.subscribe, s.get);
}

/** Re-run a query (network-only) whenever an order or job event arrives. */
export function useRefetchOnOrderEvents(reexecute: (opts: { requestPolicy: "network-only" }) => void) {
  const ticks = useStore(orderEvents);
  useEffect(() => {
    if (ticks) reexecute({ requestPolicy: "network-only" });
  }, [ticks, reexecute]);
}

/** Orders the viewer just acted on (placed, approved, …): their events need no toast. */
const quiet = new Map<string, number>();
export function actedOn(orderId: string): void {
  quiet.set(orderId, Date.now() + 5000);
}
export function isQuiet(orderId: string): boolean {
  return (quiet.get(orderId) ?? 0) > Date.now();
}
