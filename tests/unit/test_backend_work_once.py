"""The per-backend work runs once per Ingress/Service/port, however often the backend is referenced
(several paths, several listen ports)."""

from __future__ import annotations

import json

import kit
import pytest

import ingress2cfn.build.rules as build_rules


@pytest.fixture
def counted(monkeypatch):
    calls = {"target_group": [], "annotations": []}
    real_tg, real_check = build_rules.build_target_group, build_rules.check_backend_annotations

    def tg(ctx, member, service, port, backend, backend_field):
        calls["target_group"].append((member.key, service.name, backend.port_ref))
        return real_tg(ctx, member, service, port, backend, backend_field)

    def check(member, backend, warnings):
        calls["annotations"].append((member.key, backend.name))
        return real_check(member, backend, warnings)

    monkeypatch.setattr(build_rules, "build_target_group", tg)
    monkeypatch.setattr(build_rules, "check_backend_annotations", check)
    return calls


def _objects():
    listen = json.dumps([{"HTTP": 80}, {"HTTP": 8080}, {"HTTP": 8081}])
    return (
        kit.ingress(
            annotations={"listen-ports": listen, "target-type": "ip"},
            rules=[
                kit.rule("a.example.com", kit.path("/a", "Prefix", "svc", 80), kit.path("/b", "Prefix", "svc", 80), kit.path("/c", "Prefix", "svc", "http"))
            ],
        ),
        kit.service(ports=[{"name": "http", "port": 80, "targetPort": 8080}, {"name": "admin", "port": 81, "targetPort": 9090}]),
    )


def test_each_service_port_is_built_once(counted):
    stack = kit.one_stack(*_objects())
    # 3 paths × 3 listen ports = 9 references; two distinct port references (80 and "http")
    rules = sum(len(listener.rules) for listener in stack.listeners)
    assert rules == 9
    assert sorted(counted["target_group"]) == [("default/web", "svc", "80"), ("default/web", "svc", "http")]
    assert counted["annotations"] == [("default/web", "svc")]
    assert len(stack.target_groups) == 2


def test_every_reference_forwards_to_its_own_port_reference():
    stack = kit.one_stack(*_objects())
    by_port_ref = {tg.port_ref: tg.logical_id for tg in stack.target_groups}
    for listener in stack.listeners:
        forwarded = {rule.origin_field.split(".")[-1]: rule.actions[0].target_group_ids for rule in listener.rules}
        assert forwarded == {
            "paths[0]": (by_port_ref["80"],),
            "paths[1]": (by_port_ref["80"],),
            "paths[2]": (by_port_ref["http"],),
        }
