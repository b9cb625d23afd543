"""`actions.<name>` annotations (§6.3): the backend action of a `use-annotation` backend.

Follows LBC's enhanced_backend_builder.go / config_types.go / model_build_actions.go: decode with Go
JSON semantics, validate with LBC's messages, normalise the simplified forward schema
(`targetGroupARN` / `targetGroupName`) to forwardConfig, normalise `servicePort: "80"` to 80, then
resolve Service tuples in the Ingress namespace into this stack's target groups."""

from __future__ import annotations

from typing import Any, Protocol

from ingress2cfn.build.target_groups import TargetGroupContext
from ingress2cfn.input.diagnostics import warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import Service, ServiceBackend
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.model.stack import (
    Action,
    FixedResponse,
    Forward,
    Redirect,
    Stickiness,
    TargetGroup,
    WeightedForward,
    WeightedTarget,
)
from ingress2cfn.rules.annotations import PREFIX, Found
from ingress2cfn.rules.gojson import (
    Bool,
    GoJSONError,
    Int32,
    IntOrString,
    String,
    Struct,
    decode,
    parse_int_or_string,
    slice_of,
    unknown_keys,
)
from ingress2cfn.rules.groups import Member


class BackendResolver(Protocol):
    """What an actions.* annotation needs of build.rules.BackendResolver (which imports this module)."""

    ctx: TargetGroupContext

    def service_target_group(
        self,
        member: Member,
        service: Service,
        backend: ServiceBackend,
        backend_field: tuple,
        *,
        where: SourceLocation | None = None,
        where_owner: str | None = None,
        context: str = "",
    ) -> TargetGroup: ...


MISSING_ACTION = FixedResponse("503", "text/plain", "Backend action does not exist")
MISSING_SERVICE = FixedResponse("503", "text/plain", "Backend service does not exist")

_STRING = String()
TARGET_GROUP_TUPLE = Struct(
    "ingress.TargetGroupTuple",
    (
        ("targetGroupARN", _STRING),
        ("targetGroupName", _STRING),
        ("serviceName", _STRING),
        ("servicePort", IntOrString()),
        ("weight", Int32()),
    ),
)
ACTION = Struct(
    "ingress.Action",
    (
        ("type", String("ingress.ActionType")),
        ("targetGroupARN", _STRING),
        ("targetGroupName", _STRING),
        (
            "fixedResponseConfig",
            Struct(
                "ingress.FixedResponseActionConfig",
                (
                    ("contentType", _STRING),
                    ("messageBody", _STRING),
                    ("statusCode", _STRING),
                ),
            ),
        ),
        (
            "redirectConfig",
            Struct(
                "ingress.RedirectActionConfig",
                (
                    ("host", _STRING),
                    ("path", _STRING),
                    ("port", _STRING),
                    ("protocol", _STRING),
                    ("query", _STRING),
                    ("statusCode", _STRING),
                ),
            ),
        ),
        (
            "forwardConfig",
            Struct(
                "ingress.ForwardActionConfig",
                (
                    ("targetGroups", slice_of(TARGET_GROUP_TUPLE)),
                    (
                        "targetGroupStickinessConfig",
                        Struct(
                            "ingress.TargetGroupStickinessConfig",
                            (
                                ("enabled", Bool()),
                                ("durationSeconds", Int32()),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

# What AWS accepts (the controller passes these through; CloudFormation would fail at deploy time).
REDIRECT_STATUS = ("HTTP_301", "HTTP_302")
CONTENT_TYPES = ("text/plain", "text/css", "text/html", "application/javascript", "application/json")


def decoded(found: Found, key: str, typ: Any, member: Member) -> Any:
    try:
        return decode(found.value, typ)
    except GoJSONError as exc:
        raise member.annotations.error(key, f"failed to parse json annotation: {exc} (value {found.raw!r})") from None


def ignored_keys_note(data: Any, typ: Struct) -> str:
    unknown = unknown_keys(data, typ)
    return f" (unknown keys, ignored like the controller does: {', '.join(unknown)})" if unknown else ""


def _validate(action: dict[str, Any]) -> str | None:
    """LBC Action.validate: the first problem, in LBC's words."""
    kind = action.get("type", "")
    if kind == "fixed-response":
        config = action.get("fixedResponseConfig")
        if config is None:
            return "missing FixedResponseConfig"
        if not config.get("statusCode"):
            return "invalid FixedResponseConfig: statusCode is required"
    elif kind == "redirect":
        config = action.get("redirectConfig")
        if config is None:
            return "missing RedirectConfig"
        if not config.get("statusCode"):
            return "invalid RedirectConfig: statusCode is required"
    elif kind == "forward":
        simple = "targetGroupARN" in action or "targetGroupName" in action
        forward = action.get("forwardConfig")
        if not simple and forward is None:
            return "missing ForwardConfig or TargetGroupARN/TargetGroupName"
        if simple and forward is not None:
            return "either ForwardConfig or TargetGroupARN/TargetGroupName can be specified"
        if forward is not None:
            tuples = forward.get("targetGroups", [])
            for index, tgt in enumerate(tuples):
                by_arn = "targetGroupARN" in tgt or "targetGroupName" in tgt
                if not by_arn and "serviceName" not in tgt:
                    return f"invalid ForwardConfig: invalid TargetGroupTuple: missing serviceName or targetGroupARN/targetGroupName (targetGroups[{index}])"
                if by_arn and "serviceName" in tgt:
                    return f"invalid ForwardConfig: invalid TargetGroupTuple: either serviceName or targetGroupARN/targetGroupName can be specified (targetGroups[{index}])"
                if "serviceName" in tgt and "servicePort" not in tgt:
                    return f"invalid ForwardConfig: invalid TargetGroupTuple: missing servicePort (targetGroups[{index}], serviceName {tgt['serviceName']!r})"
            if len(tuples) > 1:
                unweighted = [i for i, tgt in enumerate(tuples) if "weight" not in tgt]
                if unweighted:
                    shown = ", ".join(f"targetGroups[{i}]" for i in unweighted)
                    return f"invalid ForwardConfig: weight must be set when route to multiple target groups ({shown} has no weight)"
    else:
        return f"unknown action type: {kind} (want fixed-response, redirect or forward)"
    return None


def _normalise(action: dict[str, Any]) -> dict[str, Any]:
    """normalizeSimplifiedSchemaForwardAction + normalizeServicePortForBackwardsCompatibility."""
    if action.get("type") == "forward" and ("targetGroupARN" in action or "targetGroupName" in action):
        tgt = {k: action[k] for k in ("targetGroupARN", "targetGroupName") if k in action}
        action = {"type": "forward", "forwardConfig": {"targetGroups": [tgt]}}
    forward = action.get("forwardConfig")
    if action.get("type") == "forward" and forward is not None:
        for tgt in forward.get("targetGroups", []):
            if "servicePort" in tgt:
                tgt["servicePort"] = parse_int_or_string(tgt["servicePort"])
    return action


def _aws_checks(action: dict[str, Any], fail) -> None:
    """Values CloudFormation / ELBv2 reject; checked here so a bad value is a located error, not a failed deploy."""
    kind = action["type"]
    if kind == "redirect":
        code = action["redirectConfig"]["statusCode"]
        if code not in REDIRECT_STATUS:
            raise fail(f"redirectConfig.statusCode {code!r} is not accepted by AWS (want HTTP_301 or HTTP_302)")
    elif kind == "fixed-response":
        config = action["fixedResponseConfig"]
        code = config["statusCode"]
        if not (len(code) == 3 and code.isascii() and code.isdigit() and code[0] in "245"):
            raise fail(f"fixedResponseConfig.statusCode {code!r} is not accepted by AWS (want 2XX, 4XX or 5XX)")
        content_type = config.get("contentType")
        if content_type is not None and content_type not in CONTENT_TYPES:
            raise fail(f"fixedResponseConfig.contentType {content_type!r} is not accepted by AWS (want one of {', '.join(CONTENT_TYPES)})")
    elif kind == "forward":
        forward = action["forwardConfig"]
        if not forward.get("targetGroups"):
            raise fail("forwardConfig.targetGroups is empty: a forward action needs at least one target group")
        for index, tgt in enumerate(forward["targetGroups"]):
            weight = tgt.get("weight")
            if weight is not None and not 0 <= weight <= 999:
                raise fail(f"weight {weight} of targetGroups[{index}] is not accepted by AWS (want 0 to 999)")


def annotation_action(resolver: BackendResolver, member: Member, backend: ServiceBackend, backend_field: tuple) -> tuple[Action, ...]:
    """The action of a backend with `port.name: use-annotation`."""
    ing = member.ingress
    key = f"actions.{backend.name}"
    found = member.annotations.get(key)
    if found is None:
        # --tolerate-non-existent-backend-action defaults to true
        resolver.ctx.warnings.append(
            warning(
                ing.origin.at(*backend_field, "service", "port", "name"),
                ing.describe,
                f"backend {backend.name} uses port name use-annotation but annotation {PREFIX}{key} is not set; "
                "like the controller, the rule answers 503 'Backend action does not exist'",
            )
        )
        return (MISSING_ACTION,)
    action = decoded(found, key, ACTION, member)

    def fail(message: str) -> InputError:
        return member.annotations.error(key, message)

    problem = _validate(action)
    if problem is not None:
        raise fail(problem + ignored_keys_note(found.value, ACTION))
    action = _normalise(action)
    _aws_checks(action, fail)
    kind = action["type"]
    if kind == "fixed-response":
        config = action["fixedResponseConfig"]
        return (FixedResponse(config["statusCode"], config.get("contentType"), config.get("messageBody")),)
    if kind == "redirect":
        config = action["redirectConfig"]
        return (Redirect(config["statusCode"], config.get("protocol"), config.get("port"), config.get("host"), config.get("path"), config.get("query")),)
    return (_forward(resolver, member, action["forwardConfig"], fail, found),)


def _forward(resolver: BackendResolver, member: Member, forward: dict[str, Any], fail, found: Found) -> Action:
    ing = member.ingress
    tuples = forward["targetGroups"]
    service_names = list(dict.fromkeys(t["serviceName"] for t in tuples if "serviceName" in t))
    single_service = len(tuples) == 1 and len(service_names) == 1
    for name in service_names:
        if f"{ing.namespace}/{name}" in resolver.ctx.services:
            continue
        if single_service:
            # --tolerate-non-existent-backend-service (default true), only for a forward to one Service
            resolver.ctx.warnings.append(
                warning(
                    found.loc,
                    ing.describe,
                    f"Service {ing.namespace}/{name} (forwardConfig of {PREFIX}actions) is not in the input; "
                    "like the controller, the rule answers 503 'Backend service does not exist'",
                )
            )
            return MISSING_SERVICE
        raise fail(
            f'services "{name}" not found: Service {ing.namespace}/{name} is not in the input '
            "(the controller answers 503 only for a forward to a single Service; this one has several target groups)"
        )
    targets = []
    for index, tgt in enumerate(tuples):
        weight = tgt.get("weight")
        if "targetGroupARN" in tgt:
            targets.append(WeightedTarget(target_group_arn=tgt["targetGroupARN"], weight=weight))
        elif "targetGroupName" in tgt:
            name = tgt["targetGroupName"]
            raise fail(
                f"searching TargetGroup with name {name}: needs the AWS API, and ingress2cfn renders offline; "
                f'use "targetGroupARN": "arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/{name}/<id>" instead'
            )
        else:
            service = resolver.ctx.services[f"{ing.namespace}/{tgt['serviceName']}"]
            port = tgt["servicePort"]
            backend = ServiceBackend(tgt["serviceName"], None, port) if isinstance(port, int) else ServiceBackend(tgt["serviceName"], port, None)
            tg = resolver.service_target_group(
                member, service, backend, (), where=found.loc, where_owner=ing.describe, context=f"forwardConfig.targetGroups[{index}]; "
            )
            targets.append(WeightedTarget(target_group_id=tg.logical_id, weight=weight))
    stickiness = None
    config = forward.get("targetGroupStickinessConfig")
    if config is not None:
        stickiness = Stickiness(config.get("enabled"), config.get("durationSeconds"))
    if len(targets) == 1 and stickiness is None and targets[0].weight is None and targets[0].target_group_id is not None:
        return Forward((targets[0].target_group_id,))
    return WeightedForward(tuple(targets), stickiness)
