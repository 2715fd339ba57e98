"""The generated OpenAPI document shipped in this package (`make openapi` writes it): served as is by
the OpenAPI function, and the route table the `$default` route answers 404 or 405 from."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from fastfaktura.domain.errors import FastFakturaError, MethodNotAllowed, NotFound

DOCUMENT = Path(__file__).with_name("openapi.json")
# Every route of template.yaml: {path: [methods]}.
ROUTES_KEY = "x-fastfaktura-routes"


@cache
def text() -> str:
    """The document as committed, read once per container."""
    return DOCUMENT.read_text(encoding="utf-8")


_PATH_PARAMETER = re.compile(r"\{(\w+)(\+?)\}")


def route_pattern(path: str) -> re.Pattern[str]:
    """API Gateway's matching of a route's path: `{name}` is one path segment, a final `{name+}` the
    rest of the path. Each parameter is a named group: `match.groupdict()` is the pathParameters."""
    regex, end = "^", 0
    for parameter in _PATH_PARAMETER.finditer(path):
        name, greedy = parameter.groups()
        regex += re.escape(path[end:parameter.start()]) + f"(?P<{name}>{'.+' if greedy else '[^/]+'})"
        end = parameter.end()
    return re.compile(f"{regex}{re.escape(path[end:])}$")


@cache
def _route_table() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    routes = json.loads(text())[ROUTES_KEY]
    return tuple((route_pattern(path), tuple(methods)) for path, methods in routes.items())


def allowed_methods(path: str) -> list[str]:
    """The methods that some route of the API accepts on `path` (empty: no route has this path)."""
    return sorted({m for pattern, methods in _route_table() if pattern.match(path) for m in methods})


def unmatched_route_error(method: str, path: str) -> FastFakturaError:
    """What a request that no route took deserves: 405 with `Allow` if the path exists, else 404."""
    allowed = allowed_methods(path)
    if allowed:
        return MethodNotAllowed(f"{method} is not allowed on {path}; allowed: {', '.join(allowed)}",
                                headers={"Allow": ", ".join(allowed)})
    return NotFound(f"no route for {method} {path}")
