import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { Link } from "wouter";
import { DrawingFacts, PartPreview } from "../components/PartPreview";
import { PricePanel } from "../components/PricePanel";
import { ProblemPreview, type DrawingProblem } from "../components/ProblemPreview";
import { QuantityInput } from "../components/QuantityInput";
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
import { cartChanged } from "../lib/cart";
import { useT } from "../i18n";

type Template = LaserSetupQuery["partTemplates"][number];
type Material = LaserSetupQuery["laserMaterials"][number];

/** Uploads are multipart requests; the API wants a header that forces a CORS preflight. */
const UPLOAD_CONTEXT = { fetchOptions: { headers: { "Apollo-Require-Preflight": "true" } } };

export function LaserPage() {
  const t = useT();
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

  if (setup.fetching && !setup.data) return <div className="loading">{t.loading}</div>;
  if (setup.error) return <div className="empty">{t.laserUnavailable}</div>;

  const sheet = { material, thickness, quantity, materials, current, setMaterial, setThickness, setQuantity };

  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.laserTitle}</h1>
          <p className="muted">{t.laserIntro}</p>
        </div>
        <Link href="/parts" className="btn btn-ghost">
          {t.partsLibraryLink}
        </Link>
      </div>
      <div className="tabs source-tabs" role="tablist">
        <button role="tab" aria-selected={mode === "template"} className={mode === "template" ? "on" : ""} onClick={() => setMode("template")}>
          {t.fromTemplate}
        </button>
        <button role="tab" aria-selected={mode === "dxf"} className={mode === "dxf" ? "on" : ""} onClick={() => setMode("dxf")} data-testid="mode-dxf">
          {t.uploadDxf}
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
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="sheet-fields">
      <label className="field">
        <span>{t.material}</span>
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
        <span>{t.thickness}</span>
        <select name="thickness" value={sheet.thickness} onChange={(e) => sheet.setThickness(e.target.value)}>
          {sheet.current?.thicknesses.map((th) => (
            <option key={th.thicknessMm} value={th.thicknessMm}>
              {fmt.number(th.thicknessMm)} mm
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t.quantity}</span>
        <QuantityInput name="partQuantity" value={sheet.quantity} onChange={sheet.setQuantity} />
      </label>
    </div>
  );
}

function TemplatePart({ templates, sheet, onSaved }: { templates: Template[]; sheet: Sheet; onSaved(p: PartFieldsFragment): void }) {
  const brand = useBrand();
  const fmt = useFormat();
  const t = useT();
  const [key, setKey] = useState(templates[0]?.key ?? "");
  const template = templates.find((t) => t.key === key);
  const [params, setParams] = useState<Record<string, number>>({});
  const [name, setName] = useState("");
  // A new template starts from its defaults (keyed by the template, not the result object,
  // so a refetch of the setup query keeps what the buyer typed).
  useEffect(() => {
    const chosen = templates.find((x) => x.key === key);
    if (chosen) setParams(Object.fromEntries(chosen.parameters.map((p) => [p.key, p.default])));
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
          {templates.map((tp) => (
            <button key={tp.key} type="button" className={`card template${tp.key === key ? " on" : ""}`} onClick={() => setKey(tp.key)} data-template={tp.key}>
              <TemplateThumb template={tp} material={sheet.material} thickness={sheet.thickness} />
              <strong>{tp.label}</strong>
              <small className="muted">{tp.description}</small>
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
              <span>{t.nameInLibrary}</span>
              <input name="partName" value={name} placeholder={template.label} onChange={(e) => setName(e.target.value)} />
            </label>
          </form>
        )}
      </div>
      <aside className="config-side">
        <PartPreview svg={q?.drawing?.svgPreview} label={template?.label ?? t.part} />
        {q?.drawing && <DrawingFacts {...q.drawing} fmt={fmt} />}
        <PricePanel shown={q ? { price: q.price, reason: "QUOTE", at: 0 } : null} updating={quote.fetching} title={t.price}>
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
  const fmt = useFormat();
  const t = useT();
  const { mayOrder } = useViewer();
  const [saving, createPart] = useMutation(PartCreateFromTemplateDocument);
  const [, addLine] = useMutation(CartLineAddDocument);
  const [error, setError] = useState<string | null>(null);
  // What happened, said under the buttons (a toast would cover them).
  const [done, setDone] = useState<string | null>(null);

  async function save(andOrder: boolean) {
    setError(null);
    setDone(null);
    const r = await createPart({ input });
    const payload = r.data?.partCreateFromTemplate;
    if (!payload?.part) {
      setError(payload?.errors.map((e) => e.message).join(" ") ?? t.notSaved);
      return;
    }
    onSaved(payload.part);
    if (!andOrder) {
      setDone(t.savedToLibrary(payload.part.name));
      return;
    }
    const added = await addLine({ input: { partId: payload.part.id, quantity, channel: brand.channel } });
    cartChanged();
    const e = added.data?.cartLineAdd.errors[0];
    if (e) setError(`${t.savedNotAdded}: ${e.message}`);
    else setDone(t.savedAndAdded(`${fmt.number(quantity)} × ${payload.part.name}`));
  }

  return (
    <>
      {error && <p className="error">{error}</p>}
      {mayOrder && (
        <button className="btn btn-primary btn-block" disabled={!canSave || saving.fetching} onClick={() => void save(true)} data-testid="part-add-to-cart">
          {t.saveAndAdd}
        </button>
      )}
      <button className="btn btn-ghost btn-block" disabled={!canSave || saving.fetching} onClick={() => void save(false)} data-testid="part-save">
        {t.saveToLibrary}
      </button>
      {done && (
        <p className="added small center" role="status" data-testid="part-done">
          {done} · <Link href="/cart">{t.goToCart}</Link>
        </p>
      )}
    </>
  );
}

function DxfPart({ sheet, onSaved, saved }: { sheet: Sheet; onSaved(p: PartFieldsFragment | null): void; saved: PartFieldsFragment | null }) {
  const brand = useBrand();
  const fmt = useFormat();
  const t = useT();
  const notify = useToast();
  const { mayOrder } = useViewer();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [units, setUnits] = useState<DrawingUnits | "">("");
  const [errors, setErrors] = useState<DrawingProblem[]>([]);
  // The file the errors are about (the box may hold another one by now).
  const [refused, setRefused] = useState<File | null>(null);
  const [added, setAdded] = useState<string | null>(null);
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
    // A new drawing replaces whatever the last one left: its preview, price and button.
    setErrors([]);
    setRefused(null);
    setAdded(null);
    onSaved(null);
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
    } else {
      setErrors(payload?.errors ?? [{ message: r.error?.message ?? t.uploadFailed, x: null, y: null, layer: null }]);
      setRefused(file);
    }
  }

  async function add() {
    if (!part) return;
    const r = await addLine({ input: { partId: part.id, quantity: sheet.quantity, channel: brand.channel } });
    cartChanged();
    const e = r.data?.cartLineAdd.errors[0];
    if (e) notify({ title: t.notAdded, body: e.message, tone: "warning" });
    else setAdded(t.addedToCart(`${fmt.number(sheet.quantity)} × ${part.name}`));
  }

  return (
    <div className="laser">
      <form className="card config-form pad" onSubmit={(e) => void submit(e)} data-testid="dxf-form">
        <label className="dropzone">
          <input type="file" accept=".dxf" name="dxf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <strong>{file ? file.name : t.chooseDxf}</strong>
          <br />
          <span className="muted small">{file ? t.fileSize(fmt.number(Math.ceil(file.size / 1024))) : t.dxfLimits}</span>
        </label>
        <label className="field">
          <span>{t.nameInLibrary}</span>
          <input name="dxfName" value={name} onChange={(e) => setName(e.target.value)} placeholder={file?.name.replace(/\.dxf$/i, "") ?? ""} />
        </label>
        <label className="field">
          <span>{t.unitsIfNone}</span>
          <select value={units} onChange={(e) => setUnits(e.target.value as DrawingUnits | "")}>
            <option value="">{t.refuseUndeclared}</option>
            <option value="MILLIMETRE">{t.millimetres}</option>
            <option value="CENTIMETRE">{t.centimetres}</option>
            <option value="METRE">{t.metres}</option>
            <option value="INCH">{t.inches}</option>
          </select>
        </label>
        <SheetFields sheet={sheet} />
        {errors.length > 0 && (
          <div className="error" role="alert" data-testid="dxf-errors">
            <strong>{t.cannotCut}</strong>
            {/* The API's message already names the place; the number points at its mark on the preview. */}
            <ol className="problems">
              {errors.map((e, i) => (
                <li key={i} className={e.x != null && e.y != null ? "located" : undefined}>
                  {e.message}
                </li>
              ))}
            </ol>
          </div>
        )}
        <button className="btn btn-primary btn-block" type="submit" disabled={!file || uploading.fetching} data-testid="dxf-upload">
          {uploading.fetching ? t.checking : t.uploadAndCheck}
        </button>
      </form>
      <aside className="config-side">
        {refused && errors.length > 0 ? (
          <ProblemPreview file={refused} problems={errors} units={units} />
        ) : (
          <PartPreview svg={part?.svgPreview} label={part?.name ?? t.part} />
        )}
        {part && <DrawingFacts {...part} fmt={fmt} />}
        <PricePanel shown={part && partPrice ? { price: partPrice, reason: "QUOTE", at: 0 } : null} updating={price.fetching} title={t.price}>
          {part && mayOrder && (
            <button className="btn btn-primary btn-block" onClick={() => void add()} data-testid="dxf-add-to-cart">
              {t.addToCart}
            </button>
          )}
          {added && (
            <p className="added small center" role="status" data-testid="dxf-added">
              {added} · <Link href="/cart">{t.goToCart}</Link>
            </p>
          )}
          {!part && <p className="muted small">{t.uploadToSeePrice}</p>}
        </PricePanel>
      </aside>
    </div>
  );
}
