import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { useLocation } from "wouter";

export interface Toast {
  id: number;
  title: string;
  body?: string;
  tone?: "info" | "success" | "warning";
  /** Toasts of one group (e.g. one order) replace each other instead of stacking up. */
  group?: string;
}

const ToastContext = createContext<(t: Omit<Toast, "id">) => void>(() => undefined);
export const useToast = () => useContext(ToastContext);

let nextId = 1;
const MAX_SHOWN = 2;
const SHOWN_MS = { info: 3500, success: 3500, warning: 6000 };

/** Short notes about what happened elsewhere. They sit in the bottom-left corner, away from
 *  the price panel and its buttons, let every click through (pointer-events: none), and are
 *  gone when the page changes: what they said belonged to the page the user left. */
export function Toasts({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<number, number>());
  const [location] = useLocation();

  const drop = useCallback((id: number) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((x) => x.id !== id));
  }, []);

  const notify = useCallback(
    (t: Omit<Toast, "id">) => {
      const toast = { ...t, id: nextId++ };
      setToasts((all) => {
        const others = all.filter((x) => !(toast.group && x.group === toast.group));
        for (const x of all) if (!others.includes(x)) window.clearTimeout(timers.current.get(x.id));
        return [...others.slice(-(MAX_SHOWN - 1)), toast];
      });
      timers.current.set(toast.id, window.setTimeout(() => drop(toast.id), SHOWN_MS[toast.tone ?? "info"]));
    },
    [drop],
  );

  useEffect(() => {
    setToasts([]);
  }, [location]);

  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone ?? "info"}`} data-testid="toast" data-group={t.group}>
            <strong>{t.title}</strong>
            {t.body && <span>{t.body}</span>}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
