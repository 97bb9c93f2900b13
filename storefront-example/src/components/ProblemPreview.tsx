import { useEffect, useState } from "react";
import { bounds, inMillimetres, readSketch, type Shape } from "../lib/dxfSketch";
import { useT } from "../i18n";

export interface DrawingProblem {
  message: string;
  x: number | null;
  y: number | null;
  layer: string | null;
}

const UNIT_MM: Record<string, number> = { MILLIMETRE: 1, CENTIMETRE: 10, METRE: 1000, INCH: 25.4 };

/** A refused drawing, sketched from the buyer's own file, with a numbered mark at every
 *  problem the API located; the list beside it carries the same numbers. */
export function ProblemPreview({ file, problems, units }: { file: File; problems: DrawingProblem[]; units: string }) {
  const t = useT();
  const [shapes, setShapes] = useState<Shape[]>([]);
  useEffect(() => {
    let live = true;
    void file.text().then((text) => {
      if (live) setShapes(inMillimetres(readSketch(text), UNIT_MM[units] ?? 1));
    });
    return () => {
      live = false;
    };
  }, [file, units]);

  const located = problems.map((p, i) => ({ ...p, n: i + 1 })).filter((p) => p.x != null && p.y != null);
  const box = bounds(shapes, located.map((p) => [p.x!, p.y!]));
  const size = Math.max(box.maxX - box.minX, box.maxY - box.minY, 1);
  const pad = size * 0.08;
  const stroke = size / 250;
  const mark = size / 28;
  // DXF's y axis points up, SVG's down: draw with y negated.
  const viewBox = `${box.minX - pad} ${-box.maxY - pad} ${box.maxX - box.minX + 2 * pad} ${box.maxY - box.minY + 2 * pad}`;
  return (
    <div className="svg-preview refused" data-testid="problem-preview">
      <svg viewBox={viewBox} role="img" aria-label={t.refusedDrawing}>
        <g fill="none" stroke="currentColor" strokeWidth={stroke} className="sketch">
          {shapes.map((s, i) => (
            <ShapePath key={i} shape={s} />
          ))}
        </g>
        {located.map((p) => (
          <g key={p.n} className="problem-mark" data-testid="problem-mark" data-x={p.x!} data-y={p.y!}>
            <circle cx={p.x!} cy={-p.y!} r={mark} strokeWidth={stroke * 1.5} />
            <text x={p.x! + mark * 1.3} y={-p.y! - mark * 0.9} fontSize={mark * 1.6}>
              {p.n}
            </text>
          </g>
        ))}
      </svg>
      <small className="muted">{t.refusedDrawing}</small>
    </div>
  );
}

function ShapePath({ shape: s }: { shape: Shape }) {
  switch (s.kind) {
    case "line":
      return <line x1={s.x1} y1={-s.y1} x2={s.x2} y2={-s.y2} />;
    case "circle":
      return <circle cx={s.cx} cy={-s.cy} r={s.r} />;
    case "arc": {
      const rad = (d: number) => (d * Math.PI) / 180;
      const sweep = (((s.end - s.start) % 360) + 360) % 360;
      const [x1, y1] = [s.cx + s.r * Math.cos(rad(s.start)), s.cy + s.r * Math.sin(rad(s.start))];
      const [x2, y2] = [s.cx + s.r * Math.cos(rad(s.end)), s.cy + s.r * Math.sin(rad(s.end))];
      return <path d={`M ${x1} ${-y1} A ${s.r} ${s.r} 0 ${sweep > 180 ? 1 : 0} 1 ${x2} ${-y2}`} />;
    }
    case "poly":
      return s.closed ? (
        <polygon points={s.points.map(([x, y]) => `${x},${-y}`).join(" ")} />
      ) : (
        <polyline points={s.points.map(([x, y]) => `${x},${-y}`).join(" ")} />
      );
  }
}
