"""Wording shared by the text and Markdown renderers, read from the review's JSON form. The
strings returned here are raw; each renderer escapes them for its medium."""

from __future__ import annotations

from typing import Any

MARKER_WORDS = {"added": "added", "removed": "removed", "changed": "changed", "moved": "moved", "replaced": "replaced", "unchanged": ""}
ACTION_WORDS = {"create": "new stack", "update": "update", "no-changes": "no changes", "remove": "stack removed"}


def stack_title(stack: dict[str, Any]) -> str:
    group = stack.get("group")
    return f"{stack['stackName']} ({'IngressGroup ' + group if group is not None else 'cluster stack'})"


def counts_text(stack: dict[str, Any]) -> str:
    c = stack["counts"]
    parts = [f"{c['add']} to add", f"{c['modify']} to modify", f"{c['remove']} to remove"]
    if c["replace"]:
        parts.append(f"{c['replace']} replaced")
    return ", ".join(parts)


def stack_line(stack: dict[str, Any]) -> str:
    action = ACTION_WORDS.get(stack["action"], stack["action"])
    return action if stack["action"] == "no-changes" else f"{action}: {counts_text(stack)}"


def listener_title(listener: dict[str, Any]) -> str:
    where = f"{listener['protocol']}:{listener['port']}" if listener.get("protocol") and listener.get("port") is not None else "listener"
    return f"{where} {listener['logicalId']}"


def target_text(target: dict[str, Any]) -> str:
    text = target["service"] + f" ({target['targetGroup']})" if target.get("service") else target["targetGroup"]
    return text + (f" weight {target['weight']}" if target.get("weight") is not None else "")


def action_text(action: dict[str, Any]) -> str:
    targets = [target_text(t) for t in action.get("targets", ())]
    return action["text"] + (" → " + ", ".join(targets) if targets else "")


def actions_text(actions: list[dict[str, Any]]) -> list[str]:
    return [action_text(a) for a in actions]


def priority_text(row: dict[str, Any]) -> str:
    if row["default"]:
        return "default"
    priority = "?" if row["priority"] is None else str(row["priority"])
    if row["oldPriority"] is not None and row["oldPriority"] != row["priority"] and row["marker"] != "removed":
        return f"{priority} (was {row['oldPriority']})"
    return priority


def source_text(row: dict[str, Any]) -> str:
    if row.get("ingress"):
        return row["ingress"] + (f" {row['rule']}" if row.get("rule") else "")
    return ", ".join(row.get("sources") or ())


def replacement_text(row: dict[str, Any]) -> str:
    if row["replacement"] is None:
        return "-"
    text = row["replacement"] + (f" ({', '.join(row['causes'])})" if row["causes"] else "")
    if row["differs"]:
        cfn = row["cloudFormation"]
        predicted = row["predicted"] or {"replacement": False, "causes": []}
        pred = "yes" + (f" ({', '.join(predicted['causes'])})" if predicted["causes"] else "") if predicted["replacement"] else "no"
        text += f"; CloudFormation says {cfn['replacement']}, predicted {pred}"
    return text


def resource_notes(row: dict[str, Any]) -> str:
    return "; ".join(row.get("notes") or ())


def gauge_lines(gauge: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(quota, "used/limit (pct%)", the count in the deployed template or "") per quota."""
    out = []
    for q in gauge["quotas"]:
        pct = 100 * q["used"] // q["limit"] if q["limit"] else 0
        was = "" if q["before"] is None else str(q["before"])
        out.append((q["quota"], f"{q['used']}/{q['limit']} ({pct}%)", was))
    return out


def gauge_title(gauge: dict[str, Any]) -> str:
    return f"ALB {gauge['loadBalancer']}" + (f" ({gauge['name']})" if gauge.get("name") else "")
