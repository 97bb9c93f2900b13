import { useT } from "../i18n";

/** The API's SVG of a part, shown as an image (an <img> never runs anything inside an SVG). */
export function PartPreview({ svg, label }: { svg: string | null | undefined; label: string }) {
  const t = useT();
  return (
    <div className="svg-preview" data-testid="part-preview">
      {svg ? (
        <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={label} />
      ) : (
        <span className="muted small">{t.noDrawingYet}</span>
      )}
    </div>
  );
}

export function DrawingFacts(props: {
  widthMm: number;
  heightMm: number;
  cutLengthMm: number;
  holeCount: number;
  weightKg: number | null | undefined;
  fmt: { number(n: number): string };
}) {
  const { widthMm, heightMm, cutLengthMm, holeCount, weightKg, fmt } = props;
  const t = useT();
  const mm = (n: number) => fmt.number(Math.round(n * 10) / 10);
  return (
    <div className="facts-row" data-testid="drawing-facts">
      <span>
        {mm(widthMm)} × {mm(heightMm)} mm
      </span>
      <span>{t.hole(holeCount)}</span>
      <span>{t.cut(fmt.number(Math.round(cutLengthMm) / 1000))}</span>
      {weightKg != null && <span>{fmt.number(Math.round(weightKg * 1000) / 1000)} kg</span>}
    </div>
  );
}
