"""A seller's registration numbers, written as its country's law and habits spell them, whatever the
reader's language: FR SIREN/SIRET (in groups of three) and TVA intracommunautaire; NO org.nr (in groups
of three, "MVA" when VAT-registered); SE org.nr and momsregistreringsnummer; DK CVR-nr and SE-nr.
Other countries get the reader's words for "company number" and "VAT number". The PDF and the public
page print these same pairs, so a number never reads differently on paper and on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastfaktura.i18n.catalogue import LegalTexts


@dataclass(frozen=True)
class Identifier:
    label: str  # "SIRET", "Org.nr.", "N° de TVA"
    value: str  # "123 456 789 00012"

    def __str__(self) -> str:
        return f"{self.label} {self.value}"


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _groups_of_three(digits: str) -> str:
    """123456789 → 123 456 789; a SIRET's last five digits (the establishment) stay together."""
    return " ".join(digits[i:i + 3] for i in range(0, 9, 3)) + (f" {digits[9:]}" if digits[9:] else "")


def _french_company_id(value: str) -> Identifier:
    digits = _digits(value)
    if len(digits) == 14:
        return Identifier("SIRET", _groups_of_three(digits))
    if len(digits) == 9:
        return Identifier("SIREN", _groups_of_three(digits))
    return Identifier("SIREN/SIRET", value)


def identifiers(country: str | None, company_id: str | None, vat_number: str | None, vat_registered: bool,
                legal: LegalTexts) -> list[Identifier]:
    """The company number, then the VAT number, as the seller's country prints them."""
    found: list[Identifier] = []
    if country == "FR":
        if company_id:
            found.append(_french_company_id(company_id))
        if vat_number:
            found.append(Identifier("TVA intracommunautaire", vat_number))
    elif country == "NO":
        if company_id:  # the Norwegian VAT number is the org.nr followed by MVA
            digits = _digits(company_id)
            number = _groups_of_three(digits) if len(digits) == 9 else company_id
            found.append(Identifier("Org.nr.", f"{number} MVA" if vat_registered else number))
    elif country == "SE":
        if company_id:
            found.append(Identifier("Org.nr", company_id))
        if vat_number:
            found.append(Identifier("Momsreg.nr", vat_number))
    elif country == "DK":
        if company_id:
            found.append(Identifier("CVR-nr.", company_id))
        if vat_number and _digits(vat_number) != _digits(company_id or ""):
            found.append(Identifier("SE-nr.", vat_number))
    else:
        if company_id:
            found.append(Identifier(legal.company_id, company_id))
        if vat_number:
            found.append(Identifier(legal.vat_number, vat_number))
    return found


# Mentions printed beside the numbers, in the country's words (foretaksregisterloven § 10-2; F-skatt).
NO_REGISTER = "Foretaksregisteret"  # Norwegian AS and ASA
SE_F_SKATT = "Godkänd för F-skatt"  # Swedish sellers approved for F-tax
