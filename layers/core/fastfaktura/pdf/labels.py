"""Every word printed on an invoice PDF, per locale (fr, en, nb, sv).

Legal registration terms that a country's law spells out (SIRET, TVA intracommunautaire, MVA,
Foretaksregisteret, Godkänd för F-skatt, CVR) are printed verbatim by `legal.py`, whatever the locale:
they are what an accountant of that country looks for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    file_stem: str
    title: str
    number: str
    issue_date: str
    due_date: str
    currency: str
    seller: str
    buyer: str
    description: str
    quantity: str
    unit_price: str
    vat_rate: str
    amount: str
    vat_breakdown: str
    taxable: str
    vat: str
    subtotal: str
    total: str
    payment: str
    reference: str
    pay_online: str
    notes: str
    page: str  # "{page}" and "{pages}" are replaced
    cancelled: str
    paid_on: str  # "{date}" is replaced
    company_id: str
    vat_number: str
    late_payment: str  # FR sellers: "{rate}" is replaced
    late_payment_legal_rate: str  # FR sellers without an agreed rate
    recovery_indemnity: str  # FR sellers: the fixed €40 indemnity
    vat_exempt: str  # FR sellers not registered for VAT (franchise en base)


LABELS: dict[str, Labels] = {
    "fr": Labels(
        file_stem="facture", title="Facture", number="Facture n°", issue_date="Date d'émission",
        due_date="Date d'échéance", currency="Devise", seller="Émetteur", buyer="Facturé à",
        description="Désignation", quantity="Qté", unit_price="Prix unitaire HT", vat_rate="TVA",
        amount="Montant HT", vat_breakdown="Détail de la TVA", taxable="Base HT", vat="TVA",
        subtotal="Total HT", total="Total TTC", payment="Règlement", reference="Référence",
        pay_online="Payer en ligne", notes="Notes", page="Page {page} / {pages}", cancelled="ANNULÉE",
        paid_on="Payée le {date}", company_id="N° d'entreprise", vat_number="N° de TVA",
        late_payment="En cas de retard de paiement, pénalités au taux annuel de {rate} %.",
        late_payment_legal_rate="En cas de retard de paiement, pénalités égales à trois fois le taux "
                                "d'intérêt légal.",
        recovery_indemnity="Indemnité forfaitaire pour frais de recouvrement due en cas de retard : 40 €.",
        vat_exempt="TVA non applicable, art. 293 B du CGI.",
    ),
    "en": Labels(
        file_stem="invoice", title="Invoice", number="Invoice number", issue_date="Issue date",
        due_date="Due date", currency="Currency", seller="From", buyer="Bill to",
        description="Description", quantity="Qty", unit_price="Unit price", vat_rate="VAT",
        amount="Amount", vat_breakdown="VAT breakdown", taxable="Taxable amount", vat="VAT",
        subtotal="Subtotal", total="Total", payment="Payment details", reference="Reference",
        pay_online="Pay online", notes="Notes", page="Page {page} / {pages}", cancelled="CANCELLED",
        paid_on="Paid on {date}", company_id="Company number", vat_number="VAT number",
        late_payment="Late payment penalties: {rate}% per year.",
        late_payment_legal_rate="Late payment penalties: three times the French statutory interest rate.",
        recovery_indemnity="Fixed compensation for recovery costs in case of late payment: €40.",
        vat_exempt="VAT not applicable, art. 293 B of the French General Tax Code (CGI).",
    ),
    "nb": Labels(
        file_stem="faktura", title="Faktura", number="Fakturanummer", issue_date="Fakturadato",
        due_date="Forfallsdato", currency="Valuta", seller="Fra", buyer="Kunde",
        description="Beskrivelse", quantity="Antall", unit_price="Enhetspris", vat_rate="MVA",
        amount="Beløp", vat_breakdown="MVA-spesifikasjon", taxable="Grunnlag", vat="MVA",
        subtotal="Sum eks. mva.", total="Å betale", payment="Betalingsinformasjon", reference="Referanse",
        pay_online="Betal på nett", notes="Merknader", page="Side {page} / {pages}", cancelled="KANSELLERT",
        paid_on="Betalt {date}", company_id="Org.nr.", vat_number="MVA-nummer",
        late_payment="Ved forsinket betaling: forsinkelsesrente {rate} % per år.",
        late_payment_legal_rate="Ved forsinket betaling: tre ganger den franske lovbestemte renten.",
        recovery_indemnity="Fast kompensasjon for inndrivelseskostnader ved forsinket betaling: 40 €.",
        vat_exempt="MVA ikke aktuelt, art. 293 B i den franske skatteloven (CGI).",
    ),
    "sv": Labels(
        file_stem="faktura", title="Faktura", number="Fakturanummer", issue_date="Fakturadatum",
        due_date="Förfallodatum", currency="Valuta", seller="Från", buyer="Kund",
        description="Beskrivning", quantity="Antal", unit_price="À-pris", vat_rate="Moms",
        amount="Belopp", vat_breakdown="Momsspecifikation", taxable="Underlag", vat="Moms",
        subtotal="Summa exkl. moms", total="Att betala", payment="Betalningsinformation", reference="Referens",
        pay_online="Betala online", notes="Meddelande", page="Sida {page} / {pages}", cancelled="MAKULERAD",
        paid_on="Betald {date}", company_id="Org.nr", vat_number="Momsreg.nr",
        late_payment="Vid försenad betalning: dröjsmålsränta {rate} % per år.",
        late_payment_legal_rate="Vid försenad betalning: tre gånger den franska lagstadgade räntan.",
        recovery_indemnity="Fast ersättning för indrivningskostnader vid försenad betalning: 40 €.",
        vat_exempt="Moms ej tillämplig, art. 293 B i den franska skattelagen (CGI).",
    ),
}

LOCALES = tuple(LABELS)


def labels_for(locale: str) -> Labels:
    return LABELS.get(locale, LABELS["en"])
