import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { DrawingFacts, PartPreview } from "../components/PartPreview";
import { QuantityInput } from "../components/QuantityInput";
import { useToast } from "../components/Toasts";
import { cartChanged } from "../lib/cart";
import { useT } from "../i18n";
import { CartLineAddDocument, PartDeleteDocument, PartsDocument, type PartsQuery } from "../generated/graphql";
import { useBrand, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useDebounced } from "../lib/useDebounced";

const PARTS_CONTEXT = { additionalTypenames: ["Part"] };

export function PartsLibrary() {
  const brand = useBrand();
  const t = useT();
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search.trim());
  const [parts, refetch] = useQuery({
    query: PartsDocument,
    variables: { search: debounced || null, channel: brand.channel },
    context: PARTS_CONTEXT,
  });
  if (parts.error && !parts.data) return <div className="empty">{t.partsUnavailable}</div>;
  const rows = parts.data?.parts.nodes ?? [];

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.navParts}</h1>
          <p className="muted">{t.partsIntro}</p>
        </div>
        <div className="head-actions">
          <input type="search" placeholder={t.searchByName} value={search} onChange={(e) => setSearch(e.target.value)} data-testid="parts-search" />
          <Link href="/laser" className="btn btn-primary">
            {t.newPart}
          </Link>
        </div>
      </div>
      {rows.length === 0 && !parts.fetching && (
        <div className="empty card">
          {debounced ? t.noPartMatches : t.noPartsYet} <Link href="/laser">{t.createOne}</Link>
        </div>
      )}
      <div className="parts" data-testid="parts">
        {rows.map((p) => (
          <PartCard key={p.id} part={p} onDeleted={() => refetch({ requestPolicy: "network-only" })} />
        ))}
      </div>
    </>
  );
}

function PartCard({ part, onDeleted }: { part: PartsQuery["parts"]["nodes"][number]; onDeleted(): void }) {
  const brand = useBrand();
  const fmt = useFormat();
  const notify = useToast();
  const t = useT();
  const { mayOrder } = useViewer();
  const [quantity, setQuantity] = useState(part.quantity);
  const [quantityOk, setQuantityOk] = useState(true);
  const [added, setAdded] = useState<string | null>(null);
  const [, addLine] = useMutation(CartLineAddDocument);
  const [, remove] = useMutation(PartDeleteDocument);
  const [confirm, setConfirm] = useState(false);
  const price = part.price?.price;

  async function add() {
    const r = await addLine({ input: { partId: part.id, quantity, channel: brand.channel } });
    const e = r.data?.cartLineAdd.errors[0];
    cartChanged();
    if (e) notify({ title: t.notAdded, body: e.message, tone: "warning" });
    else setAdded(t.addedToCart(`${fmt.number(quantity)} × ${part.name}`));
  }

  async function doDelete() {
    const r = await remove({ id: part.id });
    const e = r.data?.partDelete.errors[0];
    if (e) notify({ title: t.notDeleted, body: e.message, tone: "warning" });
    onDeleted();
  }

  return (
    <article className="card part" data-testid="part" data-name={part.name}>
      <PartPreview svg={part.svgPreview} label={part.name} />
      <div className="part-body">
        <span className="kind">{part.source === "TEMPLATE" ? t.templateSource(part.template?.toLowerCase() ?? "") : t.dxfSource(part.fileName ?? "")}</span>
        <h3>{part.name}</h3>
        <div className="facts-row">
          <span>
            {part.material?.name ?? "—"}, {fmt.number(part.thicknessMm)} mm
          </span>
        </div>
        <DrawingFacts {...part} fmt={fmt} />
        <div className="product-foot">
          <span>
            {price?.valid ? (
              <>
                <strong>{fmt.money(price.net)}</strong> <small className="muted">{t.forPieces(fmt.number(price.quantity))}</small>
              </>
            ) : (
              <span className="muted">{price?.messages[0]?.message ?? t.cannotPriceNow}</span>
            )}
          </span>
        </div>
        {mayOrder && (
          <div className="decision">
            <QuantityInput value={quantity} onChange={setQuantity} onValidity={setQuantityOk} label={t.quantity} />
            <button className="btn btn-primary btn-small" disabled={!quantityOk} onClick={() => void add()} data-testid="part-card-add">
              {t.addToCart}
            </button>
          </div>
        )}
        {added && (
          <p className="muted small" role="status">
            {added} · <Link href="/cart">{t.goToCart}</Link>
          </p>
        )}
        <div className="decision">
          {confirm ? (
            <>
              <button className="btn btn-danger btn-small" onClick={() => void doDelete()}>
                {t.deleteForGood}
              </button>
              <button className="btn btn-ghost btn-small" onClick={() => setConfirm(false)}>
                {t.keep}
              </button>
            </>
          ) : (
            <button className="btn btn-ghost btn-small" onClick={() => setConfirm(true)}>
              {t.delete}
            </button>
          )}
        </div>
      </div>
    </article>
  );
}
