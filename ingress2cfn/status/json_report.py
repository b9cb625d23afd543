"""The report as JSON (`status --format json`), described by status.schema.json beside this file."""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from typing import Any

from ingress2cfn.status.report import SCHEMA_VERSION, Event, GroupStatus, LoadBalancer, Report, TargetGroup

SCHEMA_FILE = "status.schema.json"


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(resources.files("ingress2cfn.status").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return loaded


def _event(e: Event | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {"timestamp": e.timestamp, "logicalId": e.logical_id, "resourceType": e.resource_type, "status": e.status, "reason": e.reason}


def _load_balancer(lb: LoadBalancer) -> dict[str, Any]:
    return {
        "logicalId": lb.logical_id,
        "name": lb.name,
        "arn": lb.arn,
        "type": lb.type,
        "dnsName": lb.dns_name,
        "scheme": lb.scheme,
        "state": lb.state,
        "listeners": [asdict(listener) for listener in lb.listeners],
    }


def _target_group(tg: TargetGroup) -> dict[str, Any]:
    return {
        "logicalId": tg.logical_id,
        "name": tg.name,
        "arn": tg.arn,
        "protocol": tg.protocol,
        "port": tg.port,
        "targetType": tg.target_type,
        "service": tg.service,
        "serving": tg.serving,
        "targets": dict(tg.counts),
        "unhealthy": [asdict(t) for t in tg.unhealthy],
    }


def _group(g: GroupStatus) -> dict[str, Any]:
    return {
        "stackName": g.stack.name,
        "exists": g.stack.status is not None,
        "status": g.stack.status,
        "statusReason": g.stack.reason,
        "lastEvent": _event(g.stack.last_event),
        "failure": _event(g.stack.failure),
        "group": g.group,
        "members": list(g.members),
        "loadBalancers": [_load_balancer(lb) for lb in g.load_balancers],
        "targetGroups": [_target_group(tg) for tg in g.target_groups],
    }


def as_dict(report: Report) -> dict[str, Any]:
    return {"schemaVersion": SCHEMA_VERSION, "ok": report.ok, "problems": list(report.problems), "stacks": [_group(g) for g in report.groups]}


def render_json(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2, sort_keys=False) + "\n"
