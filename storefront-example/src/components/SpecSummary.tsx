import { useFormat } from "../lib/format";
import { useT } from "../i18n";

/** A configuration as chips: the labelled specification when the API gives one, else the
 *  raw values the buyer chose. */
export interface SpecParameter {
  key: string;
  label: string;
  display: string | null;
}

export function SpecSummary({ values, specification }: { values?: unknown; specification?: unknown }) {
  const t = useT();
  const fmt = useFormat();
  const part = specPart(specification);
  if (part) {
    const mm = (n: number) => fmt.number(Math.round(n * 10) / 10);
    return (
      <ul className="spec">
        <li>
          {part.materialName}, {fmt.number(part.thicknessMm)} mm
        </li>
        <li>
          {mm(part.widthMm)} × {mm(part.heightMm)} mm
        </li>
        <li>{t.hole(part.holeCount)}</li>
        {part.template ? <li>{t.templateChip(part.template.toLowerCase())}</li> : part.fileName && <li>{part.fileName}</li>}
      </ul>
    );
  }
  const params = specParameters(specification);
  if (params) {
    return (
      <ul className="spec">
        {params
          .filter((p) => p.display && p.display !== "no")
          .map((p) => (
            <li key={p.key} title={p.label}>
              {p.display === "yes" ? p.label : p.display}
            </li>
          ))}
      </ul>
    );
  }
  const entries = values && typeof values === "object" ? Object.entries(values as Record<string, unknown>) : [];
  if (!entries.length) return <ul className="spec"><li>{t.standardConfiguration}</li></ul>;
  return (
    <ul className="spec">
      {entries.map(([k, v]) => (
        <li key={k}>
          {k.replace(/_/g, " ")}: {String(v)}
        </li>
      ))}
    </ul>
  );
}

export function specParameters(specification: unknown): SpecParameter[] | null {
  if (!specification || typeof specification !== "object") return null;
  const params = (specification as { parameters?: unknown }).parameters;
  return Array.isArray(params) ? (params as SpecParameter[]) : null;
}

interface SpecPart {
  name: string;
  materialName: string;
  thicknessMm: number;
  widthMm: number;
  heightMm: number;
  holeCount: number;
  template: string | null;
  fileName: string | null;
}

/** A laser part line: its figures as ordered. */
export function specPart(specification: unknown): SpecPart | null {
  if (!specification || typeof specification !== "object") return null;
  const part = (specification as { part?: unknown }).part;
  return part && typeof part === "object" ? (part as SpecPart) : null;
}
