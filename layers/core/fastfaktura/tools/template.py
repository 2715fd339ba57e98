"""Reads template.yaml (with CloudFormation's short tags) into what the dev stack and the tools need:
the table's definition, the HTTP routes and the functions with their code and environment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from fastfaktura.http.openapi_document import route_pattern

ROOT = Path(__file__).resolve().parents[4]
TEMPLATE = ROOT / "template.yaml"


class _CfnLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml's when present
    """libyaml's loader where PyYAML has it (ten times faster: every CLI command reads the template).
    Keeps `!Ref X`, `!GetAtt X.Y`, `!Sub …` as {"Ref": …} / {"Fn::…": …} like the JSON form."""


def _tag(name: str):
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if name == "Fn::GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {name: value}
    return construct


_CfnLoader.add_constructor("!Ref", _tag("Ref"))
for _fn in ("GetAtt", "Sub", "If", "Equals", "Select", "Split", "Join", "Not", "And", "Or", "FindInMap",
            "ImportValue", "GetAZs", "Base64", "Condition"):
    _CfnLoader.add_constructor(f"!{_fn}", _tag(f"Fn::{_fn}" if _fn != "Condition" else "Condition"))


@cache
def load(path: Path = TEMPLATE) -> dict[str, Any]:
    return yaml.load(path.read_text(), Loader=_CfnLoader)


@dataclass(frozen=True)
class Route:
    method: str          # GET, POST, …, or ANY
    path: str            # /api/v1/clients/{id}, or $default
    function_id: str

    @property
    def pattern(self) -> re.Pattern[str]:
        return route_pattern(self.path)

    def path_parameters(self, path: str) -> dict[str, str]:
        """The event's pathParameters for a request on `path` ({} when it does not match)."""
        match = self.pattern.match(path)
        return match.groupdict() if match else {}


@dataclass(frozen=True)
class Function:
    logical_id: str
    code_uri: Path
    handler: str
    environment: dict[str, Any] = field(default_factory=dict)
    events: dict[str, Any] = field(default_factory=dict)
    timeout: int = 10
    layers: tuple[Path, ...] = ()    # the ContentUri of each of the function's layers

    def event_of_type(self, *types: str) -> dict[str, Any] | None:
        return next((e for e in self.events.values() if e.get("Type") in types), None)

    def event_properties(self, event_type: str) -> dict[str, Any]:
        """The Properties of the function's event of that type, for callers that chose it by that type."""
        event = self.event_of_type(event_type)
        if event is None:
            raise KeyError(f"{self.logical_id} has no {event_type} event")
        return event["Properties"]

    @property
    def handler_file(self) -> Path:
        return self.code_uri / f"{self.handler.rsplit('.', 1)[0].replace('.', '/')}.py"


def functions(template: dict | None = None) -> dict[str, Function]:
    template = template or load()
    globals_ = template.get("Globals", {}).get("Function", {})
    global_env = globals_.get("Environment", {}).get("Variables", {})
    result = {}
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        props = resource["Properties"]
        env = {**global_env, **props.get("Environment", {}).get("Variables", {})}
        layer_refs = [*globals_.get("Layers", []), *props.get("Layers", [])]
        result[logical_id] = Function(
            logical_id=logical_id, code_uri=ROOT / props["CodeUri"], handler=props["Handler"],
            environment=env, events=props.get("Events", {}),
            timeout=int(props.get("Timeout", globals_.get("Timeout", 3))),
            layers=tuple(path for ref in layer_refs if (path := _layer_path(template, ref))),
        )
    return result


def _layer_path(template: dict, ref: Any) -> Path | None:
    """A layer of this template (`!Ref SomeLayer`) → its ContentUri; layers of other accounts → None."""
    name = ref.get("Ref") if isinstance(ref, dict) else None
    resource = template["Resources"].get(name or "", {})
    uri = resource.get("Properties", {}).get("ContentUri")
    return ROOT / uri if isinstance(uri, str) else None


def stream_function(template: dict | None = None) -> Function | None:
    """The function that the table's stream feeds (its event has Type DynamoDB)."""
    return next((f for f in functions(template).values() if f.event_of_type("DynamoDB")), None)


def stream_functions(template: dict | None = None) -> list[Function]:
    """Every function the table's stream feeds, each through its own event source mapping."""
    return [f for f in functions(template).values() if f.event_of_type("DynamoDB")]


def queue_functions(template: dict | None = None) -> list[Function]:
    """Every function an SQS queue of the template feeds (its event has Type SQS)."""
    return [f for f in functions(template).values() if f.event_of_type("SQS")]


def parameter_defaults(template: dict | None = None) -> dict[str, Any]:
    template = template or load()
    return {name: spec.get("Default", "") for name, spec in template.get("Parameters", {}).items()}


def resolve(value: Any, refs: dict[str, Any]) -> Any:
    """CloudFormation's Ref, Fn::GetAtt and Fn::Sub resolved from `refs` (logical ids, parameters,
    pseudo parameters and "Resource.Attribute"); anything else stays as it is."""
    if not isinstance(value, dict) or len(value) != 1:
        return value
    (function, argument), = value.items()
    if function == "Ref":
        return refs.get(argument, "")
    if function == "Fn::GetAtt":
        return refs.get(".".join(argument), "")
    if function == "Fn::Sub":
        text, variables = (argument, {}) if isinstance(argument, str) else argument
        names = {**refs, **{k: resolve(v, refs) for k, v in variables.items()}}
        return re.sub(r"\$\{([^}!]+)\}", lambda m: str(names.get(m.group(1), "")), text)
    return value


def routes(template: dict | None = None) -> list[Route]:
    """Every HttpApi route of the template; `$default` last, as API Gateway matches it last."""
    found = []
    for fn in functions(template).values():
        for event in fn.events.values():
            if event.get("Type") == "HttpApi":
                props = event.get("Properties", {})
                found.append(Route(props.get("Method", "ANY").upper(), props.get("Path", "$default"),
                                   fn.logical_id))
    return sorted(found, key=lambda r: (r.path == "$default", r.path.count("{"), r.path))


def table_definition(template: dict | None = None) -> dict[str, Any]:
    """The DynamoDB table's CreateTable arguments, taken from the template's Table resource."""
    template = template or load()
    props = template["Resources"]["Table"]["Properties"]
    spec = {k: props[k] for k in ("AttributeDefinitions", "KeySchema", "BillingMode", "StreamSpecification")}
    spec["GlobalSecondaryIndexes"] = props.get("GlobalSecondaryIndexes", [])
    spec["StreamSpecification"] = {"StreamEnabled": True, **spec["StreamSpecification"]}
    return spec
