"""Templates for the review tests: rendered by the real pipeline (tests/kit.py), so the review is
tested on what ingress2cfn deploys, then changed the way a manifest edit would change them."""

from __future__ import annotations

import copy

from kit import ingress, path, rule, service, template

from ingress2cfn.deploy.review import StackChange

CERT_A = "arn:aws:acm:us-east-1:123456789012:certificate/aaaa"
CERT_B = "arn:aws:acm:us-east-1:123456789012:certificate/bbbb"
WAF = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/web/1111"
STACK = "i2c-test-cluster-web"


def shop(paths: tuple[str, ...] = ("/a", "/b", "/c", "/d", "/e", "/f", "/g"), target_port: int = 8080, **annotations: str) -> dict:
    """A group template: one Ingress, one host, a Prefix path per entry (each its own rule), all to
    port 80 of Service svc (ip targets: the target group's port is the Service's targetPort)."""
    base = {
        "group.name": "web",
        "scheme": "internet-facing",
        "target-type": "ip",
        "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
        "certificate-arn": f"{CERT_A},{CERT_B}",
        "wafv2-acl-arn": WAF,
    }
    base.update(annotations)
    base = {k: v for k, v in base.items() if v != ""}
    ing = ingress("shop", "shop", annotations=base, rules=[rule("shop.example.com", *(path(p, "Prefix", "svc", 80) for p in paths))])
    svc = service("svc", "shop", ports=[{"port": 80, "targetPort": target_port}], type_="ClusterIP")
    return template(ing, svc)


def update(old: dict, new: dict, changes: tuple[dict, ...] = (), name: str = STACK) -> StackChange:
    return StackChange(name, "web", "update", copy.deepcopy(old), copy.deepcopy(new), changes)


def create(new: dict, name: str = STACK) -> StackChange:
    return StackChange(name, "web", "create", None, copy.deepcopy(new), ())


def remove(old: dict, name: str = STACK) -> StackChange:
    return StackChange(name, "web", "remove", copy.deepcopy(old), None, ())


def of_type(tpl: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in tpl["Resources"].items() if v["Type"] == type_}


def one_of_type(tpl: dict, type_: str) -> tuple[str, dict]:
    found = of_type(tpl, type_)
    assert len(found) == 1, sorted(found)
    return next(iter(found.items()))
