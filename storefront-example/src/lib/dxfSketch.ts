// Just enough DXF reading to draw a refused drawing in the browser, so the problems the API
// reports (with their x, y in millimetres) can be marked where they are. The API checks and
// previews every accepted drawing itself; this sketch is only for the ones it refuses.

export type Shape =
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number }
  | { kind: "circle"; cx: number; cy: number; r: number }
  | { kind: "arc"; cx: number; cy: number; r: number; start: number; end: number }
  | { kind: "poly"; points: [number, number][]; closed: boolean };

export interface Sketch {
  shapes: Shape[];
  /** Millimetres per drawing unit ($INSUNITS), null when the drawing declares none. */
  mmPerUnit: number | null;
}

const MM_PER_UNIT: Record<string, number> = { "1": 25.4, "4": 1, "5": 10, "6": 1000 };

/** The LINE, CIRCLE, ARC and LWPOLYLINE entities of a DXF text (others are skipped). */
export function readSketch(text: string): Sketch {
  const lines = text.split(/\r?\n/);
  const pairs: [number, string][] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) pairs.push([Number(lines[i].trim()), lines[i + 1].trim()]);
  let mmPerUnit: number | null = null;
  const shapes: Shape[] = [];
  let inEntities = false;
  for (let i = 0; i < pairs.length; i++) {
    const [code, value] = pairs[i];
    if (code === 9 && value === "$INSUNITS" && pairs[i + 1]) mmPerUnit = MM_PER_UNIT[pairs[i + 1][1]] ?? null;
    if (code === 2 && value === "ENTITIES") inEntities = true;
    if (code === 0 && value === "ENDSEC") inEntities = false;
    if (!inEntities || code !== 0) continue;
    // The entity's group codes run until the next code 0.
    let j = i + 1;
    const group: [number, string][] = [];
    while (j < pairs.length && pairs[j][0] !== 0) group.push(pairs[j++]);
    const num = (c: number) => Number(group.find(([k]) => k === c)?.[1] ?? NaN);
    if (value === "LINE") shapes.push({ kind: "line", x1: num(10), y1: num(20), x2: num(11), y2: num(21) });
    else if (value === "CIRCLE") shapes.push({ kind: "circle", cx: num(10), cy: num(20), r: num(40) });
    else if (value === "ARC") shapes.push({ kind: "arc", cx: num(10), cy: num(20), r: num(40), start: num(50), end: num(51) });
    else if (value === "LWPOLYLINE") {
      const xs = group.filter(([k]) => k === 10).map(([, v]) => Number(v));
      const ys = group.filter(([k]) => k === 20).map(([, v]) => Number(v));
      shapes.push({ kind: "poly", points: xs.map((x, k) => [x, ys[k]]), closed: (num(70) & 1) === 1 });
    }
  }
  return { shapes: shapes.filter((s) => Object.values(s).every((v) => typeof v !== "number" || Number.isFinite(v))), mmPerUnit };
}

/** The sketch in millimetres (scaled by its units, or `fallbackMm` per unit). */
export function inMillimetres(sketch: Sketch, fallbackMm = 1): Shape[] {
  const f = sketch.mmPerUnit ?? fallbackMm;
  return sketch.shapes.map((s) => {
    switch (s.kind) {
      case "line":
        return { ...s, x1: s.x1 * f, y1: s.y1 * f, x2: s.x2 * f, y2: s.y2 * f };
      case "circle":
        return { ...s, cx: s.cx * f, cy: s.cy * f, r: s.r * f };
      case "arc":
        return { ...s, cx: s.cx * f, cy: s.cy * f, r: s.r * f };
      case "poly":
        return { ...s, points: s.points.map(([x, y]) => [x * f, y * f] as [number, number]) };
    }
  });
}

export function bounds(shapes: Shape[], points: [number, number][]): { minX: number; minY: number; maxX: number; maxY: number } {
  const xs: number[] = points.map((p) => p[0]);
  const ys: number[] = points.map((p) => p[1]);
  for (const s of shapes) {
    if (s.kind === "line") xs.push(s.x1, s.x2), ys.push(s.y1, s.y2);
    else if (s.kind === "poly") s.points.forEach(([x, y]) => (xs.push(x), ys.push(y)));
    else xs.push(s.cx - s.r, s.cx + s.r), ys.push(s.cy - s.r, s.cy + s.r);
  }
  if (!xs.length) return { minX: 0, minY: 0, maxX: 1, maxY: 1 };
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}
