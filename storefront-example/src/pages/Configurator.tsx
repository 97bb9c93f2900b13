import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useMutation, useQuery, useSubscription } from "urql";
import { Link, useParams } from "wouter";
import { ProductArt } from "../components/ProductArt";
import { ParameterField, effectiveValues } from "../components/ParameterField";
import { PricePanel, PriceSticky, type ShownPrice } from "../components/PricePanel";
import { QuantityInput } from "../components/QuantityInput";
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
import { cartChanged } from "../lib/cart";
import { useT } from "../i18n";

const QUANTITY_PRESETS = [100, 250, 500, 1000, 2500, 5000];
const DEBOUNCE_MS = 200;

export function Configurator() {
  const { code } = useParams<{ code: string }>();
  const brand = useBrand();
  const { me, mayOrder, ordersAreBinding } = useViewer();
  const fmt = useFormat();
  const t = useT();
  const [product, refetchProduct] = useQuery({
    query: ProductDocument,
    variables: { code, channel: brand.channel },
  });
  const p = product.data?.product;
  const version = p?.currentVersion;

  const [values, setValues] = useState<Record<string, unknown>>({});
  // The last valid quantity: what is priced and ordered. The box may hold other text meanwhile.
  const [quantity, setQuantity] = useState(500);
  const [quantityOk, setQuantityOk] = useState(true);
  const [presetClicks, setPresetClicks] = useState(0);
  const [remarks, setRemarks] = useState("");
  const [configurationId, setConfigurationId] = useState<string | null>(null);
  const [createError, setCreateError] = useState<string | null>(null);
  const [shown, setShown] = useState<ShownPrice | null>(null);
  const [updating, setUpdating] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
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
        setCreateError(payload?.errors[0]?.message ?? r.error?.message ?? t.cannotConfigure);
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

  // While the quantity box holds no valid number, nothing goes out: a value passed on the way
  // (deleting "500" digit by digit passes 50 and 5) is dropped, not priced.
  const quantityValid = useCallback(
    (valid: boolean) => {
      setQuantityOk(valid);
      if (!valid && timer.current !== undefined) {
        window.clearTimeout(timer.current);
        timer.current = undefined;
        setUpdating(false);
      }
    },
    [],
  );

  const setValue = (key: string, value: unknown) => {
    const next = { ...values, [key]: value };
    setValues(next);
    push(next, quantity);
  };
  const changeQuantity = (q: number) => {
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
    cartChanged();
    // Said in the panel, next to "Go to cart": a toast would cover the very button.
    if (payload?.cartLine) {
      setAdded(t.addedToCart(`${fmt.number(quantity)} × ${p?.name}`));
      setAddError(null);
    } else {
      setAdded(null);
      setAddError(payload?.errors[0]?.message ?? r.error?.message ?? t.notAdded);
    }
  }

  if (product.fetching && !product.data) return <div className="loading">{t.loading}</div>;
  if (!p || !version) {
    return (
      <div className="empty">
        {t.notAvailable} <Link href="/">{t.backToCatalogue}</Link>
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
          {t.backCatalogue}
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
              <label htmlFor="quantity">{t.quantity}</label>
            </div>
            <div className="quantity">
              <QuantityInput id="quantity" name="quantity" value={quantity} onChange={changeQuantity} onValidity={quantityValid} reset={presetClicks} />
              <div className="segmented small">
                {QUANTITY_PRESETS.map((q) => (
                  <button
                    type="button"
                    key={q}
                    className={q === quantity ? "on" : ""}
                    onClick={() => {
                      setPresetClicks((n) => n + 1);
                      if (q !== quantity) changeQuantity(q);
                    }}
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
              params={version.parameters}
              rules={version.parameterRules}
              values={effective}
              message={messagesByField.get(param.key)}
              onChange={(v) => setValue(param.key, v)}
            />
          ))}
        </form>
        <PriceSticky shown={shown} updating={updating || !quantityOk} />
      </div>
      <aside className="config-side">
        <PricePanel shown={shown} updating={updating || !quantityOk} live={!!live.data && !live.error}>
          {!quantityOk && (
            <p className="muted small" data-testid="priced-for">
              {t.quantityPricedFor(fmt.number(quantity))}
            </p>
          )}
          {!me ? (
            <Link href="/login" className="btn btn-primary btn-block">
              {t.logInToOrder}
            </Link>
          ) : !mayOrder ? (
            <p className="muted small">{t.mayNotOrder}</p>
          ) : (
            <>
              <label className="field">
                <span>{t.lineRemark}</span>
                <textarea name="lineRemarks" rows={2} value={remarks} onChange={(e) => setRemarks(e.target.value)} aria-describedby="line-remark-hint" />
                <small className="muted" id="line-remark-hint">
                  {t.lineRemarkHint}
                </small>
              </label>
              <button
                className="btn btn-primary btn-block"
                data-testid="add-to-cart"
                onClick={() => void add()}
                disabled={!shown?.price.valid || !quantityOk || adding.fetching}
              >
                {adding.fetching ? t.adding : t.addToCart}
              </button>
              {addError && (
                <p className="error" role="alert">
                  {addError}
                </p>
              )}
              {added && (
                <>
                  <p className="added small center" role="status" data-testid="added">
                    {added}
                  </p>
                  <Link href="/cart" className="btn btn-ghost btn-block">
                    {t.goToCart}
                  </Link>
                </>
              )}
              <p className="muted small center">{ordersAreBinding ? t.youOrderDirectly : t.yourOrdersGoForApproval}</p>
            </>
          )}
        </PricePanel>
      </aside>
    </div>
  );
}
