"""Every user-facing word and every locale-dependent format, in one room.

- `catalogue`: the texts of the PDF, the public pages, the email and SMS, and the legal sentences,
  one typed table per locale. Cheap to import: no babel.
- `formats`: money, numbers, dates and country names (babel, loaded on first use).
- `identifiers`: registration numbers (SIREN/SIRET, org.nr, VAT numbers) as each country writes them.
"""
