import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { DrawingFacts, PartPreview } from "../components/PartPreview";
import { useToast } from "../components/Toasts";
import { CartLineAddDocument, PartDeleteDocument, PartsDocument, type PartsQuery } from "../generated/graphql";
import { useBrand, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useDebounced } from "../lib/useDebounced";

const PARTS_CONTEXT = { additionalTypenames: ["Part"] };

export function PartsLibrary() {
  const brand = useBrand();
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search.trim());
  const [parts, refetch] = useQuery({
    query: PartsDocument,
    variables: { search: debounced || null, channel: brand.channel },
    context: PARTS_CONTEXT,
  });
  if (parts.error && !parts.data) return <div className="empty">The parts library is not available on this server.</div>;
  const rows = parts.data?.parts.nodes ?? [];

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Parts library</h1>
          <p className="muted">Your company's laser parts, priced now for your terms. Reorder any of them.</p>
        </div>
        <div className="head-actions">
          <input type="search" placeholder="Search by name" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="parts-search" />
          <Link href="/laser" className="btn btn-primary">
            New part
          </Link>
        </div>
      </div>
      {rows.length === 0 && !parts.fetching && (
        <div className="empty card">
          {debounced ? "No part matches." : "No parts yet."} <Link href="/laser">Create one from a template or a drawing.</Link>
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
  const { mayOrder } = useViewer();
  const [quantity, setQuantity] = useState(part.quantity);
  const [, addLine] = useMutation(CartLineAddDocument);
  const [, remove] = useMutation(PartDeleteDocument);
  const [confirm, setConfirm] = useState(false);
  const price = part.price?.price;

  async function add() {
    const r = await addLine({ input: { partId: part.id, quantity, channel: brand.channel } });
    const e = r.data?.cartLineAdd.errors[0];
    notify(e ? { title: "Not added", body: e.message, tone: "warning" } : { title: "Added to your cart", body: `${quantity} × ${part.name}`, tone: "success" });
  }

  async function doDelete() {
    const r = await remove({ id: part.id });
    const e = r.data?.partDelete.errors[0];
    if (e) notify({ title: "Not deleted", body: e.message, tone: "warning" });
    onDeleted();
  }

  return (
    <article className="card part" data-testid="part" data-name={part.name}>
      <PartPreview svg={part.svgPreview} label={part.name} />
      <div className="part-body">
        <span className="kind">{part.source === "TEMPLATE" ? `Template · ${part.template?.toLowerCase()}` : `DXF · ${part.fileName ?? ""}`}</span>
        <h3>{part.name}</h3>
        <div className="facts-row">
          <span>
            {part.material?.name ?? "—"}, {Number(part.thicknessMm)} mm
          </span>
        </div>
        <DrawingFacts {...part} fmt={fmt} />
        <div className="product-foot">
          <span>
            {price?.valid ? (
              <>
                <strong>{fmt.money(price.net)}</strong> <small className="muted">for {fmt.number(price.quantity)}</small>
              </>
            ) : (
              <span className="muted">{price?.messages[0]?.message ?? "Cannot be priced now"}</span>
            )}
          </span>
        </div>
        {mayOrder && (
          <div className="decision">
            <input type="number" min={1} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} aria-label="Quantity" />
            <button className="btn btn-primary btn-small" onClick={() => void add()} data-testid="part-card-add">
              Add to cart
            </button>
          </div>
        )}
        <div className="decision">
          {confirm ? (
            <>
              <button className="btn btn-danger btn-small" onClick={() => void doDelete()}>
                Delete for good
              </button>
              <button className="btn btn-ghost btn-small" onClick={() => setConfirm(false)}>
                Keep
              </button>
            </>
          ) : (
            <button className="btn btn-ghost btn-small" onClick={() => setConfirm(true)}>
              Delete…
            </button>
          )}
        </div>
      </div>
    </article>
  );
}
