"""Rule conditions (§6.2) with `conditions.<name>`, `use-regex-path-match` (§6.1) and
`transforms.<name>` (§6.4).

Follows LBC's model_build_listener_rules.go (buildRuleConditions, buildTransforms) and the
per-entry validation of config_types.go (RuleCondition.Validate, Transform.Validate), which the
backend builder runs for every backend, the default backend included."""

from __future__ import annotations

from typing import Any

from ingress2cfn.build.actions import decoded, ignored_keys_note
from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import IngressPath, PathType, ServiceBackend
from ingress2cfn.model.stack import Condition, Rewrite, Transform
from ingress2cfn.rules.annotations import PREFIX
from ingress2cfn.rules.gojson import String, Struct, slice_of
from ingress2cfn.rules.groups import Member

_STRING = String()
_STRINGS = slice_of(_STRING)
_VALUES = (("regexValues", _STRINGS), ("values", _STRINGS))
RULE_CONDITION = Struct(
    "ingress.RuleCondition",
    (
        ("field", String("ingress.RuleConditionField")),
        ("hostHeaderConfig", Struct("ingress.HostHeaderConditionConfig", _VALUES)),
        ("httpHeaderConfig", Struct("ingress.HTTPHeaderConditionConfig", (("httpHeaderName", _STRING),) + _VALUES)),
        ("httpRequestMethodConfig", Struct("ingress.HTTPRequestMethodConditionConfig", (("values", _STRINGS),))),
        ("pathPatternConfig", Struct("ingress.PathPatternConditionConfig", _VALUES)),
        (
            "queryStringConfig",
            Struct(
                "ingress.QueryStringConditionConfig",
                (("values", slice_of(Struct("ingress.QueryStringKeyValuePair", (("key", _STRING), ("value", _STRING))))),),
            ),
        ),
        ("sourceIPConfig", Struct("ingress.SourceIPConditionConfig", (("values", _STRINGS),))),
    ),
)
RULE_CONDITIONS = slice_of(RULE_CONDITION)
_REWRITES = Struct("ingress.RewriteConfigObject", (("rewrites", slice_of(Struct("ingress.RewriteConfig", (("regex", _STRING), ("replace", _STRING))))),))
TRANSFORM = Struct(
    "ingress.Transform",
    (
        ("type", String("ingress.TransformType")),
        ("hostHeaderRewriteConfig", _REWRITES),
        ("urlRewriteConfig", _REWRITES),
    ),
)
TRANSFORMS = slice_of(TRANSFORM)

# field → (config key, kind of check): LBC's RuleCondition.Validate
_CONFIG = {
    "host-header": ("hostHeaderConfig", "values-or-regex"),
    "path-pattern": ("pathPatternConfig", "values-or-regex"),
    "http-header": ("httpHeaderConfig", "values-or-regex"),
    "http-request-method": ("httpRequestMethodConfig", "values"),
    "query-string": ("queryStringConfig", "query"),
    "source-ip": ("sourceIPConfig", "values"),
}


def _entry_problem(entry: dict[str, Any]) -> str | None:
    field = entry.get("field", "")
    if field not in _CONFIG:
        return None  # LBC ignores unknown fields (warned about by the caller)
    key, check = _CONFIG[field]
    config = entry.get(key)
    if config is None:
        return f"missing {key}"
    values = config.get("values") or []
    if check == "values-or-regex":
        regex = config.get("regexValues") or []
        if not values and not regex:
            return f"invalid {key}: values or regexValues must be specified"
        if values and regex:
            return f"invalid {key}: precisely one of values and regexValues can be specified"
        if field == "http-header" and not config.get("httpHeaderName"):
            return f"invalid {key}: httpHeaderName is required by AWS"
    elif check == "values":
        if not values:
            return f"invalid {key}: values cannot be empty"
    else:
        if not values:
            return f"invalid {key}: Values cannot be empty"
        if any(not pair.get("value") for pair in values):
            return f"invalid {key}: value cannot be empty"
    return None


def annotation_conditions(member: Member, name: str, warnings: list[Diagnostic]) -> list[dict[str, Any]]:
    """`conditions.<name>`, decoded and validated; [] when absent."""
    key = f"conditions.{name}"
    found = member.annotations.get(key)
    if found is None:
        return []
    entries = decoded(found, key, RULE_CONDITIONS, member)
    for index, entry in enumerate(entries):
        problem = _entry_problem(entry)
        if problem is not None:
            raw = found.value[index] if isinstance(found.value, list) else None
            raise member.annotations.error(key, f"{problem} (entry [{index}], field {entry.get('field', '')!r})" + ignored_keys_note(raw, RULE_CONDITION))
        if entry.get("field", "") not in _CONFIG:
            warnings.append(
                warning(
                    found.loc,
                    member.ingress.describe,
                    f"{PREFIX}{key} entry [{index}] has field {entry.get('field', '')!r}, which is none of {', '.join(_CONFIG)}; like the controller, ingress2cfn ignores it",
                )
            )
    return entries


def annotation_transforms(member: Member, name: str) -> tuple[Transform, ...]:
    """`transforms.<name>`, decoded and validated (LBC Transform.Validate); () when absent."""
    key = f"transforms.{name}"
    found = member.annotations.get(key)
    if found is None:
        return ()
    out = []
    for index, entry in enumerate(decoded(found, key, TRANSFORMS, member)):
        kind = entry.get("type", "")
        config_key = {"host-header-rewrite": "hostHeaderRewriteConfig", "url-rewrite": "urlRewriteConfig"}.get(kind)
        if config_key is None:
            raise member.annotations.error(key, f"unknown transform type: {kind} (entry [{index}]; want url-rewrite or host-header-rewrite)")
        config = entry.get(config_key)
        if config is None:
            raw = found.value[index] if isinstance(found.value, list) else None
            raise member.annotations.error(key, f"missing {config_key} (entry [{index}], type {kind})" + ignored_keys_note(raw, TRANSFORM))
        rewrites = config.get("rewrites") or []
        if not rewrites:
            raise member.annotations.error(key, f"{config_key}.rewrites cannot be empty (entry [{index}], type {kind})")
        out.append(Transform(kind, tuple(Rewrite(r.get("regex", ""), r.get("replace", "")) for r in rewrites)))
    return tuple(out)


def check_backend_annotations(member: Member, backend: ServiceBackend, warnings: list[Diagnostic]) -> None:
    """LBC's backend builder decodes and validates conditions.<name> and transforms.<name> for every
    backend, the default backend included (where they then have no effect)."""
    annotation_conditions(member, backend.name, warnings)
    annotation_transforms(member, backend.name)


def use_regex_path_match(member: Member) -> bool:
    found = member.annotations.get("use-regex-path-match")
    return bool(found and found.value)


def rule_conditions(member: Member, host: str, ip: IngressPath, patterns: tuple[str, ...], warnings: list[Diagnostic]) -> tuple[Condition, ...]:
    """LBC buildRuleConditions: annotation conditions other than host/path first (annotation order),
    then host-header (values, regexValues), then path-pattern (values, regexValues); `/*` when none."""
    host_values = [host] if host else []
    host_regex: list[str] = []
    path_values: list[str] = []
    path_regex: list[str] = []
    if ip.path:
        if ip.path_type in (PathType.IMPLEMENTATION_SPECIFIC, None) and use_regex_path_match(member):
            path_regex.append(ip.path[1:])  # Kubernetes wants a leading "/"; the regex does not
        else:
            path_values.extend(patterns)
    conditions: list[Condition] = []
    for entry in annotation_conditions(member, ip.backend.name, warnings):
        field = entry.get("field", "")
        if field == "host-header":
            host_values.extend(entry["hostHeaderConfig"].get("values") or [])
            host_regex.extend(entry["hostHeaderConfig"].get("regexValues") or [])
        elif field == "path-pattern":
            path_values.extend(entry["pathPatternConfig"].get("values") or [])
            path_regex.extend(entry["pathPatternConfig"].get("regexValues") or [])
        elif field == "http-header":
            config = entry["httpHeaderConfig"]
            conditions.append(Condition(field, tuple(config.get("values") or ()), tuple(config.get("regexValues") or ()), config["httpHeaderName"]))
        elif field == "http-request-method":
            conditions.append(Condition(field, tuple(entry["httpRequestMethodConfig"]["values"])))
        elif field == "query-string":
            pairs = tuple((pair.get("key"), pair["value"]) for pair in entry["queryStringConfig"]["values"])
            conditions.append(Condition(field, query_strings=pairs))
        elif field == "source-ip":
            conditions.append(Condition(field, tuple(entry["sourceIPConfig"]["values"])))
    condition_key = f"{PREFIX}conditions.{ip.backend.name}"
    if condition_key in member.ingress.annotations:
        where = member.annotations.loc(condition_key)
    else:
        where = member.ingress.origin.at(*ip.field)
    for what, values, regex in (("host", host_values, host_regex), ("path", path_values, path_regex)):
        if values and regex:
            raise InputError(
                f"{what} condition must specify exactly one of Values and RegexValues, got both Values [{' '.join(values)}] and RegexValues [{' '.join(regex)}]",
                where,
                member.ingress.describe,
            )
    if host_values:
        conditions.append(Condition("host-header", tuple(host_values)))
    if host_regex:
        conditions.append(Condition("host-header", regex_values=tuple(host_regex)))
    if path_values:
        conditions.append(Condition("path-pattern", tuple(path_values)))
    if path_regex:
        conditions.append(Condition("path-pattern", regex_values=tuple(path_regex)))
    if not conditions:
        conditions.append(Condition("path-pattern", ("/*",)))
    return tuple(conditions)
