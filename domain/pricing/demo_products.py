"""Three demo products of a German digital print shop (EUR, 19 % VAT), as plain JSON-ready dicts.

Used by seed-demo and the price benchmark, and by the pricing tests as realistic rule sets.
Prices are net, per order, in the order of magnitude of online print shops; sheets are SRA3
(320 x 450 mm). The rule language is documented in ``domain.pricing.rules``.
"""

from __future__ import annotations

from typing import Any

VAT = "19"


def _enum(key: str, label: str, options: list[tuple[str, str]], default: str) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "kind": "enum",
        "options": [{"key": k, "label": v} for k, v in options],
        "default": default,
        "required": True,
    }


def _integer(
    key: str, label: str, limits: tuple[str, str, str | None], unit: str, default: int
) -> dict[str, Any]:
    low, high, step = limits
    param = {"key": key, "label": label, "kind": "integer", "min": low, "max": high}
    return param | ({"step": step} if step else {}) | {"unit": unit, "default": default}


def _flag(key: str, label: str) -> dict[str, Any]:
    return {"key": key, "label": label, "kind": "boolean", "default": False}


def _breaks(*pairs: tuple[int, str]) -> list[dict[str, Any]]:
    return [{"min_quantity": q, "factor": f} for q, f in pairs]


def _lookup(param: str, table: dict[str, Any]) -> dict[str, Any]:
    return {"lookup": {"param": param, "table": table}}


def _per_sheet(code: str, label: str, amount: object, sheets: str) -> dict[str, Any]:
    return {"type": "per_sheet", "code": code, "label": label, "amount": amount,
            "sheets": {"ref": sheets}}  # fmt: skip


_PROOF = {
    "type": "setup",
    "code": "proof",
    "label": "Printed proof",
    "amount": {"if_true": {"param": "proof", "then": "9.90", "else": 0}},
}

LEAFLET_SPEC: dict[str, Any] = {
    "parameters": [
        _enum(
            "size",
            "Size",
            [
                ("a6", "A6 (105 x 148 mm)"),
                ("dl", "DL (99 x 210 mm)"),
                ("a5", "A5 (148 x 210 mm)"),
                ("a4", "A4 (210 x 297 mm)"),
            ],
            "a5",
        ),
        _integer("pages", "Printed sides", ("1", "2", "1"), "pages", 2),
        _enum(
            "paper",
            "Paper",
            [
                ("90", "90 g/m² offset"),
                ("135", "135 g/m² gloss art"),
                ("170", "170 g/m² gloss art"),
            ],
            "135",
        ),
        _enum(
            "colour", "Colours", [("cmyk", "Full colour (CMYK)"), ("black", "Black only")], "cmyk"
        ),
        _enum(
            "finish",
            "Finish",
            [("none", "No finish"), ("gloss", "Gloss lamination"), ("matt", "Matt lamination")],
            "none",
        ),
        _flag("rounded_corners", "Rounded corners"),
        _flag("proof", "Printed proof"),
        {"key": "notes", "label": "Notes for the print shop", "kind": "text", "max_length": 500},
    ],
    "rules": [
        # Lamination curls thin offset paper.
        {
            "type": "excludes",
            "when": {"param": "paper", "option": "90"},
            "param": "finish",
            "options": ["gloss", "matt"],
        }
    ],
}

LEAFLET_RULES: dict[str, Any] = {
    "currency": "EUR",
    "vat_rate_percent": VAT,
    "minimum_net": "25.00",
    "derived": {
        # Pieces per SRA3 sheet; every printed side of a sheet is one impression (click).
        "ups": _lookup("size", {"a6": 8, "dl": 6, "a5": 4, "a4": 2}),
        "sheets": {"ceil": {"div": ["quantity", {"ref": "ups"}]}},
        "impressions": {"mul": [{"ref": "sheets"}, {"param": "pages"}]},
    },
    "components": [
        {"type": "setup", "code": "setup", "label": "Print setup", "amount": "12.00"},
        _PROOF,
        _per_sheet(
            "paper",
            "Paper {paper}: {count} sheets SRA3",
            _lookup("paper", {"90": "0.040", "135": "0.060", "170": "0.080"}),
            "sheets",
        ),
        _per_sheet(
            "printing",
            "Printing: {count} impressions",
            _lookup("colour", {"cmyk": "0.090", "black": "0.020"}),
            "impressions",
        ),
        _per_sheet("cutting", "Cutting: {count} sheets", "0.015", "sheets"),
        {
            "type": "option_surcharge",
            "param": "finish",
            "options": {
                "gloss": {
                    "setup": "8.00",
                    "per_unit": _lookup(
                        "size", {"a6": "0.004", "dl": "0.006", "a5": "0.008", "a4": "0.016"}
                    ),
                },
                "matt": {
                    "setup": "8.00",
                    "per_unit": _lookup(
                        "size", {"a6": "0.005", "dl": "0.007", "a5": "0.009", "a4": "0.018"}
                    ),
                },
            },
        },
        {
            "type": "option_surcharge",
            "code": "corners",
            "param": "rounded_corners",
            "options": {"true": {"setup": "5.00", "per_unit": "0.003"}},
        },
    ],
    "quantity_breaks": _breaks(
        (1, "1"),
        (250, "0.95"),
        (500, "0.90"),
        (1000, "0.85"),
        (2500, "0.80"),
        (5000, "0.75"),
        (10000, "0.70"),
    ),
}

BUSINESS_CARDS_SPEC: dict[str, Any] = {
    "parameters": [
        _enum(
            "format",
            "Format",
            [
                ("standard", "85 x 55 mm"),
                ("euro", "85 x 54 mm (credit card)"),
                ("square", "55 x 55 mm"),
            ],
            "standard",
        ),
        _enum(
            "colours",
            "Print",
            [("4-0", "Front only, full colour (4/0)"), ("4-4", "Both sides, full colour (4/4)")],
            "4-4",
        ),
        _enum(
            "paper",
            "Card stock",
            [
                ("300-matt", "300 g/m² matt"),
                ("350-silk", "350 g/m² silk"),
                ("400-premium", "400 g/m² premium uncoated"),
            ],
            "350-silk",
        ),
        _enum(
            "finish",
            "Finish",
            [
                ("none", "No finish"),
                ("soft-touch", "Soft-touch lamination"),
                ("spot-uv", "Spot UV varnish"),
            ],
            "none",
        ),
        _flag("rounded_corners", "Rounded corners"),
        _integer("names", "Names", ("1", "20", None), "names", 1),
    ],
    "rules": [
        # Uncoated premium stock takes neither lamination nor varnish.
        {
            "type": "excludes",
            "when": {"param": "paper", "option": "400-premium"},
            "param": "finish",
            "options": ["soft-touch", "spot-uv"],
        },
        # Spot UV needs a screen per name; the shop caps it.
        {
            "type": "range_when",
            "when": {"param": "finish", "option": "spot-uv"},
            "param": "names",
            "max": "5",
        },
    ],
}

_PER_NAME = {"param": "names"}

BUSINESS_CARDS_RULES: dict[str, Any] = {
    "currency": "EUR",
    "vat_rate_percent": VAT,
    "minimum_net": "19.90",
    # The quantity is cards per name; every name is its own imposition.
    "derived": {
        "ups": _lookup("format", {"standard": 24, "euro": 24, "square": 40}),
        "sheets": {"mul": [_PER_NAME, {"ceil": {"div": ["quantity", {"ref": "ups"}]}}]},
        "impressions": {"mul": [{"ref": "sheets"}, _lookup("colours", {"4-0": 1, "4-4": 2})]},
    },
    "components": [
        {
            "type": "setup",
            "code": "setup",
            "label": "Setup: {names}",
            "amount": {"mul": [_PER_NAME, "6.50"]},
        },
        _per_sheet(
            "paper",
            "Card stock {paper}: {count} sheets SRA3",
            _lookup("paper", {"300-matt": "0.110", "350-silk": "0.140", "400-premium": "0.320"}),
            "sheets",
        ),
        _per_sheet("printing", "Printing: {count} impressions", "0.085", "impressions"),
        _per_sheet("cutting", "Cutting: {count} sheets", "0.040", "sheets"),
        {
            "type": "option_surcharge",
            "param": "finish",
            "options": {
                "soft-touch": {"setup": "12.00", "per_unit": {"mul": [_PER_NAME, "0.012"]}},
                "spot-uv": {
                    "setup": {"mul": [_PER_NAME, "25.00"]},
                    "per_unit": {"mul": [_PER_NAME, "0.020"]},
                },
            },
        },
        {
            "type": "option_surcharge",
            "code": "corners",
            "param": "rounded_corners",
            "options": {"true": {"setup": "4.00", "per_unit": {"mul": [_PER_NAME, "0.004"]}}},
        },
    ],
    "quantity_breaks": _breaks(
        (1, "1"), (250, "0.95"), (500, "0.90"), (1000, "0.85"), (2500, "0.80")
    ),
}

FOLDED_BROCHURE_SPEC: dict[str, Any] = {
    "parameters": [
        _enum(
            "size",
            "Folded size",
            [("a5", "A5 (from A4)"), ("dl", "DL (from A4)"), ("a4", "A4 (from A3)")],
            "a5",
        ),
        _integer("pages", "Pages", ("4", "8", "2"), "pages", 4),
        _enum(
            "fold",
            "Fold",
            [
                ("half", "Half fold"),
                ("letter", "Letter fold"),
                ("zfold", "Z-fold"),
                ("double-parallel", "Double parallel fold"),
            ],
            "half",
        ),
        _enum(
            "paper",
            "Paper",
            [("115", "115 g/m² gloss art"), ("135", "135 g/m² silk"), ("170", "170 g/m² silk")],
            "135",
        ),
        _enum("finish", "Finish", [("none", "No finish"), ("matt", "Matt lamination")], "none"),
        _flag("proof", "Printed proof"),
    ],
    "rules": [
        *(
            {
                "type": "range_when",
                "when": {"param": "fold", "option": fold},
                "param": "pages",
                "min": pages,
                "max": pages,
            }
            for fold, pages in (
                ("half", "4"),
                ("letter", "6"),
                ("zfold", "6"),
                ("double-parallel", "8"),
            )
        ),
        {
            "type": "excludes",
            "when": {"param": "paper", "option": "115"},
            "param": "finish",
            "options": ["matt"],
        },
    ],
}

FOLDED_BROCHURE_RULES: dict[str, Any] = {
    "currency": "EUR",
    "vat_rate_percent": VAT,
    "minimum_net": "35.00",
    "derived": {
        # Pages per SRA3 sheet, both sides.
        "imposition": _lookup("size", {"a5": 8, "dl": 12, "a4": 4}),
        "sheets": {
            "ceil": {"div": [{"mul": ["quantity", {"param": "pages"}]}, {"ref": "imposition"}]}
        },
        "impressions": {"mul": [{"ref": "sheets"}, 2]},
    },
    "components": [
        {"type": "setup", "code": "setup", "label": "Print setup", "amount": "15.00"},
        _PROOF,
        _per_sheet(
            "paper",
            "Paper {paper}: {count} sheets SRA3",
            _lookup("paper", {"115": "0.050", "135": "0.060", "170": "0.080"}),
            "sheets",
        ),
        _per_sheet("printing", "Printing: {count} impressions", "0.090", "impressions"),
        _per_sheet("trimming", "Trimming: {count} sheets", "0.015", "sheets"),
        {
            "type": "option_surcharge",
            "code": "folding",
            "param": "fold",
            "options": {
                "half": {"setup": "6.00", "per_unit": "0.008"},
                "letter": {"setup": "8.00", "per_unit": "0.012"},
                "zfold": {"setup": "8.00", "per_unit": "0.012"},
                "double-parallel": {"setup": "10.00", "per_unit": "0.016"},
            },
        },
        {
            "type": "formula",
            "code": "creasing",
            "label": "Creasing for 170 g/m²: {quantity} pieces",
            "amount": {
                "if_option": {
                    "param": "paper",
                    "option": "170",
                    "then": {"mul": ["quantity", "0.010"]},
                    "else": 0,
                }
            },
        },
        {
            "type": "option_surcharge",
            "param": "finish",
            "options": {
                "matt": {
                    "setup": "10.00",
                    "per_unit": _lookup("size", {"a5": "0.020", "dl": "0.020", "a4": "0.035"}),
                }
            },
        },
    ],
    "quantity_breaks": _breaks(
        (1, "1"),
        (100, "0.95"),
        (250, "0.90"),
        (500, "0.85"),
        (1000, "0.80"),
        (2500, "0.75"),
        (5000, "0.70"),
    ),
}

DEMO_PRODUCTS: dict[str, dict[str, Any]] = {
    "leaflet": {
        "name": "Leaflet",
        "spec": LEAFLET_SPEC,
        "rules": LEAFLET_RULES,
        "example": {"size": "a5", "paper": "135", "finish": "gloss"},
        "quantities": [100, 250, 500, 1000, 2500, 5000, 10000],
    },
    "business-cards": {
        "name": "Business cards",
        "spec": BUSINESS_CARDS_SPEC,
        "rules": BUSINESS_CARDS_RULES,
        "example": {"paper": "350-silk", "colours": "4-4", "names": 2},
        "quantities": [100, 250, 500, 1000, 2500],
    },
    "folded-brochure": {
        "name": "Folded brochure",
        "spec": FOLDED_BROCHURE_SPEC,
        "rules": FOLDED_BROCHURE_RULES,
        "example": {"size": "dl", "fold": "letter", "pages": 6, "paper": "170"},
        "quantities": [100, 250, 500, 1000, 2500, 5000],
    },
}
