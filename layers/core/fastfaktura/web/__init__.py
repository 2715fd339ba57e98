"""The public invoice pages: server-rendered HTML (no JavaScript), their labels per locale and the
security headers every public page carries."""
