"""Target-group extras (§4.4, §7.3, §9.5): target-control-port, target-node-labels,
multi-cluster-target-group — model, CloudFormation, TargetGroupBinding, cluster node rules — and
backend-protocol-version HTTP2 / GRPC as rendered."""

from __future__ import annotations

import hashlib

import kit
import pytest
import yaml
from kit import ingress, path, rule, service

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.render.pipeline import render_documents
from ingress2cfn.render.templates import bindings

NAMED_PORTS = [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]


def _tg(ing_ann: dict, svc_ann: dict | None = None, port: int | str = 80, ports: list | None = None):
    stacks, cluster, warnings = kit.build(
        ingress(annotations=ing_ann, rules=[rule(None, path("/", "Prefix", "svc", port))]),
        service(annotations=svc_ann, ports=ports or NAMED_PORTS),
    )
    (tg,) = stacks[0].target_groups
    return tg, stacks[0], cluster, [str(w) for w in warnings]


IP = {"target-type": "ip"}

EXTRAS = [
    # (id, ingress annotations, service annotations, backend port, (control port, node selector, multi cluster))
    ("nothing-set", {}, None, 80, (None, (), False)),
    ("control-port-by-number", {**IP, "target-control-port.svc.80": "9000"}, None, 80, (9000, (), False)),
    ("control-port-by-port-name", {**IP, "target-control-port.svc.http": "9000"}, None, "http", (9000, (), False)),
    ("control-port-key-must-match-the-reference", {**IP, "target-control-port.svc.80": "9000"}, None, "http", (None, (), False)),
    ("control-port-other-service-ignored", {**IP, "target-control-port.other.80": "9000"}, None, 80, (None, (), False)),
    ("control-port-on-the-service", IP, {"target-control-port.svc.80": "9001"}, 80, (9001, (), False)),
    ("control-port-service-wins", {**IP, "target-control-port.svc.80": "9000"}, {"target-control-port.svc.80": "9001"}, 80, (9001, (), False)),
    ("node-labels-instance", {"target-node-labels": "role=web,zone=a"}, None, 80, (None, (("role", "web"), ("zone", "a")), False)),
    (
        "node-labels-service-wins-whole-value",
        {"target-node-labels": "role=web,zone=a"},
        {"target-node-labels": "pool=edge"},
        80,
        (None, (("pool", "edge"),), False),
    ),
    ("node-labels-ignored-for-ip", {**IP, "target-node-labels": "role=web"}, None, 80, (None, (), False)),
    ("node-labels-empty-value", {"target-node-labels": ""}, None, 80, (None, (), False)),
    ("multi-cluster-on-ingress", {"multi-cluster-target-group": "true"}, None, 80, (None, (), True)),
    ("multi-cluster-on-service", {}, {"multi-cluster-target-group": "true"}, 80, (None, (), True)),
    ("multi-cluster-ingress-false-service-true", {"multi-cluster-target-group": "false"}, {"multi-cluster-target-group": "True"}, 80, (None, (), True)),
    ("multi-cluster-ingress-true-service-false", {"multi-cluster-target-group": "1"}, {"multi-cluster-target-group": "false"}, 80, (None, (), True)),
    ("multi-cluster-both-false", {"multi-cluster-target-group": "false"}, {"multi-cluster-target-group": "f"}, 80, (None, (), False)),
]


@pytest.mark.parametrize("ing_ann, svc_ann, port, expected", [c[1:] for c in EXTRAS], ids=[c[0] for c in EXTRAS])
def test_extras_model(ing_ann, svc_ann, port, expected):
    tg, _, _, _ = _tg(ing_ann, svc_ann, port)
    assert (tg.target_control_port, tg.node_selector, tg.multi_cluster) == expected


def test_node_labels_on_ip_target_group_warn():
    _, _, _, warnings = _tg({**IP, "target-node-labels": "role=web"})
    assert any("target-node-labels is ignored for ip targets (target group for default/svc:80)" in w and "Ingress default/web" in w for w in warnings), warnings


def _upstream_name(control_port: str | None) -> str:
    """LBC's buildTargetGroupName: the control port is hashed last, only when set. In the uid's place
    the Service's namespace/name, as ingress2cfn hashes it without --hash-service-uid."""
    parts = [kit.CLUSTER, "default/web", "default", "web", "default/svc", "80", "8080", "ip", "HTTP", "HTTP1"] + ([control_port] if control_port else [])
    return "k8s-default-svc-" + hashlib.sha256("".join(parts).encode()).hexdigest()[:10]


@pytest.mark.parametrize("control_port", [None, "9000", "9001"], ids=["without", "9000", "9001"])
def test_control_port_enters_the_target_group_name(control_port):
    ann = {**IP, **({"target-control-port.svc.80": control_port} if control_port else {})}
    tg, _, _, _ = _tg(ann)
    assert tg.name == _upstream_name(control_port)


# ---------------------------------------------------------------- rendered: CloudFormation, bindings, node rules

RENDERED = [
    # (id, ingress annotations, service annotations, TargetControlPort, TGB spec extras, TGB networking ports, cluster node rule ports)
    ("control-port", {**IP, "target-control-port.svc.80": "9000"}, None, 9000, {}, [8080, 9000], [(8080, 8080), (9000, 9000)]),
    (
        "control-port-and-health-port",
        {**IP, "target-control-port.svc.80": "9000", "healthcheck-port": "8081"},
        None,
        9000,
        {},
        [8080, 8081, 9000],
        [(8080, 8080), (8081, 8081), (9000, 9000)],
    ),
    ("node-selector", {"target-node-labels": "role=web"}, None, None, {"nodeSelector": {"matchLabels": {"role": "web"}}}, [30080], [(30080, 30080)]),
    ("multi-cluster", {}, {"multi-cluster-target-group": "true"}, None, {"multiClusterTargetGroup": True}, [30080], [(30080, 30080)]),
    (
        "all-instance",
        {"target-node-labels": "role=web,tier=front", "multi-cluster-target-group": "true"},
        None,
        None,
        {"nodeSelector": {"matchLabels": {"role": "web", "tier": "front"}}, "multiClusterTargetGroup": True},
        [30080],
        [(30080, 30080)],
    ),
    ("plain", {}, None, None, {}, [30080], [(30080, 30080)]),
]


@pytest.mark.parametrize("ing_ann, svc_ann, cfn_port, spec_extras, tgb_ports, node_rules", [c[1:] for c in RENDERED], ids=[c[0] for c in RENDERED])
def test_rendered(ing_ann, svc_ann, cfn_port, spec_extras, tgb_ports, node_rules):
    _, stack, cluster, _ = _tg(ing_ann, svc_ann)
    tpl = kit.template(ingress(annotations=ing_ann), service(annotations=svc_ann, ports=NAMED_PORTS))
    (body,) = kit.resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup").values()
    props = body["Properties"]
    from ingress2cfn.model.metadata import read_resource

    read = read_resource(body)  # what sync and `bindings --stack` read back from a deployed stack
    assert (read.multi_cluster, dict(read.node_selector)) == (
        spec_extras.get("multiClusterTargetGroup", False),
        spec_extras.get("nodeSelector", {}).get("matchLabels", {}),
    )
    assert props.get("TargetControlPort") == cfn_port
    (binding,) = bindings(stack, "sg-0123456789abcdef0", networking=True)
    spec = binding["spec"]
    for key in ("nodeSelector", "multiClusterTargetGroup"):
        assert spec.get(key) == spec_extras.get(key)
    assert [p["port"] for p in spec["networking"]["ingress"][0]["ports"]] == tgb_ports
    assert [(r.from_port, r.to_port) for r in cluster.rules] == node_rules


# ---------------------------------------------------------------- errors (LBC's wording)

ERRORS = [
    (
        "control-port-on-instance",
        {"target-control-port.svc.80": "9000"},
        None,
        'metadata.annotations["alb.ingress.kubernetes.io/target-control-port.svc.80"]: target control port is not supported for instance target target group',
    ),
    (
        "control-port-on-instance-from-service",
        {},
        {"target-control-port.svc.80": "9000"},
        'Service default/svc metadata.annotations["alb.ingress.kubernetes.io/target-control-port.svc.80"]: target control port is not supported for instance',
    ),
    ("control-port-not-int32", {**IP, "target-control-port.svc.80": "nine"}, None, 'failed to parse int32: strconv.ParseInt: parsing "nine": invalid syntax'),
    ("control-port-out-of-range", {**IP, "target-control-port.svc.80": "70000"}, None, "target control port must be within [1, 65535]: 70000"),
    ("multi-cluster-not-bool", {"multi-cluster-target-group": "cat"}, None, 'strconv.ParseBool: parsing "cat": invalid syntax'),
    ("multi-cluster-service-not-bool", {}, {"multi-cluster-target-group": "cat"}, "Service default/svc"),
    ("node-labels-not-a-map", {"target-node-labels": "role"}, None, "failed to parse stringMap annotation"),
]


@pytest.mark.parametrize("ing_ann, svc_ann, message", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_errors(ing_ann, svc_ann, message):
    with pytest.raises(Ingress2CfnError) as info:
        _tg(ing_ann, svc_ann)
    assert message in str(info.value), str(info.value)
    assert "test.yaml:" in str(info.value)


# ---------------------------------------------------------------- backend-protocol-version (done before; verified as rendered)


VERSIONS = [
    # (id, annotations, ProtocolVersion, Matcher, HealthCheckPath, TargetControlPort)
    ("http2", {"backend-protocol-version": "HTTP2"}, "HTTP2", {"HttpCode": "200"}, "/", None),
    ("grpc", {"backend-protocol-version": "GRPC"}, "GRPC", {"GrpcCode": "12"}, "/AWS.ALB/healthcheck", None),
    (
        "grpc-https-codes",
        {"backend-protocol": "HTTPS", "backend-protocol-version": "GRPC", "success-codes": "0-99"},
        "GRPC",
        {"GrpcCode": "0-99"},
        "/AWS.ALB/healthcheck",
        None,
    ),
    (
        "grpc-ip-control-port",
        {**IP, "backend-protocol-version": "GRPC", "target-control-port.svc.80": "9000"},
        "GRPC",
        {"GrpcCode": "12"},
        "/AWS.ALB/healthcheck",
        9000,
    ),
]


@pytest.mark.parametrize("ann, version, matcher, hc_path, control", [c[1:] for c in VERSIONS], ids=[c[0] for c in VERSIONS])
def test_protocol_versions_render_and_lint_clean(ann, version, matcher, hc_path, control):
    result = render_documents(kit.docs(ingress(annotations=ann), service()), kit.vpc(kit.lint_vpc()), kit.settings())
    text = result.groups[0].template
    (props,) = [r["Properties"] for r in kit.resources_of(yaml.safe_load(text), "AWS::ElasticLoadBalancingV2::TargetGroup").values()]
    assert (props["ProtocolVersion"], props["Matcher"], props["HealthCheckPath"], props.get("TargetControlPort")) == (version, matcher, hc_path, control)
    for t in (text, result.cluster_template):
        assert kit.cfn_lint(t) == []
