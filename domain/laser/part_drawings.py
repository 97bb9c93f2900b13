"""Turning an upload or a template into a checked drawing for a chosen sheet thickness.

``analyse_dxf`` is CPU-bound (20-70 ms for a typical part), so it runs in a worker thread: the
event loop keeps serving other requests meanwhile. The analyser (with ezdxf and numpy, ~40 MiB)
is imported there, on the first drawing, not when a server that may never see one starts.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.laser.costing import MaterialThickness
from domain.laser.errors import DrawingError, LaserErrorCode
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_geometry import LengthUnit, PartGeometry
from domain.laser.templates import TEMPLATES, generate, resolve_parameters
from domain.shared.errors import DomainError, ErrorDetail

MAX_DXF_BYTES = 5 * 1024 * 1024
# Templates whose drawing depends on the sheet (bend allowance) take it from the part.
THICKNESS_PARAMETER = "thickness"


def check_size(data: bytes, field: str | tuple[str, ...], limit: int = MAX_DXF_BYTES) -> None:
    """FILE_TOO_LARGE past ``limit``; callers read at most ``limit + 1`` bytes of an upload."""
    if len(data) > limit:
        raise DomainError.single(
            PartErrorCode.FILE_TOO_LARGE,
            f"The file is larger than {limit // (1024 * 1024)} MB.",
            field,
        )
    if not data:
        raise DomainError.single(PartErrorCode.REQUIRED, "The file is empty.", field)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _analyse(
    data: bytes, thickness: MaterialThickness | None, units: LengthUnit | None
) -> PartGeometry:
    from domain.laser.geometry import analyse_dxf  # heavy: see the module docstring

    if thickness is None:
        return analyse_dxf(data, assume_units=units)
    return analyse_dxf(
        data,
        max_sheet_mm=thickness.max_sheet_mm,
        min_hole_diameter_mm=float(thickness.min_hole_diameter_mm),
        assume_units=units,
    )


async def analyse(
    data: bytes, thickness: MaterialThickness | None, units: LengthUnit | None = None
) -> PartGeometry:
    """The geometry, checked against the thickness's largest sheet and smallest hole (none
    when ``thickness`` is None); raises ``DrawingError`` with every problem."""
    return await asyncio.to_thread(_analyse, data, thickness, units)


@dataclass(frozen=True, slots=True)
class TemplateDrawing:
    template_key: str
    params: dict[str, float]  # every parameter, defaults filled in
    dxf: bytes
    geometry: PartGeometry


def template_params(
    template_key: str, params: Mapping[str, Any], thickness_mm: float
) -> dict[str, float]:
    """Checked parameters; a template's own ``thickness`` follows the sheet chosen."""
    given = dict(params)
    template = TEMPLATES.get(template_key)
    if template is not None and any(p.key == THICKNESS_PARAMETER for p in template.parameters):
        if THICKNESS_PARAMETER not in given:
            given[THICKNESS_PARAMETER] = thickness_mm
        elif given[THICKNESS_PARAMETER] != thickness_mm:
            raise DomainError.single(
                LaserErrorCode.INVALID_TEMPLATE_PARAMETER,
                f"The material thickness of the template must equal the sheet thickness "
                f"({thickness_mm:g} mm).",
                ("parameters", THICKNESS_PARAMETER),
            )
    return resolve_parameters(template_key, given)


async def template_drawing(
    template_key: str, params: Mapping[str, Any], thickness: MaterialThickness
) -> TemplateDrawing:
    """Generate the template's DXF and analyse it like an upload. Parameter problems point at
    ``parameters.<key>``; drawing problems (too large for the sheet, holes too small for the
    thickness) at ``parameters``, with their coordinates."""
    values = template_params(template_key, params, float(thickness.thickness_mm))
    data = await asyncio.to_thread(generate, template_key, values)
    try:
        geometry = await analyse(data, thickness)
    except DrawingError as exc:
        raise relocated(exc, ("parameters",)) from None
    return TemplateDrawing(template_key, values, data, geometry)


def relocated(exc: DrawingError, field: tuple[str, ...]) -> DrawingError:
    """The same problems (coordinates kept) pointing at another input than the file."""
    moved = DrawingError(exc.problems, exc.omitted)
    moved.details = tuple(ErrorDetail(d.code, d.message, field) for d in exc.details)
    return moved
