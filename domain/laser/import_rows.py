"""Checking the rows of a bulk import: each cell against the shop's materials and the
archive, each distinct drawing analysed once (see ``part_import`` for why that is enough).
"""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from domain.laser.costing import MaterialThickness
from domain.laser.errors import DrawingError
from domain.laser.import_files import DrawingArchive, SheetRow
from domain.laser.part_drawings import analyse, sha256
from domain.laser.part_errors import PartErrorCode
from domain.laser.part_geometry import PartGeometry, fits_limits
from domain.laser.part_library import MAX_NAME, MAX_QUANTITY
from domain.laser.shop import LaserShop, ShopMaterial, parse_thickness, thickness_list
from domain.shared.errors import DomainError, excerpt

# Threads analysing at once: enough to keep a core busy, few enough to leave the default
# executor to other requests.
ANALYSIS_THREADS = 4

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why a row cannot be imported: the column at fault and, for drawings, the place."""

    column: str | None
    code: Enum
    message: str
    x: float | None = None
    y: float | None = None
    handle: str | None = None
    layer: str | None = None


@dataclass(frozen=True, slots=True)
class InvalidRow:
    number: int
    name: str
    problems: tuple[RowProblem, ...]


@dataclass(slots=True)
class ParsedRow:
    number: int
    name: str
    material: ShopMaterial | None = None
    thickness: MaterialThickness | None = None
    quantity: int = 1
    file_name: str = ""
    member: zipfile.ZipInfo | None = None
    sha256: str = ""
    problems: list[RowProblem] = field(default_factory=list)

    def add(self, column: str | None, code: Enum, message: str) -> None:
        self.problems.append(RowProblem(column, code, message))


def parse_row(row: SheetRow, shop: LaserShop, archive: DrawingArchive) -> ParsedRow:
    cells = row.cells
    out = ParsedRow(row.number, " ".join(cells["name"].split()))
    if not out.name:
        out.add("name", PartErrorCode.REQUIRED, "The name is empty.")
    elif len(out.name) > MAX_NAME:
        out.add("name", PartErrorCode.TOO_LONG, f"The name is longer than {MAX_NAME} characters.")
    if not cells["material"]:
        out.add("material", PartErrorCode.REQUIRED, "The material is empty.")
    else:
        out.material = shop.find(cells["material"])
        if out.material is None:
            known = ", ".join(m.code for m in shop.materials if m.is_active)
            out.add(
                "material",
                PartErrorCode.UNKNOWN_MATERIAL,
                f"Unknown material {excerpt(cells['material'])}; use one of {known}.",
            )
    _parse_thickness(out, cells["thickness"])
    _parse_quantity(out, cells["quantity"])
    out.file_name = cells["file"]
    if not out.file_name:
        out.add("file", PartErrorCode.REQUIRED, "The DXF file name is empty.")
    else:
        out.member = archive.find(out.file_name)
        if out.member is None:
            out.add(
                "file",
                PartErrorCode.MISSING_FILE,
                f"The archive has no file {excerpt(out.file_name)}.",
            )
    return out


def _parse_thickness(out: ParsedRow, text: str) -> None:
    if not text:
        out.add("thickness", PartErrorCode.REQUIRED, "The thickness is empty.")
        return
    try:
        value = parse_thickness(text)
    except DomainError as exc:
        out.add("thickness", PartErrorCode.INVALID_NUMBER, exc.details[0].message)
        return
    if out.material is not None:
        out.thickness = out.material.material.thickness(value)
        if out.thickness is None:
            out.add(
                "thickness",
                PartErrorCode.UNKNOWN_THICKNESS,
                f"{out.material.material.name} is not cut in {value.normalize():f} mm; "
                f"available: {thickness_list(out.material.material)} mm.",
            )


def _parse_quantity(out: ParsedRow, text: str) -> None:
    if not text:
        return  # one part unless the sheet says otherwise
    try:
        value = Decimal(text.replace(",", "."))
        whole = value.is_finite() and value == value.to_integral_value()
    except ArithmeticError:
        whole = False
    if not whole:
        out.add("quantity", PartErrorCode.INVALID_NUMBER, f"{excerpt(text)} is not a whole number.")
    elif not 1 <= value <= MAX_QUANTITY:
        out.add(
            "quantity",
            PartErrorCode.INVALID_QUANTITY,
            f"The quantity is a whole number from 1 to {MAX_QUANTITY:,}, not {excerpt(text)}.",
        )
    else:
        out.quantity = int(value)


def _drawing_problems(exc: DrawingError) -> list[RowProblem]:
    return [
        RowProblem("file", p.code, p.message, p.x, p.y, p.handle, p.layer) for p in exc.problems
    ]


async def _run_all(
    jobs: dict[K, Callable[[], Awaitable[V]]],
) -> dict[K, V | DrawingError]:
    """Every job, at most ANALYSIS_THREADS at once; drawing problems become values."""
    gate = asyncio.Semaphore(ANALYSIS_THREADS)

    async def one(job: Callable[[], Awaitable[V]]) -> V | DrawingError:
        async with gate:
            try:
                return await job()
            except DrawingError as exc:
                return exc

    keys = list(jobs)
    results = await asyncio.gather(*(one(jobs[k]) for k in keys))
    return dict(zip(keys, results, strict=True))


def _job(data: bytes, thickness: MaterialThickness | None) -> Callable[[], Awaitable[Any]]:
    return lambda: analyse(data, thickness)


def _limits(sha: str, t: MaterialThickness) -> tuple[str, Decimal, Decimal, Decimal]:
    """What a strict analysis depends on besides the drawing."""
    return sha, t.max_sheet_width_mm, t.max_sheet_height_mm, t.min_hole_diameter_mm


async def check_drawings(
    rows: list[ParsedRow], archive: DrawingArchive
) -> dict[str, tuple[bytes, PartGeometry]]:
    """Read and analyse each distinct drawing once; record problems on the rows. Returns the
    good drawings by checksum."""
    contents: dict[str, tuple[str, bytes] | DomainError] = {}
    for row in rows:
        if row.member is None or row.member.filename in contents:
            continue
        try:
            data = archive.read(row.member)
            contents[row.member.filename] = (sha256(data), data)
        except DomainError as exc:
            contents[row.member.filename] = exc
    distinct = {c[0]: c[1] for c in contents.values() if isinstance(c, tuple)}
    measured = await _run_all({sha: _job(data, None) for sha, data in distinct.items()})
    strict: dict[tuple[str, Decimal, Decimal, Decimal], Callable[[], Awaitable[Any]]] = {}
    for row in rows:
        if row.member is None:
            continue
        content = contents[row.member.filename]
        if isinstance(content, DomainError):
            row.add("file", content.details[0].code, content.details[0].message)
            continue
        row.sha256 = content[0]
        geometry = measured[row.sha256]
        if isinstance(geometry, DrawingError):
            row.problems.extend(_drawing_problems(geometry))
        elif row.thickness is not None and not fits_limits(geometry, row.thickness):
            strict[_limits(row.sha256, row.thickness)] = _job(distinct[row.sha256], row.thickness)
    if strict:
        limited = await _run_all(strict)
        for row in rows:
            if row.thickness is None or not row.sha256:
                continue
            outcome = limited.get(_limits(row.sha256, row.thickness))
            if isinstance(outcome, DrawingError):
                row.problems.extend(_drawing_problems(outcome))
    return {
        sha: (data, geometry)
        for sha, data in distinct.items()
        if not isinstance(geometry := measured[sha], DrawingError)
    }
