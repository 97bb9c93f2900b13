"""Drawings of an analysed part: an SVG preview for the storefront and a clean DXF download.

Both are built from the exact outlines (arcs stay arcs), so the preview is crisp at any zoom
and the DXF analyses to the same figures as the upload it came from.
"""

from __future__ import annotations

import io
import math
from xml.sax.saxutils import quoteattr

from domain.laser.outline import Vertex, is_straight
from domain.laser.part_geometry import PartGeometry

CUT_LAYER = "CUT"


def _num(value: float) -> str:
    """Fixed 3 decimals (micrometres), trailing zeros dropped: stable text for equal input."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _path_data(outline: tuple[Vertex, ...], height: float) -> str:
    """One closed subpath; y is flipped because SVG's y axis points down and CAD's up."""
    parts = [f"M{_num(outline[0][0])} {_num(height - outline[0][1])}"]
    n = len(outline)
    for i, (x0, y0, bulge) in enumerate(outline):
        x1, y1, _ = outline[(i + 1) % n]
        if is_straight(bulge):
            if i < n - 1:
                parts.append(f"L{_num(x1)} {_num(height - y1)}")
            continue
        chord = math.hypot(x1 - x0, y1 - y0)
        sweep = 4.0 * math.atan(abs(bulge))
        radius = _num(chord / (2.0 * math.sin(sweep / 2.0)))
        large = 1 if sweep > math.pi else 0
        # Counter-clockwise in CAD is counter-clockwise on screen too, i.e. SVG sweep-flag 0.
        flag = 0 if bulge > 0 else 1
        parts.append(f"A{radius} {radius} 0 {large} {flag} {_num(x1)} {_num(height - y1)}")
    parts.append("Z")
    return " ".join(parts)


def contours_to_svg(
    geometry: PartGeometry,
    *,
    stroke: str = "#1f2937",
    fill: str = "#d1d5db",
    max_px: int = 800,
) -> str:
    """A standalone SVG of the part, upright, in millimetres (viewBox), holes see-through.

    The larger side is ``max_px`` pixels (margin included); strokes stay one pixel wide at any
    size. The output depends only on the geometry and the arguments, so it can be cached.
    """
    width, height = geometry.width_mm, geometry.height_mm
    margin = max(width, height) * 0.01  # room for the stroke, which is centred on the edge
    scale = max_px / max(width + 2 * margin, height + 2 * margin, 1e-9)
    data = " ".join(_path_data(o, height) for o in geometry.outlines)
    view_box = (
        f"{_num(-margin)} {_num(-margin)} {_num(width + 2 * margin)} {_num(height + 2 * margin)}"
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{view_box}" '
        f'width="{_num((width + 2 * margin) * scale)}" '
        f'height="{_num((height + 2 * margin) * scale)}">'
        f'<path d="{data}" fill={quoteattr(fill)} fill-rule="evenodd" '
        f'stroke={quoteattr(stroke)} stroke-width="1" vector-effect="non-scaling-stroke"/>'
        "</svg>\n"
    )


def geometry_to_dxf(geometry: PartGeometry) -> bytes:
    """The part as a clean R2010 DXF in millimetres: one closed LWPOLYLINE per contour."""
    # ezdxf loads on the first download, not for the SVG previews a storefront shows.
    from ezdxf.filemanagement import new as new_drawing

    doc = new_drawing("R2010", units=4)  # units=4 writes $INSUNITS 4 (mm), $MEASUREMENT 1
    doc.layers.add(CUT_LAYER, color=7)
    msp = doc.modelspace()
    for shape in geometry.outlines:
        msp.add_lwpolyline(shape, format="xyb", close=True, dxfattribs={"layer": CUT_LAYER})
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("utf-8")
