"""Per listener, the final rule table in priority order: priority, conditions, action and targets
with weights, and the Ingress rule that produced it (from `Metadata.ingress2cfn`), each row marked
added / removed / changed / moved against the deployed template. A rule is identified by its
logical id, which derives from Kubernetes identity (model.naming.rule_id), so a renumbered rule
shows as moved, not as removed and added."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ingress2cfn.deploy.review.model import ADDED, CHANGED, MOVED, REMOVED, REPLACED, UNCHANGED, YES, ActionView, ListenerTable, ResourceRow, RuleRow, Target
from ingress2cfn.deploy.review.template import normalise
from ingress2cfn.lint.checks.conditions import view
from ingress2cfn.lint.checks.context import LISTENER, RULE, TARGET_GROUP, Resource, TemplateIndex, as_dict, as_int, as_list, as_str, ref_target, value_key
from ingress2cfn.model.metadata import ResourceMeta, read_resource

FIELD_LABELS = {
    "host-header": "host",
    "path-pattern": "path",
    "http-header": "header",
    "http-request-method": "method",
    "query-string": "query",
    "source-ip": "source-ip",
}


def condition_text(condition: Any) -> str:
    v = view(0, condition)
    label = FIELD_LABELS.get(v.field or "", v.field or "?")
    if v.field == "http-header":
        name = as_str(as_dict(as_dict(condition).get("HttpHeaderConfig")).get("HttpHeaderName"))
        label = f"header {name or '?'}"
    values = list(v.values) + [f"~{r}" for r in v.regex_values]
    return f"{label} {' | '.join(values) if values else '(not literal)'}"


def _meta(index: TemplateIndex, logical_id: str) -> ResourceMeta:
    return read_resource(as_dict(index.template.get("Resources")).get(logical_id))


def _arn_text(value: Any) -> str:
    return value_key(value) or "(computed)"


def _targets(action: dict[str, Any], index: TemplateIndex) -> tuple[Target, ...]:
    out: list[tuple[Any, int | None]] = []
    if "TargetGroupArn" in action:
        out.append((action["TargetGroupArn"], None))
    for item in as_list(as_dict(action.get("ForwardConfig")).get("TargetGroups")):
        if isinstance(item, dict) and "TargetGroupArn" in item:
            out.append((item["TargetGroupArn"], as_int(item.get("Weight"))))
    targets = []
    for value, weight in out:
        key = _arn_text(value)
        tg = index.get(ref_target(value), TARGET_GROUP)
        targets.append(Target(key, _meta(index, tg.logical_id).service if tg is not None else None, weight))
    return tuple(targets)


def _redirect_text(config: dict[str, Any]) -> str:
    proto = as_str(config.get("Protocol")) or "#{protocol}"
    host = as_str(config.get("Host")) or "#{host}"
    port = str(config.get("Port") or "#{port}")
    path = as_str(config.get("Path")) or "/#{path}"
    query = as_str(config.get("Query")) or "#{query}"
    code = str(config.get("StatusCode") or "?").removeprefix("HTTP_")
    return f"redirect {code} to {proto.lower()}://{host}:{port}{path}?{query}"


def action_view(action: Any, index: TemplateIndex) -> ActionView:
    body = as_dict(action)
    type_ = as_str(body.get("Type")) or "?"
    if type_ == "forward":
        stickiness = as_dict(as_dict(body.get("ForwardConfig")).get("TargetGroupStickinessConfig"))
        text = "forward"
        if stickiness.get("Enabled") in (True, "true"):
            text += f" (sticky {stickiness.get('DurationSeconds', '?')}s)"
        return ActionView(type_, text, _targets(body, index))
    if type_ == "redirect":
        return ActionView(type_, _redirect_text(as_dict(body.get("RedirectConfig"))))
    if type_ == "fixed-response":
        config = as_dict(body.get("FixedResponseConfig"))
        content = as_str(config.get("ContentType"))
        return ActionView(type_, f"fixed-response {config.get('StatusCode', '?')}" + (f" {content}" if content else ""))
    if type_ == "authenticate-oidc":
        issuer = as_str(as_dict(body.get("AuthenticateOidcConfig")).get("Issuer"))
        return ActionView(type_, "authenticate-oidc" + (f" (issuer {issuer})" if issuer else ""))
    if type_ == "authenticate-cognito":
        pool = value_key(as_dict(body.get("AuthenticateCognitoConfig")).get("UserPoolArn"))
        return ActionView(type_, "authenticate-cognito" + (f" (user pool {pool})" if pool else ""))
    return ActionView(type_, type_)


def actions_of(raw: Any, index: TemplateIndex) -> tuple[ActionView, ...]:
    items = [a for a in as_list(raw) if isinstance(a, dict)]
    ordered = sorted(enumerate(items), key=lambda ia: (as_int(ia[1].get("Order")) or 0, ia[0]))
    return tuple(action_view(a, index) for _, a in ordered)


def conditions_of(rule: Resource) -> tuple[str, ...]:
    return tuple(condition_text(c) for c in as_list(rule.properties.get("Conditions")))


def _content(rule: Resource) -> Any:
    return normalise({k: rule.properties.get(k) for k in ("Conditions", "Actions")})


def _rule_row(lid: str, old: Resource | None, new: Resource | None, old_index: TemplateIndex, new_index: TemplateIndex) -> RuleRow:
    shown, index = (new, new_index) if new is not None else (old, old_index)
    assert shown is not None
    meta = _meta(index, lid)
    old_priority = as_int(old.properties.get("Priority")) if old is not None else None
    priority = as_int(shown.properties.get("Priority"))
    previous_conditions = previous_actions = None
    if old is None:
        marker = ADDED
    elif new is None:
        marker = REMOVED
    elif _content(old) != _content(new):
        marker = CHANGED
        previous_conditions, previous_actions = conditions_of(old), actions_of(old.properties.get("Actions"), old_index)
    elif old_priority != priority:
        marker = MOVED
    else:
        marker = UNCHANGED
    return RuleRow(
        logical_id=lid,
        marker=marker,
        priority=priority,
        old_priority=old_priority,
        conditions=conditions_of(shown),
        actions=actions_of(shown.properties.get("Actions"), index),
        ingress=meta.ingress or (meta.sources[0] if len(meta.sources) == 1 else None),
        rule=meta.rule,
        sources=meta.sources,
        previous_conditions=previous_conditions,
        previous_actions=previous_actions,
    )


def _default_row(key: str, old: Resource | None, new: Resource | None, old_index: TemplateIndex, new_index: TemplateIndex) -> RuleRow | None:
    shown, index = (new, new_index) if new is not None else (old, old_index)
    if shown is None:
        return None
    old_actions = normalise(old.properties.get("DefaultActions")) if old is not None else None
    new_actions = normalise(new.properties.get("DefaultActions")) if new is not None else None
    marker = ADDED if old is None else REMOVED if new is None else CHANGED if old_actions != new_actions else UNCHANGED
    previous = actions_of(old.properties.get("DefaultActions"), old_index) if marker == CHANGED and old is not None else None
    return RuleRow(
        logical_id=key,
        marker=marker,
        priority=None,
        old_priority=None,
        conditions=(),
        actions=actions_of(shown.properties.get("DefaultActions"), index),
        sources=_meta(index, key).sources,
        default=True,
        previous_actions=previous,
    )


def _rules_by_listener(index: TemplateIndex) -> dict[str, dict[str, Resource]]:
    out: dict[str, dict[str, Resource]] = {}
    for rule in index.of_type(RULE):
        key = index.listener_key(rule)
        if key is not None:
            out.setdefault(key, {})[rule.logical_id] = rule
    return out


def _sort_key(row: RuleRow) -> tuple:
    priority = row.priority if row.priority is not None else row.old_priority
    return (row.default, priority is None, priority or 0, row.marker == REMOVED, row.logical_id)


def _port_key(key: str, listener: Resource | None) -> tuple:
    port = as_int(listener.properties.get("Port")) if listener is not None else None
    return (port is None, port or 0, key)


def listener_tables(old: dict | None, new: dict | None, rows: tuple[ResourceRow, ...]) -> tuple[ListenerTable, ...]:
    old_index, new_index = TemplateIndex(old or {}), TemplateIndex(new or {})
    old_rules, new_rules = _rules_by_listener(old_index), _rules_by_listener(new_index)
    keys = {listener.logical_id for listener in old_index.of_type(LISTENER) + new_index.of_type(LISTENER)} | old_rules.keys() | new_rules.keys()
    replaced = {r.logical_id for r in rows if r.replacement == YES}
    modified = {r.logical_id for r in rows}
    tables = []
    for key in keys:
        old_l, new_l = old_index.get(key, LISTENER), new_index.get(key, LISTENER)
        shown = new_l or old_l
        before, after = old_rules.get(key, {}), new_rules.get(key, {})
        rule_rows = [_rule_row(lid, before.get(lid), after.get(lid), old_index, new_index) for lid in before.keys() | after.keys()]
        rule_rows = [replace(r, marker=REPLACED) if r.marker == UNCHANGED and r.logical_id in replaced else r for r in rule_rows]
        default = _default_row(key, old_l, new_l, old_index, new_index)
        if default is not None:
            rule_rows.append(default)
        if shown is None:
            marker = UNCHANGED  # a listener outside the template (rules attached by ARN or parameter)
        elif old_l is None:
            marker = ADDED
        elif new_l is None:
            marker = REMOVED
        elif key in replaced:
            marker = REPLACED
        elif key in modified:
            marker = CHANGED
        else:
            marker = UNCHANGED
        lb = (new_index if new_l is not None else old_index).lb_of_listener(shown) if shown is not None else None
        tables.append(
            ListenerTable(
                logical_id=key,
                load_balancer=lb,
                protocol=as_str(shown.properties.get("Protocol")) if shown is not None else None,
                port=as_int(shown.properties.get("Port")) if shown is not None else None,
                marker=marker,
                rules=tuple(sorted(rule_rows, key=_sort_key)),
            )
        )
    return tuple(sorted(tables, key=lambda t: _port_key(t.logical_id, new_index.get(t.logical_id, LISTENER) or old_index.get(t.logical_id, LISTENER))))


def priority_moves(tables: tuple[ListenerTable, ...]) -> dict[str, list[RuleRow]]:
    """Listener → rules that keep their logical id but change priority (moved or changed)."""
    out: dict[str, list[RuleRow]] = {}
    for table in tables:
        for row in table.rules:
            if not row.default and row.marker in (MOVED, CHANGED) and row.old_priority != row.priority:
                out.setdefault(table.logical_id, []).append(row)
    return out
