"""Every user-facing text, one typed table per locale (fr, en, nb, sv).

Why frozen dataclasses rather than gettext catalogues: the texts are few (about a hundred per
locale), written by us, and read by code that knows each key. A dataclass with no defaults makes a
missing text a TypeError when this module is imported (and a typo in a key an AttributeError in the
tests), there is no build step (.po → .mo) for the Lambda layer, no file to read at cold start, and
no "untranslated string falls back to the source" surprise. Placeholders in braces are filled with
`str.format`; tests check that every locale of a text has the same ones.

Registration terms that a country's law spells out (SIRET, TVA intracommunautaire, Org.nr., MVA,
Foretaksregisteret, Godkänd för F-skatt, CVR-nr.) are not per locale: `identifiers.py` prints them
verbatim, whatever the reader's language, as an accountant of that country looks for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastfaktura.models.locales import DEFAULT_LOCALE


@dataclass(frozen=True)
class InvoiceTexts:
    """Labels the PDF and the public page share: one text for one fact, on paper and on screen."""

    issue_date: str
    due_date: str
    unit_price: str
    vat_rate: str
    amount: str
    vat: str
    total: str
    notes: str
    paid_on: str  # {date}
    paid: str  # paid, with no date known
    sandbox: str  # the mark on every page and PDF of a sandbox business


@dataclass(frozen=True)
class PdfTexts:
    file_stem: str
    title: str
    number: str
    currency: str
    buyer: str
    description: str
    quantity: str
    vat_breakdown: str
    taxable: str
    subtotal: str
    payment: str
    reference: str
    pay_online: str
    page: str  # {page} {pages}
    cancelled: str


@dataclass(frozen=True)
class PageTexts:
    """The public invoice page and the public error pages."""

    invoice: str
    invoice_number: str  # {number}; also the Stripe Checkout line
    from_: str
    billed_to: str
    details: str
    lines: str
    description: str
    quantity: str
    subtotal: str
    tax_on: str  # {rate} {base}
    amount_due: str
    bank_transfer: str
    iban: str
    bic: str
    download_pdf: str
    pay: str  # {amount}
    pay_secure: str
    status_cancelled: str
    status_overdue: str
    status_draft: str
    payment_success: str
    payment_cancelled: str
    not_found_title: str
    not_found: str
    not_payable_title: str
    not_payable: str
    payment_unavailable_title: str
    payment_unavailable: str
    error_title: str
    error: str
    back_to_invoice: str
    powered_by: str


@dataclass(frozen=True)
class MessageTexts:
    """The invoice email and SMS. {business} {client} {number} {amount} {due} {url} are filled in;
    the SMS texts use only GSM-7 characters."""

    subject: str
    reminder_subject: str
    greeting: str
    body: str
    reminder_body: str
    link_label: str
    button: str
    closing: str
    attachment: str  # {number}
    sms: str
    reminder_sms: str


@dataclass(frozen=True)
class LegalTexts:
    """Registration labels for sellers of countries without their own terms, and the French
    sentences (Code de commerce L441-9, D441-5; CGI art. 293 B) in the reader's language."""

    company_id: str
    vat_number: str
    late_payment: str  # {rate}
    late_payment_legal_rate: str
    recovery_indemnity: str
    vat_exempt: str
    no_early_payment_discount: str  # the standard early-payment terms (e-invoice note AAB)


@dataclass(frozen=True)
class MentionTexts:
    """The wording of each legal mention (`domain.mentions`), in the reader's language;
    `i18n/mentions.py` says which text a mention key prints and tables the law behind each."""

    category_z: str  # the breakdown's word beside a rate, per category other than S
    category_e: str
    category_ae: str
    category_k: str
    category_g: str
    category_o: str
    reverse_charge: str  # AE
    intra_community: str  # K; {law}
    export: str  # G; {law}
    outside_scope: str  # O
    directive: str  # {article}: a provision of Council Directive 2006/112/EC
    exempt_directive: str  # {provision}
    exempt_cgi: str  # {provision}
    exempt_d: str  # VATEX-EU-D, F, I, J: the margin schemes; FR-CNWVAT
    exempt_f: str
    exempt_i: str
    exempt_j: str
    exempt_cnwvat: str
    franchise_no: str
    franchise_se: str
    franchise_dk: str
    franchise_eu: str
    franchise_other: str
    vat_on_debits: str
    operations_goods: str
    operations_services: str
    operations_goods_and_services: str
    early_payment_terms: str  # {text}
    early_payment_none: str
    delivery_address: str
    buyer_reference: str
    purchase_order: str
    delivery_date: str
    legal_mentions: str  # the public page's heading of the sentences


@dataclass(frozen=True)
class CreditNoteTexts:
    """The credit note's PDF, and the reason a cancel gives the credit note it issues."""

    file_stem: str
    title: str
    number: str
    corrects: str  # {number} {date}: the invoice it corrects
    reason: str
    credited: str  # the total credited
    cancel_reason: str  # {number}


@dataclass(frozen=True)
class Catalogue:
    locale: str
    babel_locale: str  # whose number and date conventions the locale means (the country it is mostly read in)
    invoice: InvoiceTexts
    pdf: PdfTexts
    page: PageTexts
    message: MessageTexts
    legal: LegalTexts
    mentions: MentionTexts
    credit_note: CreditNoteTexts


CATALOGUES: dict[str, Catalogue] = {
    "fr": Catalogue(
        locale="fr", babel_locale="fr_FR",
        invoice=InvoiceTexts(
            issue_date="Date d'émission", due_date="Date d'échéance", unit_price="Prix unitaire HT", vat_rate="TVA",
            amount="Montant HT", vat="TVA", total="Total TTC", notes="Notes", paid_on="Payée le {date}", paid="Payée",
            sandbox="TEST / sandbox — facture fictive, sans valeur",
        ),
        pdf=PdfTexts(
            file_stem="facture", title="Facture", number="Facture n°", currency="Devise",
            buyer="Facturé à", description="Désignation", quantity="Qté", vat_breakdown="Détail de la TVA",
            taxable="Base HT", subtotal="Total HT", payment="Règlement", reference="Référence",
            pay_online="Payer en ligne", page="Page {page} / {pages}", cancelled="ANNULÉE",
        ),
        page=PageTexts(
            invoice="Facture", invoice_number="Facture {number}", from_="Émetteur", billed_to="Facturé à",
            details="Détails", lines="Lignes de la facture", description="Description", quantity="Quantité",
            subtotal="Total HT", tax_on="TVA {rate} sur {base}", amount_due="Montant à payer",
            bank_transfer="Virement bancaire", iban="IBAN", bic="BIC", download_pdf="Télécharger le PDF",
            pay="Payer {amount} par carte", pay_secure="Paiement sécurisé par Stripe.",
            status_cancelled="Cette facture a été annulée.", status_overdue="Échéance dépassée",
            status_draft="Brouillon : cette facture n'a pas encore été émise.",
            payment_success="Merci ! Votre paiement est en cours de traitement.",
            payment_cancelled="Le paiement a été annulé. Vous pouvez réessayer.",
            not_found_title="Facture introuvable",
            not_found="Ce lien ne correspond à aucune facture. Vérifiez l'adresse reçue.",
            not_payable_title="Paiement indisponible", not_payable="Cette facture ne peut pas être payée en ligne.",
            payment_unavailable_title="Paiement momentanément indisponible",
            payment_unavailable="Le service de paiement ne répond pas. Réessayez dans un instant.",
            error_title="Une erreur est survenue", error="Réessayez dans un instant.",
            back_to_invoice="Retour à la facture", powered_by="Facture émise avec FastFaktura",
        ),
        message=MessageTexts(
            subject="Facture {number} de {business}", reminder_subject="Rappel : facture {number} de {business}",
            greeting="Bonjour {client},",
            body="Veuillez trouver ci-joint la facture {number} d'un montant de {amount}, à régler au plus tard le "
                 "{due}.",
            reminder_body="Ceci est un rappel : la facture {number} d'un montant de {amount} (échéance le {due}) n'a "
                          "pas encore été réglée. Si vous l'avez déjà payée, merci de ne pas tenir compte de ce "
                          "message.",
            link_label="Consulter et payer la facture en ligne :", button="Voir la facture", closing="Cordialement,",
            attachment="facture-{number}.pdf", sms="Facture {number} de {business} : {amount}. {url}",
            reminder_sms="Rappel : facture {number} de {business}, {amount}. {url}",
        ),
        legal=LegalTexts(
            company_id="N° d'entreprise", vat_number="N° de TVA",
            late_payment="En cas de retard de paiement, pénalités au taux annuel de {rate} %.",
            late_payment_legal_rate="En cas de retard de paiement, pénalités égales à trois fois le taux "
                                    "d'intérêt légal.",
            recovery_indemnity="Indemnité forfaitaire pour frais de recouvrement due en cas de retard : 40 €.",
            vat_exempt="TVA non applicable, art. 293 B du CGI.",
            no_early_payment_discount="Pas d'escompte pour paiement anticipé.",
        ),
        mentions=MentionTexts(
            category_z="Taux zéro",
            category_e="Exonération",
            category_ae="Autoliquidation",
            category_k="Livraison intracommunautaire",
            category_g="Exportation",
            category_o="Hors champ de la TVA",
            reverse_charge="Autoliquidation",
            intra_community="Exonération de TVA, {law}",
            export="Exonération de TVA, {law}",
            outside_scope="Opération hors du champ d'application de la TVA",
            directive="article {article} de la directive 2006/112/CE",
            exempt_directive="Exonération de TVA, article {provision} de la directive 2006/112/CE",
            exempt_cgi="Exonération de TVA, article {provision} du CGI",
            exempt_d="Régime de la marge : moyens de transport d'occasion",
            exempt_f="Régime de la marge : biens d'occasion",
            exempt_i="Régime de la marge : objets d'art",
            exempt_j="Régime de la marge : objets de collection et d'antiquité",
            exempt_cnwvat="Avoir sans TVA : escompte sans récupération de TVA par le fournisseur",
            franchise_no="TVA non applicable : vendeur non inscrit au registre de la TVA norvégien "
                         "(Merverdiavgiftsregisteret)",
            franchise_se="TVA non applicable : chiffre d'affaires exonéré (chapitre 18 de la loi suédoise sur la TVA)",
            franchise_dk="TVA non applicable : entreprise non immatriculée à la TVA (loi danoise sur la TVA, § 48)",
            franchise_eu="TVA non applicable : franchise des petites entreprises (article 284 de la directive "
                         "2006/112/CE)",
            franchise_other="Vendeur non immatriculé à la TVA",
            vat_on_debits="Option pour le paiement de la taxe d'après les débits",
            operations_goods="Nature des opérations : livraison de biens",
            operations_services="Nature des opérations : prestation de services",
            operations_goods_and_services="Nature des opérations : livraison de biens et prestation de services",
            early_payment_terms="Escompte pour paiement anticipé : {text}",
            early_payment_none="Pas d'escompte pour paiement anticipé.",
            delivery_address="Adresse de livraison",
            buyer_reference="Référence acheteur",
            purchase_order="Bon de commande",
            delivery_date="Date de livraison",
            legal_mentions="Mentions légales",
        ),
        credit_note=CreditNoteTexts(
            file_stem="avoir", title="Avoir", number="Avoir n°", corrects="Avoir sur la facture {number} du {date}",
            reason="Motif", credited="Total TTC crédité", cancel_reason="Annulation de la facture {number}",
        ),
    ),
    "en": Catalogue(
        locale="en", babel_locale="en_GB",
        invoice=InvoiceTexts(
            issue_date="Issue date", due_date="Due date", unit_price="Unit price", vat_rate="VAT", amount="Amount",
            vat="VAT", total="Total", notes="Notes", paid_on="Paid on {date}", paid="Paid",
            sandbox="TEST / sandbox — not a real invoice",
        ),
        pdf=PdfTexts(
            file_stem="invoice", title="Invoice", number="Invoice number", currency="Currency",
            buyer="Bill to", description="Description", quantity="Qty", vat_breakdown="VAT breakdown",
            taxable="Taxable amount", subtotal="Subtotal", payment="Payment details", reference="Reference",
            pay_online="Pay online", page="Page {page} / {pages}", cancelled="CANCELLED",
        ),
        page=PageTexts(
            invoice="Invoice", invoice_number="Invoice {number}", from_="From", billed_to="Billed to",
            details="Details", lines="Invoice lines", description="Description", quantity="Quantity",
            subtotal="Subtotal", tax_on="VAT {rate} on {base}", amount_due="Amount due",
            bank_transfer="Bank transfer", iban="IBAN", bic="BIC", download_pdf="Download PDF",
            pay="Pay {amount} by card", pay_secure="Secure payment by Stripe.",
            status_cancelled="This invoice has been cancelled.", status_overdue="Overdue",
            status_draft="Draft: this invoice has not been issued yet.",
            payment_success="Thank you! Your payment is being processed.",
            payment_cancelled="The payment was cancelled. You can try again.", not_found_title="Invoice not found",
            not_found="This link does not lead to any invoice. Please check the address you received.",
            not_payable_title="Payment not available", not_payable="This invoice cannot be paid online.",
            payment_unavailable_title="Payment temporarily unavailable",
            payment_unavailable="The payment service is not answering. Please try again in a moment.",
            error_title="Something went wrong", error="Please try again in a moment.",
            back_to_invoice="Back to the invoice", powered_by="Invoice issued with FastFaktura",
        ),
        message=MessageTexts(
            subject="Invoice {number} from {business}", reminder_subject="Reminder: invoice {number} from {business}",
            greeting="Hello {client},", body="Please find attached invoice {number} for {amount}, due on {due}.",
            reminder_body="This is a reminder that invoice {number} for {amount} (due on {due}) has not been paid "
                          "yet. If you have already paid it, please disregard this message.",
            link_label="View and pay the invoice online:", button="View the invoice", closing="Kind regards,",
            attachment="invoice-{number}.pdf", sms="Invoice {number} from {business}: {amount}. {url}",
            reminder_sms="Reminder: invoice {number} from {business}, {amount}. {url}",
        ),
        legal=LegalTexts(
            company_id="Company number", vat_number="VAT number",
            late_payment="Late payment penalties: {rate}% per year.",
            late_payment_legal_rate="Late payment penalties: three times the French statutory interest rate.",
            recovery_indemnity="Fixed compensation for recovery costs in case of late payment: €40.",
            vat_exempt="VAT not applicable, art. 293 B of the French General Tax Code (CGI).",
            no_early_payment_discount="No discount for early payment.",
        ),
        mentions=MentionTexts(
            category_z="Zero rated",
            category_e="Exempt",
            category_ae="Reverse charge",
            category_k="Intra-Community supply",
            category_g="Export",
            category_o="Outside the scope of VAT",
            reverse_charge="Reverse charge",
            intra_community="Intra-Community supply, exempt from VAT, {law}",
            export="Export, exempt from VAT, {law}",
            outside_scope="Outside the scope of VAT",
            directive="article {article} of Council Directive 2006/112/EC",
            exempt_directive="Exempt from VAT, article {provision} of Council Directive 2006/112/EC",
            exempt_cgi="Exempt from VAT, article {provision} of the French General Tax Code (CGI)",
            exempt_d="Margin scheme — second-hand means of transport",
            exempt_f="Margin scheme — second-hand goods",
            exempt_i="Margin scheme — works of art",
            exempt_j="Margin scheme — collector's items and antiques",
            exempt_cnwvat="Credit note without VAT: discount with no VAT adjustment by the supplier",
            franchise_no="No VAT: the seller is not in the Norwegian VAT Register (Merverdiavgiftsregisteret)",
            franchise_se="No VAT: turnover exempt under chapter 18 of the Swedish VAT Act",
            franchise_dk="No VAT: the business is not registered for VAT (Danish VAT Act, § 48)",
            franchise_eu="No VAT: small enterprise exemption (article 284 of Council Directive 2006/112/EC)",
            franchise_other="Seller not registered for VAT",
            vat_on_debits="VAT paid on an accruals basis (option for payment of VAT on debits)",
            operations_goods="Nature of the operations: supply of goods",
            operations_services="Nature of the operations: supply of services",
            operations_goods_and_services="Nature of the operations: supply of goods and services",
            early_payment_terms="Early payment discount: {text}",
            early_payment_none="No discount for early payment.",
            delivery_address="Delivery address",
            buyer_reference="Buyer reference",
            purchase_order="Purchase order",
            delivery_date="Delivery date",
            legal_mentions="Legal mentions",
        ),
        credit_note=CreditNoteTexts(
            file_stem="credit-note", title="Credit note", number="Credit note no.",
            corrects="Credit note for invoice {number} of {date}", reason="Reason", credited="Total credited",
            cancel_reason="Cancellation of invoice {number}",
        ),
    ),
    "nb": Catalogue(
        locale="nb", babel_locale="nb_NO",
        invoice=InvoiceTexts(
            issue_date="Fakturadato", due_date="Forfallsdato", unit_price="Enhetspris", vat_rate="MVA",
            amount="Beløp", vat="MVA", total="Å betale", notes="Merknader", paid_on="Betalt {date}", paid="Betalt",
            sandbox="TEST / sandbox — ikke en ekte faktura",
        ),
        pdf=PdfTexts(
            file_stem="faktura", title="Faktura", number="Fakturanummer", currency="Valuta",
            buyer="Kunde", description="Beskrivelse", quantity="Antall", vat_breakdown="MVA-spesifikasjon",
            taxable="Grunnlag", subtotal="Sum eks. mva.", payment="Betalingsinformasjon", reference="Referanse",
            pay_online="Betal på nett", page="Side {page} / {pages}", cancelled="KANSELLERT",
        ),
        page=PageTexts(
            invoice="Faktura", invoice_number="Faktura {number}", from_="Fra", billed_to="Faktureres til",
            details="Detaljer", lines="Fakturalinjer", description="Beskrivelse", quantity="Antall",
            subtotal="Sum eks. MVA", tax_on="MVA {rate} av {base}", amount_due="Å betale",
            bank_transfer="Bankoverføring", iban="IBAN", bic="BIC", download_pdf="Last ned PDF",
            pay="Betal {amount} med kort", pay_secure="Sikker betaling med Stripe.",
            status_cancelled="Denne fakturaen er kansellert.", status_overdue="Forfalt",
            status_draft="Utkast: denne fakturaen er ikke utstedt ennå.",
            payment_success="Takk! Betalingen din behandles.",
            payment_cancelled="Betalingen ble avbrutt. Du kan prøve igjen.", not_found_title="Fant ikke fakturaen",
            not_found="Denne lenken fører ikke til noen faktura. Sjekk adressen du fikk.",
            not_payable_title="Betaling ikke tilgjengelig", not_payable="Denne fakturaen kan ikke betales på nett.",
            payment_unavailable_title="Betaling midlertidig utilgjengelig",
            payment_unavailable="Betalingstjenesten svarer ikke. Prøv igjen om litt.", error_title="Noe gikk galt",
            error="Prøv igjen om litt.", back_to_invoice="Tilbake til fakturaen",
            powered_by="Faktura utstedt med FastFaktura",
        ),
        message=MessageTexts(
            subject="Faktura {number} fra {business}", reminder_subject="Påminnelse: faktura {number} fra {business}",
            greeting="Hei {client},", body="Vedlagt finner du faktura {number} på {amount}, med forfall {due}.",
            reminder_body="Dette er en påminnelse om at faktura {number} på {amount} (forfall {due}) ikke er betalt "
                          "ennå. Hvis du allerede har betalt, kan du se bort fra denne meldingen.",
            link_label="Se og betal fakturaen på nett:", button="Se fakturaen", closing="Med vennlig hilsen",
            attachment="faktura-{number}.pdf", sms="Faktura {number} fra {business}: {amount}. {url}",
            reminder_sms="Påminnelse: faktura {number} fra {business}, {amount}. {url}",
        ),
        legal=LegalTexts(
            company_id="Org.nr.", vat_number="MVA-nummer",
            late_payment="Ved forsinket betaling: forsinkelsesrente {rate} % per år.",
            late_payment_legal_rate="Ved forsinket betaling: tre ganger den franske lovbestemte renten.",
            recovery_indemnity="Fast kompensasjon for inndrivelseskostnader ved forsinket betaling: 40 €.",
            vat_exempt="MVA ikke aktuelt, art. 293 B i den franske skatteloven (CGI).",
            no_early_payment_discount="Ingen rabatt ved tidlig betaling.",
        ),
        mentions=MentionTexts(
            category_z="Nullsats",
            category_e="Fritatt",
            category_ae="Omvendt avgiftsplikt",
            category_k="Levering til annet EU-land",
            category_g="Utførsel",
            category_o="Utenfor merverdiavgiftsloven",
            reverse_charge="Omvendt avgiftsplikt",
            intra_community="Levering til annet EU-land, fritatt for merverdiavgift, {law}",
            export="Utførsel, fritatt for merverdiavgift, {law}",
            outside_scope="Utenfor merverdiavgiftslovens virkeområde",
            directive="artikkel {article} i rådsdirektiv 2006/112/EF",
            exempt_directive="Fritatt for merverdiavgift, artikkel {provision} i rådsdirektiv 2006/112/EF",
            exempt_cgi="Fritatt for merverdiavgift, artikkel {provision} i den franske skatteloven (CGI)",
            exempt_d="Avanseordning — brukte transportmidler",
            exempt_f="Avanseordning — brukte varer",
            exempt_i="Avanseordning — kunstverk",
            exempt_j="Avanseordning — samleobjekter og antikviteter",
            exempt_cnwvat="Kreditnota uten merverdiavgift: rabatt uten justering av avgiften",
            franchise_no="Selger er ikke registrert i Merverdiavgiftsregisteret",
            franchise_se="Ingen merverdiavgift: omsetningen er unntatt etter kapittel 18 i den svenske "
                         "merverdiavgiftsloven",
            franchise_dk="Ingen merverdiavgift: virksomheten er ikke merverdiavgiftsregistrert (den danske momsloven § "
                         "48)",
            franchise_eu="Ingen merverdiavgift: fritak for små foretak (artikkel 284 i rådsdirektiv 2006/112/EF)",
            franchise_other="Selger er ikke registrert for merverdiavgift",
            vat_on_debits="Merverdiavgiften betales etter fakturering (valgt ordning i Frankrike)",
            operations_goods="Leveransens art: varer",
            operations_services="Leveransens art: tjenester",
            operations_goods_and_services="Leveransens art: varer og tjenester",
            early_payment_terms="Rabatt ved tidlig betaling: {text}",
            early_payment_none="Ingen rabatt ved tidlig betaling.",
            delivery_address="Leveringsadresse",
            buyer_reference="Kundens referanse",
            purchase_order="Innkjøpsordre",
            delivery_date="Leveringsdato",
            legal_mentions="Lovpålagte opplysninger",
        ),
        credit_note=CreditNoteTexts(
            file_stem="kreditnota", title="Kreditnota", number="Kreditnotanummer",
            corrects="Kreditnota for faktura {number} datert {date}", reason="Årsak", credited="Totalt kreditert",
            cancel_reason="Annullering av faktura {number}",
        ),
    ),
    "sv": Catalogue(
        locale="sv", babel_locale="sv_SE",
        invoice=InvoiceTexts(
            issue_date="Fakturadatum", due_date="Förfallodatum", unit_price="À-pris", vat_rate="Moms",
            amount="Belopp", vat="Moms", total="Att betala", notes="Meddelande", paid_on="Betald {date}",
            paid="Betald", sandbox="TEST / sandbox — inte en riktig faktura",
        ),
        pdf=PdfTexts(
            file_stem="faktura", title="Faktura", number="Fakturanummer", currency="Valuta",
            buyer="Kund", description="Beskrivning", quantity="Antal", vat_breakdown="Momsspecifikation",
            taxable="Underlag", subtotal="Summa exkl. moms", payment="Betalningsinformation", reference="Referens",
            pay_online="Betala online", page="Sida {page} / {pages}", cancelled="MAKULERAD",
        ),
        page=PageTexts(
            invoice="Faktura", invoice_number="Faktura {number}", from_="Från", billed_to="Faktureras till",
            details="Detaljer", lines="Fakturarader", description="Beskrivning", quantity="Antal",
            subtotal="Summa exkl. moms", tax_on="Moms {rate} på {base}", amount_due="Att betala",
            bank_transfer="Banköverföring", iban="IBAN", bic="BIC", download_pdf="Ladda ner PDF",
            pay="Betala {amount} med kort", pay_secure="Säker betalning med Stripe.",
            status_cancelled="Den här fakturan har makulerats.", status_overdue="Förfallen",
            status_draft="Utkast: den här fakturan har inte utfärdats än.",
            payment_success="Tack! Din betalning behandlas.",
            payment_cancelled="Betalningen avbröts. Du kan försöka igen.", not_found_title="Fakturan hittades inte",
            not_found="Länken leder inte till någon faktura. Kontrollera adressen du fick.",
            not_payable_title="Betalning inte tillgänglig", not_payable="Den här fakturan kan inte betalas online.",
            payment_unavailable_title="Betalning tillfälligt otillgänglig",
            payment_unavailable="Betaltjänsten svarar inte. Försök igen om en stund.", error_title="Något gick fel",
            error="Försök igen om en stund.", back_to_invoice="Tillbaka till fakturan",
            powered_by="Faktura utfärdad med FastFaktura",
        ),
        message=MessageTexts(
            subject="Faktura {number} från {business}",
            reminder_subject="Påminnelse: faktura {number} från {business}", greeting="Hej {client},",
            body="Bifogat finner du faktura {number} på {amount}, med förfallodag {due}.",
            reminder_body="Detta är en påminnelse om att faktura {number} på {amount} (förfallodag {due}) ännu "
                          "inte är betald. Om du redan har betalat kan du bortse från detta meddelande.",
            link_label="Se och betala fakturan online:", button="Visa fakturan", closing="Med vänliga hälsningar",
            attachment="faktura-{number}.pdf", sms="Faktura {number} från {business}: {amount}. {url}",
            reminder_sms="Påminnelse: faktura {number} från {business}, {amount}. {url}",
        ),
        legal=LegalTexts(
            company_id="Org.nr", vat_number="Momsreg.nr",
            late_payment="Vid försenad betalning: dröjsmålsränta {rate} % per år.",
            late_payment_legal_rate="Vid försenad betalning: tre gånger den franska lagstadgade räntan.",
            recovery_indemnity="Fast ersättning för indrivningskostnader vid försenad betalning: 40 €.",
            vat_exempt="Moms ej tillämplig, art. 293 B i den franska skattelagen (CGI).",
            no_early_payment_discount="Ingen rabatt vid förtida betalning.",
        ),
        mentions=MentionTexts(
            category_z="Nollskattesats",
            category_e="Undantagen",
            category_ae="Omvänd betalningsskyldighet",
            category_k="Gemenskapsintern leverans",
            category_g="Export",
            category_o="Utanför momsens tillämpningsområde",
            reverse_charge="Omvänd betalningsskyldighet",
            intra_community="Gemenskapsintern varuleverans, undantagen från moms, {law}",
            export="Export, undantagen från moms, {law}",
            outside_scope="Utanför mervärdesskattelagens tillämpningsområde",
            directive="artikel {article} i rådets direktiv 2006/112/EG",
            exempt_directive="Undantagen från moms, artikel {provision} i rådets direktiv 2006/112/EG",
            exempt_cgi="Undantagen från moms, artikel {provision} i den franska skattelagen (CGI)",
            exempt_d="Vinstmarginalbeskattning — begagnade transportmedel",
            exempt_f="Vinstmarginalbeskattning — begagnade varor",
            exempt_i="Vinstmarginalbeskattning — konstverk",
            exempt_j="Vinstmarginalbeskattning — samlarföremål och antikviteter",
            exempt_cnwvat="Kreditnota utan moms: rabatt utan justering av momsen",
            franchise_no="Ingen moms: säljaren är inte registrerad i det norska momsregistret "
                         "(Merverdiavgiftsregisteret)",
            franchise_se="Omsättningen är undantagen från mervärdesskatt (18 kap. mervärdesskattelagen)",
            franchise_dk="Ingen moms: företaget är inte momsregistrerat (danska momslagen § 48)",
            franchise_eu="Ingen moms: undantag för småföretag (artikel 284 i rådets direktiv 2006/112/EG)",
            franchise_other="Säljaren är inte registrerad för moms",
            vat_on_debits="Momsen redovisas vid fakturering (valt förfarande i Frankrike)",
            operations_goods="Leveransens art: varor",
            operations_services="Leveransens art: tjänster",
            operations_goods_and_services="Leveransens art: varor och tjänster",
            early_payment_terms="Rabatt vid förtida betalning: {text}",
            early_payment_none="Ingen rabatt vid förtida betalning.",
            delivery_address="Leveransadress",
            buyer_reference="Er referens",
            purchase_order="Inköpsorder",
            delivery_date="Leveransdatum",
            legal_mentions="Lagstadgade uppgifter",
        ),
        credit_note=CreditNoteTexts(
            file_stem="kreditfaktura", title="Kreditfaktura", number="Kreditfakturanummer",
            corrects="Kreditfaktura för faktura {number} daterad {date}", reason="Orsak",
            credited="Totalt krediterat", cancel_reason="Makulering av faktura {number}",
        ),
    ),
}


def locale_or_default(locale: str | None) -> str:
    """One of our locales: `locale` when we speak it, else the default."""
    return locale if locale in CATALOGUES else DEFAULT_LOCALE


def catalogue(locale: str | None) -> Catalogue:
    """The texts of `locale`, or of the default locale when we do not speak it."""
    return CATALOGUES[locale_or_default(locale)]


def negotiate(accept_language: str | None) -> str:
    """The first of our locales that an Accept-Language header asks for (q-values respected);
    Norwegian "no"/"nn" read as Bokmål. Used where no invoice says which locale to use."""
    choices = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.split("-")[0].lower()
        language = "nb" if language in ("no", "nn") else language
        if language in CATALOGUES and quality > 0:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else DEFAULT_LOCALE

