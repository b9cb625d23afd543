"""Target groups: lbc-semantics §7 (identity, port, settings, name hash) and §4.4 (annotations),
plus the TargetGroupBinding documents of §7.3."""

from __future__ import annotations

import hashlib

import msgspec
import pytest
from kit import CLUSTER, build, default_vpc, ingress, one_stack, path, resources_of, rule, service, template

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model.stack import Forward, HealthCheck, TargetType
from ingress2cfn.render import templates as render


def _tg(*objects, **kw):
    stack = one_stack(*objects, **kw)
    (tg,) = stack.target_groups
    return tg


def _ing(annotations=None, port=80, svc="svc", **kw):
    return ingress(annotations=annotations, rules=[rule(None, path("/", "Prefix", svc, port))], **kw)


def _vpc_without_cluster_tags() -> dict:
    data = default_vpc()
    for s in data["subnets"]:
        s["tags"] = {k: v for k, v in s["tags"].items() if not k.startswith("kubernetes.io/cluster")}
    return data


def _expected_name(svc_ns, svc_name, *parts):
    return f"k8s-{svc_ns[:8]}-{svc_name[:8]}-{hashlib.sha256(''.join(parts).encode()).hexdigest()[:10]}"


# ------------------------------------------------------------------ §7.1 identity and reuse


NAMED = [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]


def test_same_service_by_name_and_by_number_is_two_target_groups():
    stack = one_stack(
        ingress(rules=[rule(None, path("/a", "Prefix", "svc", "http"), path("/b", "Prefix", "svc", 80))]),
        service(ports=NAMED),
    )
    tgs = stack.target_groups
    assert sorted(t.port_ref for t in tgs) == ["80", "http"]
    assert len({t.logical_id for t in tgs}) == 2 and len({t.name for t in tgs}) == 2
    assert {t.port for t in tgs} == {30080}
    by_ref = {t.port_ref: t.logical_id for t in tgs}
    (listener,) = stack.listeners
    assert [r.actions for r in listener.rules] == [(Forward((by_ref["http"],)),), (Forward((by_ref["80"],)),)]


def test_same_service_in_two_ingresses_of_a_group_is_two_target_groups():
    group = {"group.name": "shop"}
    stack = one_stack(
        ingress("a", annotations=group, rules=[rule("a.example.com", path("/", "Prefix", "svc", 80))]),
        ingress("b", annotations=group, rules=[rule("b.example.com", path("/", "Prefix", "svc", 80))]),
        service(),
    )
    assert sorted(t.ingress for t in stack.target_groups) == ["default/a", "default/b"]
    assert len({t.logical_id for t in stack.target_groups}) == 2
    assert len({t.name for t in stack.target_groups}) == 2
    tags = {t.ingress: {tag.key: tag.value for tag in t.tags}["ingress.k8s.aws/resource"] for t in stack.target_groups}
    assert tags == {"default/a": "default/a-svc:80", "default/b": "default/b-svc:80"}


def test_service_reused_within_one_ingress_is_one_target_group():
    stack = one_stack(
        ingress(
            rules=[
                rule("a.example.com", path("/x", "Prefix", "svc", 80), path("/y", "Exact", "svc", 80)),
                rule("b.example.com", path("/", "Prefix", "svc", 80)),
            ],
            default_backend={"service": {"name": "svc", "port": {"number": 80}}},
        ),
        service(),
    )
    (tg,) = stack.target_groups
    (listener,) = stack.listeners
    assert [r.actions for r in listener.rules] == [(Forward((tg.logical_id,)),)] * 3
    assert listener.default_actions == (Forward((tg.logical_id,)),)


# ------------------------------------------------------------------ §7.2 TG port by target type


@pytest.mark.parametrize(
    "target_type, port_spec, expected_port",
    [
        pytest.param(None, {"port": 80, "targetPort": 8080, "nodePort": 30080}, 30080, id="default-instance-nodePort"),
        pytest.param("instance", {"port": 80, "targetPort": 8080, "nodePort": 31000}, 31000, id="instance-nodePort"),
        pytest.param("ip", {"port": 80, "targetPort": 8080, "nodePort": 30080}, 8080, id="ip-numeric-targetPort"),
        pytest.param("ip", {"port": 80, "targetPort": 8080}, 8080, id="ip-no-nodePort-needed"),
        pytest.param("ip", {"port": 80}, 80, id="ip-targetPort-defaults-to-port"),
        pytest.param("ip", {"port": 80, "targetPort": "web"}, 1, id="ip-named-targetPort-placeholder-1"),
    ],
)
def test_target_group_port_by_target_type(target_type, port_spec, expected_port):
    ann = {"target-type": target_type} if target_type else None
    tg = _tg(_ing(ann), service(ports=[port_spec], type_="ClusterIP" if "nodePort" not in port_spec else "NodePort"))
    assert tg.port == expected_port
    assert tg.target_type is TargetType(target_type or "instance")


@pytest.mark.parametrize(
    "type_, port_spec",
    [
        pytest.param("ClusterIP", {"port": 80, "targetPort": 8080}, id="clusterip"),
        pytest.param("NodePort", {"port": 80, "targetPort": 8080}, id="nodeport-without-nodePort"),
    ],
)
def test_instance_without_node_port_is_an_error_with_fix_hint(type_, port_spec):
    with pytest.raises(Ingress2CfnError) as exc:
        one_stack(_ing(), service(ports=[port_spec], type_=type_))
    msg = str(exc.value)
    assert "TargetGroup port is empty. When using Instance targets, your service be must of type 'NodePort' or 'LoadBalancer'" in msg
    assert "Fix:" in msg and "nodePort" in msg and "target-type: ip" in msg
    assert "Service default/svc" in msg


@pytest.mark.parametrize(
    "class_ann, svc_ann, expected",
    [
        pytest.param(None, None, "instance", id="default-instance"),
        pytest.param("ip", None, "ip", id="ingress-ip"),
        pytest.param(None, "ip", "ip", id="service-ip"),
        pytest.param("ip", "instance", "instance", id="service-beats-ingress-instance"),
        pytest.param("instance", "ip", "ip", id="service-beats-ingress-ip"),
    ],
)
def test_target_type_precedence(class_ann, svc_ann, expected):
    tg = _tg(_ing({"target-type": class_ann} if class_ann else None), service(annotations={"target-type": svc_ann} if svc_ann else None))
    assert tg.target_type is TargetType(expected)
    assert tg.port == (30080 if expected == "instance" else 8080)


# ------------------------------------------------------------------ §7.2 / §4.4 health checks

DEFAULT_HC = HealthCheck(
    port="traffic-port", protocol="HTTP", path="/", interval=15, timeout=5, healthy=2, unhealthy=2, matcher_field="HttpCode", matcher="200"
)


def test_health_check_defaults():
    tg = _tg(_ing(), service())
    assert tg.health_check == DEFAULT_HC
    assert (tg.protocol, tg.protocol_version, tg.ip_address_type, tg.attributes) == ("HTTP", "HTTP1", "ipv4", ())
    assert tg.health_check_rule_port is None


def test_health_check_defaults_in_template():
    tpl = template(_ing(), service())
    (props,) = [r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup").values()]
    got = {
        k: props[k]
        for k in (
            "TargetType",
            "Port",
            "Protocol",
            "ProtocolVersion",
            "IpAddressType",
            "VpcId",
            "HealthCheckEnabled",
            "HealthCheckPort",
            "HealthCheckProtocol",
            "HealthCheckPath",
            "HealthCheckIntervalSeconds",
            "HealthCheckTimeoutSeconds",
            "HealthyThresholdCount",
            "UnhealthyThresholdCount",
            "Matcher",
        )
    }
    assert got == {
        "TargetType": "instance",
        "Port": 30080,
        "Protocol": "HTTP",
        "ProtocolVersion": "HTTP1",
        "IpAddressType": "ipv4",
        "VpcId": "vpc-test",
        "HealthCheckEnabled": True,
        "HealthCheckPort": "traffic-port",
        "HealthCheckProtocol": "HTTP",
        "HealthCheckPath": "/",
        "HealthCheckIntervalSeconds": 15,
        "HealthCheckTimeoutSeconds": 5,
        "HealthyThresholdCount": 2,
        "UnhealthyThresholdCount": 2,
        "Matcher": {"HttpCode": "200"},
    }
    assert "TargetGroupAttributes" not in props


@pytest.mark.parametrize(
    "key, value, changes",
    [
        pytest.param("healthcheck-port", "8081", {"port": "8081"}, id="hc-port-number"),
        pytest.param("healthcheck-port", "traffic-port", {}, id="hc-port-traffic-port"),
        pytest.param("healthcheck-protocol", "HTTPS", {"protocol": "HTTPS"}, id="hc-protocol"),
        pytest.param("backend-protocol", "HTTPS", {"protocol": "HTTPS"}, id="hc-protocol-follows-backend-protocol"),
        pytest.param("healthcheck-path", "/healthz", {"path": "/healthz"}, id="hc-path"),
        pytest.param("healthcheck-interval-seconds", "30", {"interval": 30}, id="hc-interval"),
        pytest.param("healthcheck-timeout-seconds", "10", {"timeout": 10}, id="hc-timeout"),
        pytest.param("healthy-threshold-count", "3", {"healthy": 3}, id="healthy-threshold"),
        pytest.param("unhealthy-threshold-count", "7", {"unhealthy": 7}, id="unhealthy-threshold"),
        pytest.param("success-codes", "200-299", {"matcher": "200-299"}, id="success-codes-range"),
        pytest.param("success-codes", "200,201", {"matcher": "200,201"}, id="success-codes-list"),
        pytest.param("backend-protocol-version", "HTTP2", {}, id="http2-keeps-http-defaults"),
        pytest.param("backend-protocol-version", "GRPC", {"path": "/AWS.ALB/healthcheck", "matcher_field": "GrpcCode", "matcher": "12"}, id="grpc-defaults"),
    ],
)
@pytest.mark.parametrize("where", ["ingress", "service"])
def test_health_check_annotation(key, value, changes, where):
    ann = {key: value}
    objs = (_ing(ann), service()) if where == "ingress" else (_ing(), service(annotations=ann))
    tg = _tg(*objs)
    expected = {**msgspec.structs.asdict(DEFAULT_HC), **changes}
    assert msgspec.structs.asdict(tg.health_check) == expected


@pytest.mark.parametrize(
    "ann, protocol, version",
    [
        pytest.param({}, "HTTP", "HTTP1", id="defaults"),
        pytest.param({"backend-protocol": "HTTPS"}, "HTTPS", "HTTP1", id="https"),
        pytest.param({"backend-protocol-version": "HTTP2"}, "HTTP", "HTTP2", id="http2"),
        pytest.param({"backend-protocol": "HTTPS", "backend-protocol-version": "GRPC"}, "HTTPS", "GRPC", id="https-grpc"),
    ],
)
def test_backend_protocol_and_version(ann, protocol, version):
    tg = _tg(_ing(ann), service())
    assert (tg.protocol, tg.protocol_version) == (protocol, version)


def test_grpc_success_codes_override_and_template_matcher():
    tpl = template(_ing({"backend-protocol-version": "GRPC", "success-codes": "0-5"}), service())
    (props,) = [r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup").values()]
    assert props["Matcher"] == {"GrpcCode": "0-5"}
    assert props["HealthCheckPath"] == "/AWS.ALB/healthcheck"
    assert props["ProtocolVersion"] == "GRPC"


def test_grpc_default_matcher_in_template():
    tpl = template(_ing({"backend-protocol-version": "GRPC"}), service())
    (props,) = [r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup").values()]
    assert props["Matcher"] == {"GrpcCode": "12"}


@pytest.mark.parametrize(
    "ing_ann, svc_ann, attribute, expected",
    [
        pytest.param({"healthcheck-path": "/ing"}, {"healthcheck-path": "/svc"}, "path", "/svc", id="path-service-wins"),
        pytest.param({"healthcheck-path": "/ing"}, {}, "path", "/ing", id="path-ingress-when-service-silent"),
        pytest.param({"success-codes": "200-399"}, {"success-codes": "204"}, "matcher", "204", id="codes-service-wins"),
        pytest.param({"healthcheck-interval-seconds": "20"}, {"healthcheck-interval-seconds": "25"}, "interval", 25, id="interval-service-wins"),
        pytest.param({"healthcheck-protocol": "HTTPS"}, {"healthcheck-protocol": "HTTP"}, "protocol", "HTTP", id="protocol-service-wins"),
    ],
)
def test_service_annotation_beats_ingress_annotation(ing_ann, svc_ann, attribute, expected):
    tg = _tg(_ing(ing_ann), service(annotations=svc_ann or None))
    assert getattr(tg.health_check, attribute) == expected


@pytest.mark.parametrize(
    "ing_attrs, svc_attrs, expected",
    [
        pytest.param("deregistration_delay.timeout_seconds=30", None, (("deregistration_delay.timeout_seconds", "30"),), id="ingress-only"),
        pytest.param(
            None, "stickiness.enabled=true,stickiness.type=lb_cookie", (("stickiness.enabled", "true"), ("stickiness.type", "lb_cookie")), id="service-only"
        ),
        pytest.param("a.b=1,c.d=2", "c.d=3", (("c.d", "3"),), id="service-wins-as-a-whole-no-key-merge"),
        pytest.param(
            "slow_start.duration_seconds=30,load_balancing.algorithm.type=least_outstanding_requests",
            None,
            (("load_balancing.algorithm.type", "least_outstanding_requests"), ("slow_start.duration_seconds", "30")),
            id="passed-through",
        ),
    ],
)
def test_target_group_attributes(ing_attrs, svc_attrs, expected):
    tg = _tg(
        _ing({"target-group-attributes": ing_attrs} if ing_attrs else None), service(annotations={"target-group-attributes": svc_attrs} if svc_attrs else None)
    )
    assert tg.attributes == expected


def test_target_group_attributes_in_template():
    tpl = template(_ing({"target-group-attributes": "deregistration_delay.timeout_seconds=30,stickiness.enabled=true"}), service())
    (props,) = [r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup").values()]
    assert props["TargetGroupAttributes"] == [
        {"Key": "deregistration_delay.timeout_seconds", "Value": "30"},
        {"Key": "stickiness.enabled", "Value": "true"},
    ]


# ------------------------------------------------------------------ named healthcheck-port

HC_PORTS_NUMERIC = [
    {"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080},
    {"name": "health", "port": 81, "targetPort": 9090, "nodePort": 30081},
]
HC_PORTS_NAMED_TARGET = [
    {"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080},
    {"name": "health", "port": 81, "targetPort": "probe", "nodePort": 30081},
]


@pytest.mark.parametrize(
    "target_type, ports, hc_port",
    [
        pytest.param("instance", HC_PORTS_NUMERIC, "30081", id="instance-nodePort"),
        pytest.param("instance", HC_PORTS_NAMED_TARGET, "30081", id="instance-named-targetPort-still-nodePort"),
        pytest.param("ip", HC_PORTS_NUMERIC, "9090", id="ip-targetPort"),
    ],
)
def test_named_healthcheck_port(target_type, ports, hc_port):
    tg = _tg(_ing({"target-type": target_type, "healthcheck-port": "health"}), service(ports=ports))
    assert tg.health_check.port == hc_port
    assert tg.health_check_rule_port == int(hc_port)


@pytest.mark.parametrize(
    "target_type, ports, hc, message",
    [
        pytest.param(
            "ip",
            HC_PORTS_NAMED_TARGET,
            "health",
            "cannot use named healthCheckPort for IP TargetType when service's targetPort is a named port",
            id="ip-named-targetPort",
        ),
        pytest.param("instance", HC_PORTS_NUMERIC, "nope", "failed to resolve healthCheckPort", id="instance-unknown-name"),
        pytest.param("ip", HC_PORTS_NUMERIC, "nope", "failed to resolve healthCheckPort", id="ip-unknown-name"),
    ],
)
def test_named_healthcheck_port_errors(target_type, ports, hc, message):
    with pytest.raises(Ingress2CfnError) as exc:
        one_stack(_ing({"target-type": target_type, "healthcheck-port": hc}), service(ports=ports))
    assert message in str(exc.value)


# ------------------------------------------------------------------ invalid values


@pytest.mark.parametrize(
    "key, value, message",
    [
        pytest.param("target-type", "pod", "unknown targetType", id="target-type"),
        pytest.param("target-type", "IP", "unknown targetType", id="target-type-case-sensitive"),
        pytest.param("backend-protocol", "TCP", "backend protocol must be within [HTTP, HTTPS]", id="backend-protocol"),
        pytest.param("backend-protocol", "http", "backend protocol must be within [HTTP, HTTPS]", id="backend-protocol-case-sensitive"),
        pytest.param("backend-protocol-version", "HTTP3", "backend protocol version must be within [HTTP1, HTTP2, GRPC]", id="protocol-version"),
        pytest.param("healthcheck-protocol", "TCP", "healthCheckProtocol must be within [HTTP, HTTPS]", id="hc-protocol"),
        pytest.param("healthcheck-interval-seconds", "ten", "failed to parse int32", id="hc-interval-not-int"),
        pytest.param("healthy-threshold-count", "99999999999", "value out of range", id="healthy-overflow"),
        pytest.param("target-group-attributes", "novalue", "failed to parse stringMap annotation", id="attributes-bad-map"),
    ],
)
@pytest.mark.parametrize("where", ["ingress", "service"])
def test_invalid_target_group_annotation(key, value, message, where):
    objs = (_ing({key: value}), service()) if where == "ingress" else (_ing(), service(annotations={key: value}))
    with pytest.raises(Ingress2CfnError) as exc:
        one_stack(*objs)
    assert message in str(exc.value)
    assert ("Ingress default/web" if where == "ingress" else "Service default/svc") in str(exc.value)


# ------------------------------------------------------------------ IPv6


@pytest.mark.parametrize(
    "families, lb_type, expected",
    [
        pytest.param(None, "ipv4", "ipv4", id="no-families-ipv4"),
        pytest.param(["IPv4"], "dualstack", "ipv4", id="ipv4-service-on-dualstack"),
        pytest.param(["IPv6"], "dualstack", "ipv6", id="ipv6-on-dualstack"),
        pytest.param(["IPv6"], "dualstack-without-public-ipv4", "ipv6", id="ipv6-on-dualstack-without-public-ipv4"),
        pytest.param(["IPv4", "IPv6"], "dualstack", "ipv6", id="dual-family-service"),
    ],
)
def test_ip_address_type(families, lb_type, expected):
    ann = {"ip-address-type": lb_type} if lb_type != "ipv4" else None
    tg = _tg(_ing(ann), service(ip_families=families))
    assert tg.ip_address_type == expected


@pytest.mark.parametrize("families", [["IPv6"], ["IPv6", "IPv4"]], ids=["ipv6", "ipv6-ipv4"])
def test_ipv6_service_needs_dualstack_lb(families):
    with pytest.raises(Ingress2CfnError, match="unsupported IPv6 configuration, lb not dual-stack"):
        one_stack(_ing(), service(ip_families=families))


def test_ipv6_target_group_in_template():
    tpl = template(_ing({"ip-address-type": "dualstack"}), service(ip_families=["IPv6"]))
    (props,) = [r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup").values()]
    assert props["IpAddressType"] == "ipv6"


# ------------------------------------------------------------------ names


def test_name_matches_upstream_fixture():
    # pkg/ingress/model_builder_test.go: cluster-dummy, ns-1/ing-1, svc-1 port "http", nodePort 32768 → k8s-ns1-svc1-9889425938
    tg = _tg(
        ingress("ing-1", "ns-1", rules=[rule(None, path("/", "Prefix", "svc-1", "http"))]),
        service("svc-1", "ns-1", ports=[{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 32768}]),
        cluster="cluster-dummy",
        vpc_data=_vpc_without_cluster_tags(),
        node_security_group="sg-nodes",
        hash_service_uid=True,  # the controller's formula: the (here empty) uid is hashed
    )
    assert tg.name == "k8s-ns1-svc1-9889425938"


@pytest.mark.parametrize(
    "ann, port_spec, parts",
    [
        pytest.param(None, {"port": 80, "targetPort": 8080, "nodePort": 30080}, ("80", "30080", "instance", "HTTP", "HTTP1"), id="instance"),
        pytest.param({"target-type": "ip"}, {"port": 80, "targetPort": 8080, "nodePort": 30080}, ("80", "8080", "ip", "HTTP", "HTTP1"), id="ip"),
        pytest.param({"target-type": "ip"}, {"port": 80, "targetPort": "web"}, ("80", "1", "ip", "HTTP", "HTTP1"), id="ip-named-targetPort"),
        pytest.param(
            {"backend-protocol": "HTTPS", "backend-protocol-version": "GRPC"},
            {"port": 80, "nodePort": 30080},
            ("80", "30080", "instance", "HTTPS", "GRPC"),
            id="https-grpc",
        ),
    ],
)
def test_name_hash_inputs(ann, port_spec, parts):
    tg = _tg(_ing(ann, svc="my-service"), service("my-service", ports=[port_spec]))
    assert tg.name == _expected_name("default", "myservice", CLUSTER, "default/web", "default", "web", "default/my-service", *parts)
    assert len(tg.name) <= 32


@pytest.mark.parametrize(
    "uid, hash_uid, hashed",
    [
        pytest.param(None, False, "default/svc", id="no-uid-default-hashes-namespace-and-name"),
        pytest.param("0b6c1e6e-uid", False, "default/svc", id="uid-default-leaves-uid-out"),
        pytest.param(None, True, "", id="no-uid-flag-hashes-empty-uid-as-the-controller"),
        pytest.param("0b6c1e6e-uid", True, "0b6c1e6e-uid", id="uid-flag-hashes-uid"),
    ],
)
def test_hash_service_uid(uid, hash_uid, hashed):
    tg = _tg(_ing(), service(uid=uid), hash_service_uid=hash_uid)
    assert tg.name == _expected_name("default", "svc", CLUSTER, "default/web", "default", "web", hashed, "80", "30080", "instance", "HTTP", "HTTP1")


@pytest.mark.parametrize(
    "first, second",
    [("service-v1", "service-v2"), ("frontend-blue", "frontend-green"), ("checkout", "checkout-canary")],
)
def test_services_sharing_their_first_8_letters_get_different_names(first, second):
    """Issue 8 §1: the name hashes `<namespace>/<name>` when the uid is not hashed, so blue/green
    Services never collide (CloudFormation would fail with DuplicateTargetGroupName)."""
    a = _tg(_ing(svc=first), service(first))
    b = _tg(_ing(svc=second), service(second))
    assert a.name.rsplit("-", 1)[0] == b.name.rsplit("-", 1)[0]  # same k8s-<ns8>-<svc8> prefix...
    assert a.name != b.name  # ...different hash


# ------------------------------------------------------------------ §7.3 TargetGroupBinding


def _bindings(*objects, backend_sg=None, networking=True, **kw):
    stack = one_stack(*objects, **kw)
    return stack, render.bindings(stack, backend_sg, networking)


@pytest.mark.parametrize(
    "ann, port, ports, target_type, ref_port",
    [
        pytest.param(None, 80, None, "instance", 80, id="instance-by-number"),
        pytest.param(None, "http", NAMED, "instance", "http", id="instance-by-name"),
        pytest.param({"target-type": "ip"}, 80, None, "ip", 80, id="ip-by-number"),
    ],
)
def test_binding_document(ann, port, ports, target_type, ref_port):
    stack, docs = _bindings(_ing(ann, port=port), service(ports=ports))
    (tg,) = stack.target_groups
    (doc,) = docs
    assert doc["kind"] == "TargetGroupBinding" and doc["apiVersion"] == "elbv2.k8s.aws/v1beta1"
    assert doc["metadata"]["name"] == tg.name and doc["metadata"]["namespace"] == "default"
    assert doc["spec"] == {
        "targetGroupName": tg.name,
        "targetType": target_type,
        "serviceRef": {"name": "svc", "port": ref_port},
        "ipAddressType": "ipv4",
        "vpcID": "vpc-test",
        "targetGroupProtocol": "HTTP",
    }


def test_binding_namespace_is_the_service_namespace():
    _, docs = _bindings(ingress(namespace="shop"), service(namespace="shop"))
    assert docs[0]["metadata"]["namespace"] == "shop"


@pytest.mark.parametrize(
    "ann, ports, expected_ports",
    [
        pytest.param(None, None, [30080], id="instance-nodePort"),
        pytest.param({"target-type": "ip"}, None, [8080], id="ip-targetPort"),
        pytest.param({"target-type": "ip"}, [{"port": 80, "targetPort": "web"}], ["web"], id="ip-named-targetPort"),
        pytest.param({"healthcheck-port": "9000"}, None, [30080, 9000], id="instance-plus-health-port"),
        pytest.param({"healthcheck-port": "traffic-port"}, None, [30080], id="traffic-port-adds-nothing"),
    ],
)
def test_binding_networking_with_backend_security_group(ann, ports, expected_ports):
    _, docs = _bindings(_ing(ann), service(ports=ports), backend_sg="sg-backend")
    (doc,) = docs
    assert doc["spec"]["networking"] == {
        "ingress": [{"from": [{"securityGroup": {"groupID": "sg-backend"}}], "ports": [{"protocol": "TCP", "port": p} for p in expected_ports]}]
    }


def test_binding_has_no_networking_without_backend_security_group_id():
    _, docs = _bindings(_ing(), service(), backend_sg=None)
    assert "networking" not in docs[0]["spec"]


def test_binding_leaves_networking_out_unless_asked():
    """The cluster stack owns the node SG rules; a binding writes them only with --binding-networking."""
    _, docs = _bindings(_ing(), service(), backend_sg="sg-backend", networking=False)
    assert "networking" not in docs[0]["spec"]
    _, docs = _bindings(_ing(), service(), backend_sg="sg-backend", networking=True)
    assert docs[0]["spec"]["networking"]["ingress"][0]["from"] == [{"securityGroup": {"groupID": "sg-backend"}}]


def test_binding_has_no_networking_with_explicit_security_groups():
    _, docs = _bindings(_ing({"security-groups": "sg-extra"}), service(), backend_sg="sg-backend")
    assert "networking" not in docs[0]["spec"]


def test_one_binding_per_target_group():
    stack, docs = _bindings(
        ingress(rules=[rule(None, path("/a", "Prefix", "svc", "http"), path("/b", "Prefix", "svc", 80), path("/c", "Prefix", "svc", 80))]),
        service(ports=NAMED),
    )
    assert sorted(d["spec"]["serviceRef"]["port"] for d in docs if isinstance(d["spec"]["serviceRef"]["port"], int)) == [80]
    assert sorted(d["metadata"]["name"] for d in docs) == sorted(t.name for t in stack.target_groups)
    assert len(docs) == 2


def test_missing_service_yields_no_target_group_and_no_binding():
    stacks, _, _ = build(_ing(svc="ghost"))
    assert stacks[0].target_groups == ()
    assert render.bindings(stacks[0], "sg-backend") == []


@pytest.mark.parametrize(
    "ing_ann, svc_kw, message",
    [
        pytest.param({"target-type": "pod", "backend-protocol": "TCP"}, {}, "unknown targetType", id="target-type-before-protocol"),
        pytest.param({"backend-protocol": "TCP", "backend-protocol-version": "HTTP3"}, {}, "backend protocol must be within", id="protocol-before-version"),
        pytest.param(
            {"backend-protocol-version": "HTTP3", "healthcheck-protocol": "TCP"},
            {},
            "backend protocol version must be within",
            id="version-before-health-check",
        ),
        pytest.param(
            {},
            {"ip_families": ["IPv6"], "ports": [{"port": 80, "targetPort": 8080}]},
            "unsupported IPv6 configuration, lb not dual-stack",
            id="ip-address-type-before-empty-port",
        ),
    ],
)
def test_validation_order(ing_ann, svc_kw, message):
    with pytest.raises(Ingress2CfnError) as exc:
        one_stack(_ing(ing_ann), service(**svc_kw))
    assert message in str(exc.value)
