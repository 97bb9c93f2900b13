// The header's cart badge follows the server's cart: every cart-changing mutation (add,
// update, remove, checkout) calls cartChanged(), and the badge refetches then and whenever the
// window regains focus (another tab or a colleague may have changed the cart meanwhile).
import { useEffect } from "react";
import { store, useStore } from "./live";

const cartVersion = store(0);

/** Call after any mutation that changes the viewer's cart. */
export function cartChanged(): void {
  cartVersion.set(cartVersion.get() + 1);
}

/** Re-run the cart query (network-only) after cartChanged() and on window focus. */
export function useCartRefresh(reexecute: (opts: { requestPolicy: "network-only" }) => void, active: boolean) {
  const version = useStore(cartVersion);
  useEffect(() => {
    if (active && version) reexecute({ requestPolicy: "network-only" });
  }, [version, active, reexecute]);
  useEffect(() => {
    if (!active) return;
    const refresh = () => {
      if (document.visibilityState === "visible") reexecute({ requestPolicy: "network-only" });
    };
    window.addEventListener("focus", refresh);
    document.addEventListener("visibilitychange", refresh);
    return () => {
      window.removeEventListener("focus", refresh);
      document.removeEventListener("visibilitychange", refresh);
    };
  }, [active, reexecute]);
}
