"""Every Powertools API we use that Powertools does not document as public, in one place.

Powertools is pinned exactly; `missing_private_apis()` (run by the unit tests) names whatever a new
version removed or changed, so an upgrade fails with a clear message instead of at run time:

- `utilities.idempotency.base.IdempotencyHandler`: the decorators can only wrap a function's own
  arguments; we make idempotent a whole routed request (see `fastfaktura.services.idempotency`);
- the persistence layer's `_get_hashed_idempotency_key`, `_get_key` and `_delete_record`, which
  `fastfaktura.store.idempotency.BusinessScopedPersistence` overrides (records in our table's keys);
- `Tracer._is_tracer_disabled`, Powertools' own rule for when tracing is off, which
  `fastfaktura.observability` asks (it sits below this module, so it calls it itself).

Powertools modules are imported where they are needed, so a function pays only for what it uses.
"""

from __future__ import annotations

import inspect
from typing import Any

_IDEMPOTENCY_HANDLER_PARAMETERS = ("function", "function_payload", "config", "persistence_store",
                                   "output_serializer", "function_args", "function_kwargs")
_PERSISTENCE_HOOKS = {"_get_hashed_idempotency_key": ("self", "data"), "_get_key": ("self", "idempotency_key"),
                      "_delete_record": ("self", "data_record")}


def idempotency_handler(**arguments: Any) -> Any:
    """Powertools' `IdempotencyHandler(function=…, function_payload=…, config=…, persistence_store=…,
    output_serializer=…, function_args=…, function_kwargs=…)`; `.handle()` runs the function once."""
    from aws_lambda_powertools.utilities.idempotency.base import IdempotencyHandler

    return IdempotencyHandler(**arguments)


def missing_private_apis() -> list[str]:
    """What the installed Powertools lacks of the private APIs above, one sentence each (empty: all there)."""
    from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import DynamoDBPersistenceLayer

    missing = []
    from aws_lambda_powertools.tracing.tracer import Tracer

    if not callable(getattr(Tracer, "_is_tracer_disabled", None)):
        missing.append("Tracer._is_tracer_disabled is gone (fastfaktura.observability asks it)")
    try:
        from aws_lambda_powertools.utilities.idempotency.base import IdempotencyHandler
    except ImportError:
        missing.append("aws_lambda_powertools.utilities.idempotency.base.IdempotencyHandler is gone")
    else:
        parameters = inspect.signature(IdempotencyHandler.__init__).parameters
        missing += [f"IdempotencyHandler() takes no {name}=" for name in _IDEMPOTENCY_HANDLER_PARAMETERS
                    if name not in parameters]
        if not callable(getattr(IdempotencyHandler, "handle", None)):
            missing.append("IdempotencyHandler has no handle()")
    for name, expected in _PERSISTENCE_HOOKS.items():
        hook = getattr(DynamoDBPersistenceLayer, name, None)
        if hook is None:
            missing.append(f"DynamoDBPersistenceLayer.{name} is gone (BusinessScopedPersistence overrides it)")
        elif tuple(inspect.signature(hook).parameters) != expected:
            missing.append(f"DynamoDBPersistenceLayer.{name} now takes {tuple(inspect.signature(hook).parameters)}, "
                           f"not {expected}")
    return missing
