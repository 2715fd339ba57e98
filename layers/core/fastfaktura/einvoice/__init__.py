"""EN 16931 e-invoices: one model of an invoice or credit note, what stops it from being valid, and two
writers (UBL 2.1 Peppol BIS Billing 3.0, CII D16B Factur-X EN 16931). lxml is imported by the writers
only, so that reading the model or its readiness costs nothing at cold start."""
