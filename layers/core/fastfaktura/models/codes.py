"""The code lists of EN 16931 that the API's fields take their values from: VAT categories (UNCL5305,
as EN 16931 restricts it), VAT exemption reasons (CEF VATEX) and electronic address schemes (CEF EAS).

Here, in models, because the pydantic models enumerate them in the OpenAPI document and the domain's
rules (domain/vat.py) read them too; nothing here depends on anything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

VatCategory = Literal["S", "Z", "E", "AE", "K", "G", "O"]
"""S standard rate, Z zero-rated, E exempt, AE reverse charge, K intra-community supply (EN 16931's
"IC" rules), G export outside the EU, O outside the scope of VAT."""
VAT_CATEGORIES: tuple[str, ...] = get_args(VatCategory)

# CEF VATEX code list (EN 16931 code lists v15): code → its English name.
VATEX: dict[str, str] = {
    "VATEX-EU-79-C": "Exempt based on article 79, point c of Council Directive 2006/112/EC",
    **{f"VATEX-EU-132{suffix}": f"Exempt based on article 132{where} of Council Directive 2006/112/EC"
       for suffix, where in [("", "")] + [(f"-1{letter}", f", section 1 ({letter.lower()})")
                                          for letter in "ABCDEFGHIJKLMNOPQ"]},
    **{f"VATEX-EU-143{suffix}": f"Exempt based on article 143{where} of Council Directive 2006/112/EC"
       for suffix, where in [("", "")] + [(f"-1{letters}", f", section 1 ({letters.lower()})")
                                          for letters in ("A", "B", "C", "D", "E", "F", "FA", "G", "H", "I",
                                                          "J", "K", "L")]},
    "VATEX-EU-144": "Exempt based on article 144 of Council Directive 2006/112/EC",
    "VATEX-EU-146-1E": "Exempt based on article 146 section 1 (e) of Council Directive 2006/112/EC",
    **{f"VATEX-EU-148{suffix}": f"Exempt based on article 148{where} of Council Directive 2006/112/EC"
       for suffix, where in [("", "")] + [(f"-{letter}", f", section ({letter.lower()})") for letter in "ABCDEFG"]},
    **{f"VATEX-EU-151{suffix}": f"Exempt based on article 151{where} of Council Directive 2006/112/EC"
       for suffix, where in [("", "")] + [(f"-1{letters}", f", section 1 ({letters.lower()})")
                                          for letters in ("A", "AA", "B", "C", "D", "E")]},
    "VATEX-EU-153": "Exempt based on article 153 of Council Directive 2006/112/EC",
    "VATEX-EU-159": "Exempt based on article 159 of Council Directive 2006/112/EC",
    "VATEX-EU-309": "Exempt based on article 309 of Council Directive 2006/112/EC",
    "VATEX-EU-AE": "Reverse charge",
    "VATEX-EU-D": "Intra-Community acquisition from second hand means of transport",
    "VATEX-EU-F": "Intra-Community acquisition of second hand goods",
    "VATEX-EU-G": "Export outside the EU",
    "VATEX-EU-I": "Intra-Community acquisition of works of art",
    "VATEX-EU-IC": "Intra-Community supply",
    "VATEX-EU-J": "Intra-Community acquisition of collectors items and antiques",
    "VATEX-EU-O": "Not subject to VAT",
    "VATEX-FR-AE": "Exempt based on 2 of article 283 of the Code Général des Impôts (CGI ; General tax code)",
    **{f"VATEX-FR-CGI{code}": f"Exempt based on {point}article {article} of the Code Général des Impôts "
                              "(CGI ; General tax code)"
       for code, point, article in [
           *((f"261-{n}", f"{n} of ", "261") for n in (1, 2, 3, 4, 5, 7, 8)), ("261A", "", "261 A"),
           ("261B", "", "261 B"), *((f"261C-{n}", f"{n}° of ", "261 C") for n in (1, 2, 3)),
           ("261D-1", "1° of ", "261 D"), ("261D-1BIS", "1°bis of ", "261 D"),
           *((f"261D-{n}", f"{n}° of ", "261 D") for n in (2, 3, 4)),
           *((f"261E-{n}", f"{n}° of ", "261 E") for n in (1, 2)), ("277A", "", "277 A"), ("275", "", "275"),
           ("295", "", "295")]},
    "VATEX-FR-298SEXDECIESA": "Exempt based on article 298 sexdecies A of the Code Général des Impôts "
                              "(CGI ; General tax code)",
    "VATEX-FR-CNWVAT": "France domestic Credit Notes without VAT, due to supplier forfeit of VAT for discount",
    "VATEX-FR-FRANCHISE": "France domestic VAT franchise in base",
}
if TYPE_CHECKING:  # a closed set built from the table above: an enum in the OpenAPI document, a str to mypy
    VatexCode = str
else:
    VatexCode = Literal[tuple(VATEX)]

VATEX_CATEGORY: dict[str, str] = {"VATEX-EU-AE": "AE", "VATEX-FR-AE": "AE", "VATEX-EU-IC": "K",
                                  "VATEX-EU-G": "G", "VATEX-EU-O": "O"}
"""The codes that name one category of their own; every other VATEX code is an exemption (E)."""

EAS_SCHEMES: tuple[str, ...] = (
    "0002", "0007", "0009", "0037", "0060", "0088", "0096", "0097", "0106", "0130", "0135", "0142", "0147",
    "0151", "0154", "0158", "0170", "0177", "0183", "0184", "0188", "0190", "0191", "0192", "0193", "0194",
    "0195", "0196", "0198", "0199", "0200", "0201", "0202", "0203", "0204", "0205", "0208", "0209", "0210",
    "0211", "0212", "0213", "0215", "0216", "0217", "0218", "0221", "0225", "0230", "0235", "0240",
    "9910", "9913", "9914", "9915", "9918", "9919", "9920", "9922", "9923", "9924", "9925", "9926", "9927",
    "9928", "9929", "9930", "9931", "9932", "9933", "9934", "9935", "9936", "9937", "9938", "9939", "9940",
    "9941", "9942", "9943", "9944", "9945", "9946", "9947", "9948", "9949", "9950", "9951", "9952", "9953",
    "9957", "9959", "AN", "AQ", "AS", "AU", "EM",
)
"""The CEF Electronic Address Scheme codes (e.g. 0225 FR CTC directory, 0009 SIRET, 0002 SIREN, 0192 NO
org.nr, 0007 SE org-nr, 0184 DK CVR, 0088 GLN, EM e-mail)."""
if TYPE_CHECKING:
    EasScheme = str
else:
    EasScheme = Literal[EAS_SCHEMES]

DERIVED_SCHEMES = "FR: 0009 (a 14-digit SIRET) or 0002 (a 9-digit SIREN); NO: 0192; SE: 0007; DK: 0184"
"""Which scheme an electronic address left null takes from the party's country and `company_id`
(domain.parties.electronic_address)."""
