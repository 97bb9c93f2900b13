"""VAT treatment of a document: domestic, reverse charge inside the EU, or zero-rated export.

Pure functions, unit-tested (tests/unit/billing/test_vat_rules.py). VAT numbers are checked
for their format per member state (the VIES patterns); whether a number is registered is the
shop's check in VIES, outside this system."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.billing.models import VatTreatment

EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

# The part after the two-letter prefix (Greece uses EL, not its ISO code GR).
VAT_ID_PATTERNS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
}
_COMPILED = {k: re.compile(rf"(?:{v})") for k, v in VAT_ID_PATTERNS.items()}

REVERSE_CHARGE_NOTE = (
    "Reverse charge: VAT to be accounted for by the recipient "
    "(Article 196, Council Directive 2006/112/EC)."
)
EXPORT_NOTE = (
    "Zero-rated export of goods outside the EU (Article 146(1)(a), Council Directive 2006/112/EC)."
)


def normalise_vat_id(value: str) -> str:
    """Upper case without spaces, dots or dashes: ``de 123.456.789`` -> ``DE123456789``."""
    return re.sub(r"[\s.\-]", "", value).upper()


def vat_prefix(country: str) -> str:
    return "EL" if country == "GR" else country


def vat_id_valid(vat_id: str, country: str | None = None) -> bool:
    """Whether ``vat_id`` has the format of an EU VAT number (of ``country`` when given)."""
    value = normalise_vat_id(vat_id)
    prefix, rest = value[:2], value[2:]
    if country is not None and prefix != vat_prefix(country):
        return False
    pattern = _COMPILED.get(prefix)
    return bool(pattern and pattern.fullmatch(rest))


@dataclass(frozen=True, slots=True)
class Treatment:
    kind: VatTreatment
    note: str

    @property
    def category(self) -> str | None:
        """The EN 16931 VAT category every line takes, or None: each line's own (S or Z)."""
        return {VatTreatment.REVERSE_CHARGE: "AE", VatTreatment.EXPORT: "G"}.get(self.kind)


def vat_treatment(
    seller_country: str, buyer_country: str, buyer_vat_id: str | None, is_business: bool
) -> Treatment:
    """Export outside the EU is zero-rated; an EU business in another member state with a
    well-formed VAT number of its country gets reverse charge; everything else is domestic."""
    if seller_country in EU_COUNTRIES and buyer_country not in EU_COUNTRIES:
        return Treatment(VatTreatment.EXPORT, EXPORT_NOTE)
    if (
        is_business
        and buyer_country != seller_country
        and buyer_vat_id
        and vat_id_valid(buyer_vat_id, buyer_country)
    ):
        return Treatment(VatTreatment.REVERSE_CHARGE, REVERSE_CHARGE_NOTE)
    return Treatment(VatTreatment.DOMESTIC, "")
