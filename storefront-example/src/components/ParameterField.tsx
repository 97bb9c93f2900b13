import type { ProductQuery } from "../generated/graphql";
import { useFormat } from "../lib/format";
import { useT } from "../i18n";

type Version = NonNullable<NonNullable<ProductQuery["product"]>["currentVersion"]>;
type Param = Version["parameters"][number];
type Rule = Version["parameterRules"][number];

/** The buyer's choices over the parameters' defaults. */
export function effectiveValues(params: readonly Param[], chosen: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const p of params) out[p.key] = p.key in chosen ? chosen[p.key] : p.default;
  return out;
}

/** What the product's rules allow for `param` given the other choices (for greying out). */
function constraints(param: Param, rules: readonly Rule[], values: Record<string, unknown>) {
  const excluded = new Map<string, Rule>();
  let min = param.minimum != null ? Number(param.minimum) : undefined;
  let max = param.maximum != null ? Number(param.maximum) : undefined;
  for (const r of rules) {
    if (r.parameter !== param.key || values[r.whenParameter] !== r.whenOption) continue;
    if (r.kind === "EXCLUDES") r.excludedOptions.forEach((o) => excluded.set(o, r));
    if (r.kind === "RANGE_WHEN") {
      if (r.minimum != null) min = Math.max(min ?? -Infinity, Number(r.minimum));
      if (r.maximum != null) max = Math.min(max ?? Infinity, Number(r.maximum));
    }
  }
  return { excluded, min, max };
}

/** "Gloss: not with 90 g/m²": why an option is unavailable, said next to the field (a hover
 *  title alone is unreachable on a phone). */
function unavailableNotes(param: Param, excluded: Map<string, Rule>, params: readonly Param[], say: (option: string, when: string) => string) {
  return param.options
    .filter((o) => excluded.has(o.key))
    .map((o) => {
      const rule = excluded.get(o.key)!;
      const other = params.find((p) => p.key === rule.whenParameter);
      const when = other?.options.find((x) => x.key === rule.whenOption)?.label ?? rule.whenOption;
      return say(o.label, other ? `${other.label} ${when}` : when);
    });
}

export function ParameterField(props: {
  param: Param;
  /** Every parameter of the product: to name the choice that rules an option out. */
  params: readonly Param[];
  rules: readonly Rule[];
  values: Record<string, unknown>;
  message?: string;
  onChange(value: unknown): void;
}) {
  const { param, params, rules, values, message, onChange } = props;
  const t = useT();
  const fmt = useFormat();
  const value = values[param.key];
  const { excluded, min, max } = constraints(param, rules, values);
  const notes = param.kind === "ENUM" ? unavailableNotes(param, excluded, params, t.unavailableBecause) : [];
  const id = `param-${param.key}`;
  let control;

  switch (param.kind) {
    case "ENUM":
      control =
        param.options.length <= 4 ? (
          <div className="segmented" role="radiogroup" aria-labelledby={`${id}-label`}>
            {param.options.map((o) => (
              <button
                type="button"
                role="radio"
                aria-checked={value === o.key}
                key={o.key}
                className={value === o.key ? "on" : ""}
                disabled={excluded.has(o.key)}
                title={excluded.has(o.key) ? t.notWithOtherChoices : undefined}
                data-option={o.key}
                onClick={() => onChange(o.key)}
              >
                {o.label}
              </button>
            ))}
          </div>
        ) : (
          <select id={id} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)}>
            {!param.required && <option value="">—</option>}
            {param.options.map((o) => (
              <option key={o.key} value={o.key} disabled={excluded.has(o.key)}>
                {o.label}
              </option>
            ))}
          </select>
        );
      break;
    case "INTEGER":
    case "DECIMAL": {
      const step = param.step != null ? Number(param.step) : param.kind === "INTEGER" ? 1 : undefined;
      const few = param.kind === "INTEGER" && min !== undefined && max !== undefined && max - min <= 6 * (step ?? 1);
      control = few ? (
        <div className="segmented" role="radiogroup" aria-labelledby={`${id}-label`}>
          {range(min!, max!, step ?? 1).map((n) => (
            <button type="button" role="radio" aria-checked={value === n} key={n} className={value === n ? "on" : ""} data-option={n} onClick={() => onChange(n)}>
              {fmt.number(n)}
            </button>
          ))}
        </div>
      ) : (
        <div className="with-unit">
          <input
            id={id}
            type="number"
            min={min}
            max={max}
            step={step ?? "any"}
            value={value == null ? "" : String(value)}
            onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
          />
          {param.unit && <span>{param.unit}</span>}
        </div>
      );
      break;
    }
    case "BOOLEAN":
      control = (
        <label className="switch">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span aria-hidden="true" />
          {value === true ? t.yes : t.no}
        </label>
      );
      break;
    default:
      control = (
        <textarea
          id={id}
          rows={2}
          maxLength={param.maxLength ?? undefined}
          value={String(value ?? "")}
          onChange={(e) => onChange(e.target.value || null)}
        />
      );
  }

  return (
    <div className={`param${message ? " invalid" : ""}`} data-param={param.key}>
      <div className="param-label">
        <label id={`${id}-label`} htmlFor={id}>
          {param.label}
        </label>
        {(min !== undefined || max !== undefined) && param.kind !== "ENUM" && (
          <small>
            {min !== undefined ? fmt.number(min) : "…"}–{max !== undefined ? fmt.number(max) : "…"} {param.unit}
          </small>
        )}
      </div>
      {control}
      {notes.length > 0 && (
        <p className="unavailable-note" data-testid="unavailable-note">
          {notes.join(" · ")}
        </p>
      )}
      {message && <p className="field-error">{message}</p>}
    </div>
  );
}

function range(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let n = min; n <= max + 1e-9; n += step) out.push(Math.round(n * 1e6) / 1e6);
  return out;
}
