import type { ReactElement } from "react";

// Illustrations for products without images (the demo catalogue has none): drawn in the
// brand's colours so both brands look like themselves.
export function ProductArt({ code, kind }: { code: string; kind: string }) {
  const art = ART[code] ?? (kind === "LASER_PART" ? ART["laser-part"] : ART.leaflet);
  return (
    <svg className="product-art" viewBox="0 0 200 130" aria-hidden="true">
      <rect width="200" height="130" fill="var(--art-bg)" />
      <circle cx="170" cy="20" r="46" fill="var(--accent)" opacity=".16" />
      <circle cx="24" cy="120" r="38" fill="var(--primary)" opacity=".10" />
      {art}
    </svg>
  );
}

const ART: Record<string, ReactElement> = {
  leaflet: (
    <g>
      <rect x="58" y="22" width="62" height="88" rx="3" fill="#fff" stroke="var(--primary)" strokeWidth="2" transform="rotate(-8 89 66)" />
      <rect x="80" y="18" width="62" height="88" rx="3" fill="#fff" stroke="var(--primary)" strokeWidth="2" />
      <rect x="88" y="28" width="46" height="30" rx="2" fill="var(--accent)" opacity=".85" />
      <path d="M88 68h46M88 76h46M88 84h30" stroke="var(--primary)" strokeWidth="3" strokeLinecap="round" opacity=".5" />
    </g>
  ),
  "business-cards": (
    <g>
      <rect x="46" y="40" width="84" height="52" rx="4" fill="var(--primary)" transform="rotate(-10 88 66)" />
      <rect x="70" y="46" width="84" height="52" rx="4" fill="#fff" stroke="var(--primary)" strokeWidth="2" />
      <circle cx="88" cy="64" r="8" fill="var(--accent)" />
      <path d="M102 60h40M102 68h28M80 84h58" stroke="var(--primary)" strokeWidth="3" strokeLinecap="round" opacity=".55" />
    </g>
  ),
  "folded-brochure": (
    <g>
      <path d="M50 30l34-8v90l-34 8z" fill="#fff" stroke="var(--primary)" strokeWidth="2" />
      <path d="M84 22l34 8v90l-34-8z" fill="var(--accent)" opacity=".9" stroke="var(--primary)" strokeWidth="2" />
      <path d="M118 30l34-8v90l-34 8z" fill="#fff" stroke="var(--primary)" strokeWidth="2" />
      <path d="M58 50h18M58 58h18M126 50h18M126 58h14" stroke="var(--primary)" strokeWidth="3" strokeLinecap="round" opacity=".5" />
    </g>
  ),
  "laser-part": (
    <g>
      <path d="M52 34h70l26 26v36H52z" fill="var(--steel)" stroke="var(--primary)" strokeWidth="2" />
      <circle cx="74" cy="58" r="9" fill="var(--art-bg)" stroke="var(--primary)" strokeWidth="2" />
      <circle cx="126" cy="80" r="6" fill="var(--art-bg)" stroke="var(--primary)" strokeWidth="2" />
      <rect x="68" y="78" width="34" height="8" rx="4" fill="var(--art-bg)" stroke="var(--primary)" strokeWidth="2" />
      <path d="M150 12l-14 22" stroke="var(--accent)" strokeWidth="3" strokeLinecap="round" />
      <circle cx="136" cy="35" r="4" fill="var(--accent)" />
    </g>
  ),
};
