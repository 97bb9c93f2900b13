"""Reading uploaded DXF bytes into an ezdxf document, and its drawing units.

Uploads come from every CAD program there is, so reading is forgiving: the strict reader
first (fast, exact), then ezdxf's recover mode for slightly broken files. What cannot be read
becomes INVALID_DXF with the parser's reason, never an unexpected error.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ezdxf import recover
from ezdxf.document import Drawing
from ezdxf.filemanagement import read as read_text_stream
from ezdxf.lldxf.tagger import binary_tags_loader
from ezdxf.lldxf.validator import DXFInfo, binary_dxf_info, dxf_info, is_dxf_stream

from domain.laser.errors import LaserErrorCode, file_error
from domain.laser.part_geometry import LengthUnit

_BINARY_SENTINEL = b"AutoCAD Binary DXF\r\n\x1a\x00"

# Names for the $INSUNITS codes we refuse, so the customer learns what their file says.
_OTHER_UNITS = {
    2: "feet",
    3: "miles",
    7: "kilometres",
    8: "microinches",
    9: "mils",
    10: "yards",
    11: "ångströms",
    12: "nanometres",
    13: "microns",
    14: "decimetres",
}


@dataclass(frozen=True, slots=True)
class SourceDrawing:
    """A parsed upload and the units its coordinates are in."""

    doc: Drawing
    units: LengthUnit


def read_drawing(data: bytes, assume_units: LengthUnit | None) -> SourceDrawing:
    """Parse ``data`` and settle its units, or raise a file-wide DrawingError."""
    if data.startswith(_BINARY_SENTINEL):
        doc, info = _read_binary(data)
    else:
        doc, info = _read_text(data)
    return SourceDrawing(doc, _units(info.insert_units, assume_units))


def _read_binary(data: bytes) -> tuple[Drawing, DXFInfo]:
    try:
        info = binary_dxf_info(data)
        # ezdxf.readfile does this for files; there is no public bytes-level equivalent.
        doc = Drawing.load(binary_tags_loader(data))
    except Exception as exc:  # any parser failure means the upload is unusable
        raise file_error(
            LaserErrorCode.INVALID_DXF, f"The binary DXF file cannot be read: {exc}"
        ) from exc
    return doc, info


def _read_text(data: bytes) -> tuple[Drawing, DXFInfo]:
    if data.startswith(b"AC1") and data[3:6].isdigit():  # DWG files open with their version
        raise file_error(
            LaserErrorCode.INVALID_DXF,
            "This is a DWG file, not a DXF file: export the drawing as DXF and upload that.",
        )
    # The header is ASCII, so a lossy decode is enough to find the real encoding.
    probe = data.decode("utf-8", errors="ignore")
    if not probe.strip() or not is_dxf_stream(_lines(probe)):
        raise file_error(LaserErrorCode.INVALID_DXF, "The file is not a DXF drawing.")
    try:
        info = dxf_info(_lines(probe))
    except Exception:  # a header too broken to scan still gets a recover try
        info = DXFInfo()
    # R2007 and later are always UTF-8; older files name their code page in the header.
    encoding = "utf-8" if info.version >= "AC1021" else info.encoding
    try:
        text = data.decode(encoding, errors="surrogateescape")
        return read_text_stream(_lines(text)), info
    except Exception as strict_error:  # fall back to recover mode below
        return _recover(data, strict_error), info


def _lines(text: str) -> io.StringIO:
    """A text stream with universal newlines: Windows CAD programs write CRLF line ends."""
    return io.StringIO(text, newline=None)


def _recover(data: bytes, strict_error: Exception) -> Drawing:
    try:
        doc, _auditor = recover.read(io.BytesIO(data))
    except Exception as exc:  # any parser failure means the upload is unusable
        raise file_error(LaserErrorCode.INVALID_DXF, f"The DXF file cannot be read: {exc}") from exc
    if len(doc.modelspace()) == 0:
        # Recover mode happily returns an empty drawing from a truncated file; the strict
        # reader's complaint is the more useful answer then.
        raise file_error(
            LaserErrorCode.INVALID_DXF,
            "The DXF file is damaged or truncated and no drawing could be recovered: "
            f"{strict_error}",
        )
    return doc


def _units(code: int, assume_units: LengthUnit | None) -> LengthUnit:
    if code == 0:
        if assume_units is None:
            raise file_error(
                LaserErrorCode.UNKNOWN_UNITS,
                "The drawing does not say its units ($INSUNITS is unitless): choose the units "
                "it was drawn in, or save it with millimetres as drawing units.",
            )
        return assume_units
    try:
        return LengthUnit(code)
    except ValueError:
        name = _OTHER_UNITS.get(code, f"unit code {code}")
        raise file_error(
            LaserErrorCode.UNSUPPORTED_UNITS,
            f"The drawing is in {name}; upload it in millimetres, centimetres, metres or inches.",
        ) from None
