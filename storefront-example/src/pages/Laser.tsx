import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { DrawingFacts, PartPreview } from "../components/PartPreview";
import { PricePanel } from "../components/PricePanel";
import { useToast } from "../components/Toasts";
import {
  CartLineAddDocument,
  type DrawingUnits,
  LaserSetupDocument,
  PartCreateFromDxfDocument,
  PartCreateFromTemplateDocument,
  PartPriceDocument,
  PartQuoteDocument,
  type LaserSetupQuery,
  type PartCreateFromTemplateInput,
  type PartFieldsFragment,
} from "../generated/graphql";
import { useBrand, useViewer } from "../lib/context";
import { useFormat } from "../lib/format";
import { useDebounced } from "../lib/useDebounced";

type Template = LaserSetupQuery["partTemplates"][number];
type Material = LaserSetupQuery["laserMaterials"][number];

/** Uploads are multipart requests; the API wants a header that forces a CORS preflight. */
const UPLOAD_CONTEXT = { fetchOptions: { headers: { "Apollo-Require-Preflight": "true" } } };

export function LaserPage() {
  const [setup] = useQuery({ query: LaserSetupDocument });
  const [mode, setMode] = useState<"template" | "dxf">("template");
  const [material, setMaterial] = useState<string>("");
  const [thickness, setThickness] = useState<string>("");
  const [quantity, setQuantity] = useState(10);
  const [saved, setSaved] = useState<PartFieldsFragment | null>(null);

  const materials = setup.data?.laserMaterials ?? [];
  const current = materials.find((m) => m.code === material);
  useEffect(() => {
    if (!material && materials[0]) {
      setMaterial(materials[0].code);
      setThickness(materials[0].thicknesses[Math.min(2, materials[0].thicknesses.length - 1)]?.thicknessMm ?? "");
    }
  }, [material, materials]);

  if (setup.fetching && !setup.data) return <div className="loading">Loading…</div>;
  if (setup.error) return <div className="empty">Laser parts are not available on this server.</div>;

  const sheet = { material, thickness, quantity, materials, current, setMaterial, setThickness, setQuantity };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Laser-cut parts</h1>
          <p className="muted">Start from a template or upload a DXF drawing; every part is checked against the sheet before it is priced.</p>
        </div>
        <Link href="/parts" className="btn btn-ghost">
          Parts library →
        </Link>
      </div>
      <div className="tabs source-tabs" role="tablist">
        <button role="tab" aria-selected={mode === "template"} className={mode === "template" ? "on" : ""} onClick={() => setMode("template")}>
          From a template
        </button>
        <button role="tab" aria-selected={mode === "dxf"} className={mode === "dxf" ? "on" : ""} onClick={() => setMode("dxf")} data-testid="mode-dxf">
          Upload a DXF
        </button>
      </div>
      {mode === "template" ? (
        <TemplatePart templates={setup.data?.partTemplates ?? []} sheet={sheet} onSaved={setSaved} />
      ) : (
        <DxfPart sheet={sheet} onSaved={setSaved} saved={saved} />
      )}
    </>
  );
}

interface Sheet {
  material: string;
  thickness: string;
  quantity: number;
  materials: Material[];
  current: Material | undefined;
  setMaterial(code: string): void;
  setThickness(t: string): void;
  setQuantity(q: number): void;
}

function SheetFields({ sheet }: { sheet: Sheet }) {
  return (
    <div className="sheet-fields">
      <label className="field">
        <span>Material</span>
        <select
          name="material"
          value={sheet.material}
          onChange={(e) => {
            sheet.setMaterial(e.target.value);
            const m = sheet.materials.find((x) => x.code === e.target.value);
            if (m && !m.thicknesses.some((t) => t.thicknessMm === sheet.thickness)) sheet.setThickness(m.thicknesses[0]?.thicknessMm ?? "");
          }}
        >
          {sheet.materials.map((m) => (
            <option key={m.code} value={m.code}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Thickness</span>
        <select name="thickness" value={sheet.thickness} onChange={(e) => sheet.setThickness(e.target.value)}>
          {sheet.current?.thicknesses.map((t) => (
            <option key={t.thicknessMm} value={t.thicknessMm}>
              {Number(t.thicknessMm)} mm
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Quantity</span>
        <input name="partQuantity" type="number" min={1} value={sheet.quantity} onChange={(e) => sheet.setQuantity(Math.max(1, Number(e.target.value) || 1))} />
      </label>
    </div>
  );
}

function TemplatePart({ templates, sheet, onSaved }: { templates: Template[]; sheet: Sheet; onSaved(p: PartFieldsFragment): void }) {
  const brand = useBrand();
  const fmt = useFormat();
  const [key, setKey] = useState(templates[0]?.key ?? "");
  const template = templates.find((t) => t.key === key);
  const [params, setParams] = useState<Record<string, number>>({});
  const [name, setName] = useState("");
  // A new template starts from its defaults (keyed by the template, not the result object,
  // so a refetch of the setup query keeps what the buyer typed).
  useEffect(() => {
    const t = templates.find((x) => x.key === key);
    if (t) setParams(Object.fromEntries(t.parameters.map((p) => [p.key, p.default])));
  }, [key]);

  const input = useDebounced(
    useMemo(
      () => ({ template: key, parameters: params, material: sheet.material, thicknessMm: sheet.thickness, quantity: sheet.quantity, channel: brand.channel }),
      [key, params, sheet.material, sheet.thickness, sheet.quantity, brand.channel],
    ),
  );
  const [quote] = useQuery({ query: PartQuoteDocument, variables: { input }, pause: !input.template || !input.material || !input.thicknessMm });
  const q = quote.data?.partQuote;

  return (
    <div className="laser">
      <div>
        <div className="templates" data-testid="templates">
          {templates.map((t) => (
            <button key={t.key} type="button" className={`card template${t.key === key ? " on" : ""}`} onClick={() => setKey(t.key)} data-template={t.key}>
              <TemplateThumb template={t} material={sheet.material} thickness={sheet.thickness} />
              <strong>{t.label}</strong>
              <small className="muted">{t.description}</small>
            </button>
          ))}
        </div>
        {template && (
          <form className="card config-form" onSubmit={(e) => e.preventDefault()} data-testid="template-form">
            {template.parameters.map((p) => (
              <div className="param" key={p.key} data-param={p.key}>
                <div className="param-label">
                  <label htmlFor={`tp-${p.key}`}>{p.label}</label>
                  <small>
                    {fmt.number(p.minimum)}–{fmt.number(p.maximum)} {p.unit === "count" ? "" : p.unit}
                  </small>
                </div>
                <div className="with-unit">
                  <input
                    id={`tp-${p.key}`}
                    type="number"
                    min={p.minimum}
                    max={p.maximum}
                    step={p.unit === "count" ? 1 : "any"}
                    value={params[p.key] ?? ""}
                    onChange={(e) => setParams({ ...params, [p.key]: Number(e.target.value) })}
                  />
                  {p.unit === "mm" && <span>mm</span>}
                </div>
              </div>
            ))}
            <SheetFields sheet={sheet} />
            <label className="field">
              <span>Name in your library</span>
              <input name="partName" value={name} placeholder={template.label} onChange={(e) => setName(e.target.value)} />
            </label>
          </form>
        )}
      </div>
      <aside className="config-side">
        <PartPreview svg={q?.drawing?.svgPreview} label={template?.label ?? "Part"} />
        {q?.drawing && <DrawingFacts {...q.drawing} fmt={fmt} />}
        <PricePanel shown={q ? { price: q.price, reason: "QUOTE", at: 0 } : null} updating={quote.fetching} title="Price">
          <SaveAndOrder
            canSave={!!q?.price.valid}
            quantity={sheet.quantity}
            input={{ name: name.trim() || template?.label || key, template: key, parameters: params, material: sheet.material, thicknessMm: sheet.thickness, quantity: sheet.quantity }}
            onSaved={onSaved}
          />
        </PricePanel>
      </aside>
    </div>
  );
}

function TemplateThumb({ template, material, thickness }: { template: Template; material: string; thickness: string }) {
  const [quote] = useQuery({
    query: PartQuoteDocument,
    variables: { input: { template: template.key, parameters: {}, material, thicknessMm: thickness, quantity: 1 } },
    pause: !material || !thickness,
  });
  const svg = quote.data?.partQuote?.drawing?.svgPreview;
  return svg ? <img className="thumb" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt="" /> : <span className="thumb" />;
}

/** Save the part to the library, then (optionally) put it into the cart. */
function SaveAndOrder(props: {
  canSave: boolean;
  quantity: number;
  input: PartCreateFromTemplateInput;
  onSaved(p: PartFieldsFragment): void;
}) {
  const { canSave, quantity, input, onSaved } = props;
  const brand = useBrand();
  const notify = useToast();
  const { mayOrder } = useViewer();
  const [saving, createPart] = useMutation(PartCreateFromTemplateDocument);
  const [, addLine] = useMutation(CartLineAddDocument);
  const [error, setError] = useState<string | null>(null);

  async function save(andOrder: boolean) {
    setError(null);
    const r = await createPart({ input });
    const payload = r.data?.partCreateFromTemplate;
    if (!payload?.part) {
      setError(payload?.errors.map((e) => e.message).join(" ") ?? "Not saved.");
      return;
    }
    onSaved(payload.part);
    if (!andOrder) {
      notify({ title: "Saved to your parts library", body: payload.part.name, tone: "success" });
      return;
    }
    const added = await addLine({ input: { partId: payload.part.id, quantity, channel: brand.channel } });
    const e = added.data?.cartLineAdd.errors[0];
    notify(e ? { title: "Saved, not added to the cart", body: e.message, tone: "warning" } : { title: "Saved and added to your cart", body: `${quantity} × ${payload.part.name}`, tone: "success" });
  }

  return (
    <>
      {error && <p className="error">{error}</p>}
      {mayOrder && (
        <button className="btn btn-primary btn-block" disabled={!canSave || saving.fetching} onClick={() => void save(true)} data-testid="part-add-to-cart">
          Save and add to cart
        </button>
      )}
      <button className="btn btn-ghost btn-block" disabled={!canSave || saving.fetching} onClick={() => void save(false)} data-testid="part-save">
        Save to parts library
      </button>
    </>
  );
}

function DxfPart({ sheet, onSaved, saved }: { sheet: Sheet; onSaved(p: PartFieldsFragment): void; saved: PartFieldsFragment | null }) {
  const brand = useBrand();
  const fmt = useFormat();
  const notify = useToast();
  const { mayOrder } = useViewer();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [units, setUnits] = useState<DrawingUnits | "">("");
  const [errors, setErrors] = useState<{ message: string; x: number | null; y: number | null; layer: string | null }[]>([]);
  const [uploading, upload] = useMutation(PartCreateFromDxfDocument);
  const [, addLine] = useMutation(CartLineAddDocument);
  const part = saved?.source === "DXF" ? saved : null;
  const [price] = useQuery({
    query: PartPriceDocument,
    variables: { id: part?.id ?? "", quantity: sheet.quantity, channel: brand.channel },
    pause: !part,
  });
  const partPrice = price.data?.node?.__typename === "Part" ? price.data.node.price?.price : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setErrors([]);
    const r = await upload(
      {
        input: {
          name: name.trim() || file.name.replace(/\.dxf$/i, ""),
          file,
          material: sheet.material,
          thicknessMm: sheet.thickness,
          quantity: sheet.quantity,
          units: units || null,
        },
      },
      UPLOAD_CONTEXT,
    );
    const payload = r.data?.partCreateFromDxf;
    if (payload?.part) {
      onSaved(payload.part);
      notify({ title: "Drawing checked and saved", body: payload.part.name, tone: "success" });
    } else {
      setErrors(payload?.errors ?? [{ message: r.error?.message ?? "Upload failed.", x: null, y: null, layer: null }]);
    }
  }

  async function add() {
    if (!part) return;
    const r = await addLine({ input: { partId: part.id, quantity: sheet.quantity, channel: brand.channel } });
    const e = r.data?.cartLineAdd.errors[0];
    notify(e ? { title: "Not added", body: e.message, tone: "warning" } : { title: "Added to your cart", body: `${sheet.quantity} × ${part.name}`, tone: "success" });
  }

  return (
    <div className="laser">
      <form className="card config-form pad" onSubmit={(e) => void submit(e)} data-testid="dxf-form">
        <label className="dropzone">
          <input type="file" accept=".dxf" name="dxf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <strong>{file ? file.name : "Choose a DXF drawing"}</strong>
          <br />
          <span className="muted small">{file ? `${fmt.number(Math.ceil(file.size / 1024))} KB` : "One part per file, at most 5 MB"}</span>
        </label>
        <label className="field">
          <span>Name in your library</span>
          <input name="dxfName" value={name} onChange={(e) => setName(e.target.value)} placeholder={file?.name.replace(/\.dxf$/i, "") ?? ""} />
        </label>
        <label className="field">
          <span>Units, if the drawing declares none</span>
          <select value={units} onChange={(e) => setUnits(e.target.value as DrawingUnits | "")}>
            <option value="">Refuse undeclared units</option>
            <option value="MILLIMETRE">Millimetres</option>
            <option value="CENTIMETRE">Centimetres</option>
            <option value="METRE">Metres</option>
            <option value="INCH">Inches</option>
          </select>
        </label>
        <SheetFields sheet={sheet} />
        {errors.length > 0 && (
          <div className="error" role="alert" data-testid="dxf-errors">
            <strong>The drawing cannot be cut like this:</strong>
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  {e.message}
                  {e.x != null && e.y != null && (
                    <small>
                      {" "}
                      (at {fmt.number(e.x)}, {fmt.number(e.y)} mm{e.layer ? `, layer ${e.layer}` : ""})
                    </small>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={!file || uploading.fetching} data-testid="dxf-upload">
          {uploading.fetching ? "Checking…" : "Upload and check"}
        </button>
      </form>
      <aside className="config-side">
        <PartPreview svg={part?.svgPreview} label={part?.name ?? "Part"} />
        {part && <DrawingFacts {...part} fmt={fmt} />}
        <PricePanel shown={partPrice ? { price: partPrice, reason: "QUOTE", at: 0 } : null} updating={price.fetching} title="Price">
          {part && mayOrder && (
            <button className="btn btn-primary btn-block" onClick={() => void add()} data-testid="dxf-add-to-cart">
              Add to cart
            </button>
          )}
          {!part && <p className="muted small">Upload a drawing to see its price.</p>}
        </PricePanel>
      </aside>
    </div>
  );
}
