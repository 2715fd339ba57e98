"""The tools that serve a deployed stack as well as the dev stack: the `fastfaktura` command (tenants
and keys with `--stack`), the template reader, the OpenAPI generator and the PDF renderer's command.
They may import any room of the package; no room the functions run imports them."""
