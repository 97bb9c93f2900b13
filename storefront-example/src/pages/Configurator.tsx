import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { Link, useParams } from "wouter";
import { ProductArt } from "../components/ProductArt";
import { ParameterField, effectiveValues } from "../components/ParameterField";
import { PricePanel, type ShownPrice } from "../components/PricePanel";
import { useToast } from "../components/Toasts";
import {
  CartLineAddDocument,
  ConfigurationCreateDocument,
  ConfigurationUpdateDocument,
  LivePriceDocument,
  ProductDocument,
  type PriceFieldsFragment,
} from "../generated/graphql";
import { useBrand, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";

const QUANTITY_PRESETS = [100, 250, 500, 1000, 2500, 5000];
const DEBOUNCE_MS = 200;

export function Configurator() {
  const { code } = useParams<{ code: string }>();
  const brand = useBrand();
  const { me, mayOrder, ordersAreBinding } = useViewer();
  const notify = useToast();
  const fmt = useFormat();
  const [product, refetchProduct] = useQuery({
    query: ProductDocument,
    variables: { code, channel: brand.channel },
  });
  const p = product.data?.product;
  const version = p?.currentVersion;

  const [values, setValues] = useState<Record<string, unknown>>({});
  const [quantity, setQuantity] = useState(500);
  const [remarks, setRemarks] = useState("");
  const [configurationId, setConfigurationId] = useState<string | null>(null);
  const [createError, setCreateError] = useState<string | null>(null);
  const [shown, setShown] = useState<ShownPrice | null>(null);
  const [updating, setUpdating] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const revision = useRef(-1);

  const [, createConfiguration] = useMutation(ConfigurationCreateDocument);
  const [, updateConfiguration] = useMutation(ConfigurationUpdateDocument);
  const [adding, addToCart] = useMutation(CartLineAddDocument);

  /** Prices arrive from mutations and from the subscription; the newest revision wins. */
  const accept = useCallback(
    (rev: number, price: PriceFieldsFragment | null | undefined, reason: string) => {
      if (!price || rev < revision.current) return;
      revision.current = rev;
      setShown({ price, reason, at: Date.now() });
    },
    [],
  );

  // One server-side draft per visit: its livePrice follows our edits and the shop's changes.
  const productId = p?.id;
  const created = useRef<string | null>(null);
  useEffect(() => {
    if (!productId || created.current === productId) return;
    created.current = productId;
    void createConfiguration({
      input: { productId, channel: brand.channel, values: {}, quantity },
    }).then((r) => {
      const payload = r.data?.configurationCreate;
      if (!payload?.configuration) {
        setCreateError(payload?.errors[0]?.message ?? r.error?.message ?? "Cannot configure this product.");
        return;
      }
      setConfigurationId(payload.configuration.id);
      accept(payload.configuration.revision, payload.price, "INITIAL");
    });
    // quantity is only the starting value
  }, [productId, brand.channel, createConfiguration, accept]);

  const [live] = useSubscription({
    query: LivePriceDocument,
    variables: { configurationId: configurationId ?? "" },
    pause: !configurationId,
  });
  useEffect(() => {
    const event = live.data?.livePrice;
    if (!event) return;
    accept(event.configuration.revision, event.price, event.reason);
    if (event.reason === "RULES_CHANGED") refetchProduct({ requestPolicy: "network-only" });
  }, [live.data, accept, refetchProduct]);

  // Edits go to the server debounced; the answer (and the subscription) bring the price.
  const timer = useRef<number | undefined>(undefined);
  const inFlight = useRef<Promise<unknown>>(Promise.resolve());
  const push = useCallback(
    (nextValues: Record<string, unknown>, nextQuantity: number) => {
      if (!configurationId) return;
      window.clearTimeout(timer.current);
      setUpdating(true);
      timer.current = window.setTimeout(() => {
        timer.current = undefined;
        inFlight.current = updateConfiguration({
          input: { id: configurationId, values: nextValues, replace: true, quantity: nextQuantity },
        }).then((r) => {
          const payload = r.data?.configurationUpdate;
          if (payload?.configuration) accept(payload.configuration.revision, payload.price, "CONFIGURATION_UPDATED");
          if (timer.current === undefined) setUpdating(false);
        });
      }, DEBOUNCE_MS);
    },
    [configurationId, updateConfiguration, accept],
  );

  const setValue = (key: string, value: unknown) => {
    const next = { ...values, [key]: value };
    setValues(next);
    push(next, quantity);
  };
  const changeQuantity = (q: number) => {
    if (!Number.isFinite(q) || q < 1) return;
    setQuantity(q);
    push(values, q);
  };

  const effective = useMemo(() => effectiveValues(version?.parameters ?? [], values), [version, values]);

  async function add() {
    if (!configurationId) return;
    if (timer.current !== undefined) {
      window.clearTimeout(timer.current);
      timer.current = undefined;
      inFlight.current = updateConfiguration({
        input: { id: configurationId, values, replace: true, quantity },
      });
    }
    await inFlight.current;
    setUpdating(false);
    const r = await addToCart({ input: { configurationId, quantity, remarks } });
    const payload = r.data?.cartLineAdd;
    if (payload?.cartLine) {
      setAdded(payload.cartLine.id);
      notify({ title: "Added to your cart", body: `${fmt.number(quantity)} × ${p?.name}`, tone: "success" });
    } else {
      notify({ title: "Not added", body: payload?.errors[0]?.message ?? r.error?.message, tone: "warning" });
    }
  }

  if (product.fetching && !product.data) return <div className="loading">Loading…</div>;
  if (!p || !version) {
    return (
      <div className="empty">
        This product is not available here. <Link href="/">Back to the catalogue</Link>
      </div>
    );
  }

  const messagesByField = new Map<string, string>();
  for (const m of shown?.price.messages ?? []) {
    if (m.field?.[0]) messagesByField.set(m.field[0], m.message);
  }

  return (
    <div className="configurator">
      <div className="config-main">
        <Link href="/" className="back">
          ← Catalogue
        </Link>
        <div className="config-head">
          <ProductArt code={p.code} kind={p.kind} />
          <div>
            <h1>{p.name}</h1>
            <p className="muted">{p.description}</p>
          </div>
        </div>
        {createError && <p className="error">{createError}</p>}
        <form className="card config-form" onSubmit={(e) => e.preventDefault()} data-testid="configurator">
          <div className="param">
            <div className="param-label">
              <label htmlFor="quantity">Quantity</label>
            </div>
            <div className="quantity">
              <input
                id="quantity"
                name="quantity"
                type="number"
                min={1}
                value={quantity}
                onChange={(e) => changeQuantity(Number(e.target.value))}
              />
              <div className="segmented small">
                {QUANTITY_PRESETS.map((q) => (
                  <button
                    type="button"
                    key={q}
                    className={q === quantity ? "on" : ""}
                    onClick={() => changeQuantity(q)}
                  >
                    {fmt.number(q)}
                  </button>
                ))}
              </div>
            </div>
          </div>
          {version.parameters.map((param) => (
            <ParameterField
              key={param.key}
              param={param}
              rules={version.parameterRules}
              values={effective}
              message={messagesByField.get(param.key)}
              onChange={(v) => setValue(param.key, v)}
            />
          ))}
        </form>
      </div>
      <aside className="config-side">
        <PricePanel shown={shown} updating={updating} live={!!live.data && !live.error}>
          {!me ? (
            <Link href="/login" className="btn btn-primary btn-block">
              Log in to order
            </Link>
          ) : !mayOrder ? (
            <p className="muted small">Your account may not order. Ask your company's administrator.</p>
          ) : (
            <>
              <label className="field">
                <span>Remarks for the print shop</span>
                <textarea rows={2} value={remarks} onChange={(e) => setRemarks(e.target.value)} />
              </label>
              <button
                className="btn btn-primary btn-block"
                data-testid="add-to-cart"
                onClick={() => void add()}
                disabled={!shown?.price.valid || adding.fetching}
              >
                {adding.fetching ? "Adding…" : "Add to cart"}
              </button>
              {added && (
                <Link href="/cart" className="btn btn-ghost btn-block">
                  Go to cart →
                </Link>
              )}
              <p className="muted small center">
                {ordersAreBinding ? "You order directly." : "Your orders go to a colleague for approval."}
              </p>
            </>
          )}
        </PricePanel>
      </aside>
    </div>
  );
}
