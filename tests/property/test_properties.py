"""Properties over generated groups: determinism under reordering, stable logical ids, unique
priorities and ids, and no exception but ours."""

from __future__ import annotations

import re

import kit
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingress2cfn.input.errors import Ingress2CfnError

NAMES = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
HOSTS = st.sampled_from(["", "a.example.com", "b.example.com", "*.example.org"])
PATHS = st.tuples(st.sampled_from(["/", "/api", "/api/v1", "/static/", "/x*"]), st.sampled_from(["Prefix", "Exact", "ImplementationSpecific", None]))


@st.composite
def ingress_specs(draw, min_size=1, max_size=6):
    """Unique (namespace, name) Ingresses in group `g`, each with its own Services (ip targets)."""
    keys = draw(st.lists(st.tuples(st.sampled_from(["ns-a", "ns-b"]), NAMES), min_size=min_size, max_size=max_size, unique=True))
    specs = []
    for ns, name in keys:
        order = draw(st.integers(-3, 3))
        rules = []
        for host in draw(st.lists(HOSTS, min_size=1, max_size=2, unique=True)):
            paths = []
            for p, t in draw(st.lists(PATHS, min_size=1, max_size=3)):
                if t in ("Prefix", "Exact") and "*" in p:
                    t = "ImplementationSpecific"
                paths.append((p, t))
            rules.append((host, paths))
        specs.append((ns, name, order, rules))
    return specs


def objects(specs) -> list[dict]:
    out = []
    for ns, name, order, rules in specs:
        svc = f"{name}-svc"
        out.append(
            kit.ingress(
                name,
                ns,
                {"group.name": "g", "group.order": str(order), "target-type": "ip"},
                [kit.rule(h or None, *[kit.path(p, t, svc, 80) for p, t in paths]) for h, paths in rules],
            )
        )
        out.append(kit.service(svc, ns, ports=[{"port": 80, "targetPort": 8080}], type_="ClusterIP"))
    return out


def rendered(objs) -> tuple[str, str, str]:
    result = kit.render(*objs)
    (group,) = result.groups
    return group.template, group.bindings, result.cluster_template


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ingress_specs(), st.randoms(use_true_random=False))
def test_document_order_does_not_change_output(specs, rnd):
    objs = objects(specs)
    shuffled = list(objs)
    rnd.shuffle(shuffled)
    assert rendered(objs) == rendered(shuffled)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ingress_specs(), ingress_specs(min_size=1, max_size=1))
def test_adding_an_ingress_keeps_existing_logical_ids(specs, extra):
    (ns, name, *_rest) = extra[0]
    if any((ns, name) == (s[0], s[1]) for s in specs):
        return
    before = yaml.safe_load(rendered(objects(specs))[0])
    after = yaml.safe_load(rendered(objects(specs + extra))[0])
    assert set(before["Resources"]) <= set(after["Resources"])
    for logical_id, resource in before["Resources"].items():
        assert after["Resources"][logical_id]["Type"] == resource["Type"]
        if resource["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup":
            # same identity, same physical name: no replacement
            assert after["Resources"][logical_id]["Properties"]["Name"] == resource["Properties"]["Name"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ingress_specs(max_size=8))
def test_priorities_unique_per_listener_and_ids_valid(specs):
    tpl = yaml.safe_load(rendered(objects(specs))[0])
    by_listener: dict[str, list[int]] = {}
    for logical_id, resource in tpl["Resources"].items():
        assert re.fullmatch(r"[A-Za-z0-9]{1,255}", logical_id)
        if resource["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule":
            by_listener.setdefault(resource["Properties"]["ListenerArn"]["Ref"], []).append(resource["Properties"]["Priority"])
    for priorities in by_listener.values():
        assert sorted(priorities) == list(range(1, len(priorities) + 1))
        assert all(1 <= p <= 50000 for p in priorities)
    names = [r["Properties"]["Name"] for r in tpl["Resources"].values() if "Name" in r.get("Properties", {}) and isinstance(r["Properties"]["Name"], str)]
    assert len(names) == len(set(names))
    assert all(len(n) <= 32 for n in names)


ANNOTATION_VALUES = {
    "scheme": st.sampled_from(["internal", "internet-facing", "public", ""]),
    "target-type": st.sampled_from(["ip", "instance", "lambda"]),
    "listen-ports": st.sampled_from(['[{"HTTP": 80}]', '[{"HTTPS": 443}]', "[]", '[{"TCP": 80}]', "{", '[{"HTTP": "80"}]', '[{"HTTP": 8080}, {"HTTP": 80}]']),
    "group.order": st.sampled_from(["1", "-1000", "1001", "x", ""]),
    "group.name": st.sampled_from(["g", "G", "a_b", "ok.name", "-x"]),
    "ip-address-type": st.sampled_from(["ipv4", "dualstack", "ipv6"]),
    "ssl-redirect": st.sampled_from(["443", "80", "abc"]),
    "certificate-arn": st.sampled_from(["arn:aws:acm:us-east-1:123456789012:certificate/x", ""]),
    "healthcheck-interval-seconds": st.sampled_from(["10", "ten", "99999999999"]),
    "inbound-cidrs": st.sampled_from(["10.0.0.0/8", "10.0.0.0/33", "::/0, 0.0.0.0/0", "nope"]),
    "subnets": st.sampled_from(["subnet-pub1,subnet-pub2", "subnet-nope", "public-us-east-1a, public-us-east-1b", "subnet-pub1"]),
    "tags": st.sampled_from(["a=b", "a", "=b", "a=b,c=d"]),
    "load-balancer-name": st.sampled_from(["short", "x" * 40]),
    "auth-type": st.sampled_from(["oidc"]),
    "unknown-thing": st.sampled_from(["1"]),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ingress_specs(max_size=3),
    st.lists(st.dictionaries(st.sampled_from(sorted(ANNOTATION_VALUES)), st.just(None), max_size=4), min_size=3, max_size=3),
    st.data(),
)
def test_no_exception_but_ours(specs, annotation_keys, data):
    objs = objects(specs)
    ingresses = [o for o in objs if o["kind"] == "Ingress"]
    for ing, keys in zip(ingresses, annotation_keys):
        for key in keys:
            ing["metadata"]["annotations"][kit.P + key] = data.draw(ANNOTATION_VALUES[key])
    try:
        result = kit.render(*objs)
    except Ingress2CfnError as exc:
        assert str(exc).strip()
        return
    for group in result.groups:
        assert yaml.safe_load(group.template)["Resources"]
