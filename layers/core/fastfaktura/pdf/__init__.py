"""Invoice PDFs. `document` (the plain data), `labels`, `formats` and `legal` are light; only `render`
imports fpdf2, so a caller that finds a stored PDF never loads it."""
