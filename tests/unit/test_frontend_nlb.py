"""Frontend NLB (lbc-semantics §4.6; LBC pkg/ingress/model_build_frontend_nlb.go): `enable-frontend-nlb`
and every `frontend-nlb-*` key, as CloudFormation properties. Validation errors are golden cases in
tests/errors/cases/frontend-nlb-*."""

from __future__ import annotations

import hashlib
import random

import kit
import pytest
import yaml
from kit import CLUSTER, ingress, resources_of, service

from ingress2cfn.model import naming

ON = {"enable-frontend-nlb": "true"}
GROUP = {"group.name": "shop"}
HTTP_HTTPS = {
    "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
    "certificate-arn": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-4000-8000-000000000001",
}

PUB = kit.LINT_PUBLIC_SUBNETS
PRIV = kit.LINT_PRIVATE_SUBNETS
DEFAULT_HC = {
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


def _render(*objects):
    return kit.render(*objects, vpc_data=kit.lint_vpc())


def _template(*objects) -> dict:
    result = _render(*objects)
    assert len(result.groups) == 1
    return yaml.safe_load(result.groups[0].template)


def _of(tpl: dict, type_: str, prefix: str) -> dict:
    return {k: v for k, v in resources_of(tpl, type_).items() if k.startswith(prefix)}


def _nlb(tpl: dict) -> dict:
    return tpl["Resources"]["FrontendNlb"]


def _tags(res: dict) -> dict:
    return {t["Key"]: t["Value"] for t in res["Properties"]["Tags"]}


def _sha10(*parts: str) -> str:
    return hashlib.sha256("".join(parts).encode()).hexdigest()[:10]


def _lint_clean(text: str) -> None:
    assert kit.cfn_lint(text) == []


# ------------------------------------------------------------------ the load balancer


@pytest.mark.parametrize(
    "ann, expected",
    [
        pytest.param(
            {"scheme": "internet-facing"},
            {
                "Type": "network",
                "Scheme": "internal",
                "IpAddressType": "ipv4",
                "SubnetMappings": [{"SubnetId": s} for s in PRIV],
                "SecurityGroups": [{"Ref": "ManagedSecurityGroup"}, {"Ref": "BackendSecurityGroupId"}],
            },
            id="defaults-controller-scheme-and-alb-security-groups",
        ),
        pytest.param(
            {"frontend-nlb-scheme": "internet-facing"},
            {"Scheme": "internet-facing", "SubnetMappings": [{"SubnetId": s} for s in PUB]},
            id="internet-facing-discovers-public-subnets",
        ),
        pytest.param(
            {
                "frontend-nlb-scheme": "internet-facing",
                "frontend-nlb-eip-allocations": "eipalloc-0a1b2c3d4e5f60001, eipalloc-0a1b2c3d4e5f60002,eipalloc-0a1b2c3d4e5f60003",
            },
            {"SubnetMappings": [{"SubnetId": s, "AllocationId": f"eipalloc-0a1b2c3d4e5f6000{i}"} for i, s in enumerate(PUB, start=1)]},
            id="eips-pair-with-discovered-subnets-by-id-order",
        ),
        pytest.param(
            {
                "frontend-nlb-scheme": "internet-facing",
                "frontend-nlb-subnets": f"{PUB[2]},public-us-east-1a",
                "frontend-nlb-eip-allocations": "eipalloc-0a1b2c3d4e5f60003,eipalloc-0a1b2c3d4e5f60001",
            },
            {
                "SubnetMappings": [
                    {"SubnetId": PUB[2], "AllocationId": "eipalloc-0a1b2c3d4e5f60003"},
                    {"SubnetId": PUB[0], "AllocationId": "eipalloc-0a1b2c3d4e5f60001"},
                ]
            },
            id="explicit-subnets-keep-annotation-order-for-eips",
        ),
        pytest.param(
            {"frontend-nlb-subnets": PRIV[1]},
            {"SubnetMappings": [{"SubnetId": PRIV[1]}]},
            id="one-subnet-is-enough-for-an-nlb",
        ),
        pytest.param(
            {"frontend-nlb-scheme": "internet-facing", "frontend-nlb-eip-allocations": ""},
            {"SubnetMappings": [{"SubnetId": s} for s in PUB]},
            id="empty-eip-list-is-no-eips",
        ),
        pytest.param(
            {"frontend-nlb-security-groups": "sg-0ccc0000000000003, office"},
            {"SecurityGroups": ["sg-0ccc0000000000003", "sg-0ccc0000000000002"]},
            id="explicit-security-groups-by-id-and-name-in-order",
        ),
        pytest.param(
            {"security-groups": "office"},
            {"SecurityGroups": ["sg-0ccc0000000000002"]},
            id="alb-explicit-security-groups-are-inherited",
        ),
        pytest.param(
            {"frontend-nlb-attributes": "load_balancing.cross_zone.enabled=true,dns_record.client_routing_policy=availability_zone_affinity"},
            {
                "LoadBalancerAttributes": [
                    {"Key": "dns_record.client_routing_policy", "Value": "availability_zone_affinity"},
                    {"Key": "load_balancing.cross_zone.enabled", "Value": "true"},
                ]
            },
            id="attributes",
        ),
        pytest.param(
            {"ip-address-type": "dualstack"},
            {"IpAddressType": "dualstack"},
            id="ip-address-type-of-the-alb",
        ),
    ],
)
def test_load_balancer_properties(ann, expected):
    tpl = _template(ingress(annotations={**ON, **ann}), service())
    props = _nlb(tpl)["Properties"]
    assert {k: props.get(k) for k in expected} == expected
    if "LoadBalancerAttributes" not in expected:
        assert "LoadBalancerAttributes" not in props


@pytest.mark.parametrize(
    "ann, alb_name",
    [
        pytest.param({}, None, id="generated-alb-name"),
        pytest.param({"load-balancer-name": "shop-frontend-production-eu-w1"}, "shop-frontend-production-eu-w1", id="explicit-30-chars"),
        pytest.param({"load-balancer-name": "abc"}, "abc", id="explicit-short"),
    ],
)
def test_name_is_the_alb_name_cut_to_28_plus_nlb(ann, alb_name):
    tpl = _template(ingress(annotations={**ON, **ann}), service())
    alb = tpl["Resources"]["LoadBalancer"]["Properties"]["Name"]
    if alb_name is not None:
        assert alb == alb_name
    name = _nlb(tpl)["Properties"]["Name"]
    assert name == alb[:28] + "-nlb"
    assert len(name) <= 32


def test_tags_default_to_the_alb_tags_with_their_own_resource_tag():
    tpl = _template(ingress(annotations={**ON, "tags": "team=shop,env=prod"}), service())
    base = {"team": "shop", "env": "prod", "elbv2.k8s.aws/cluster": CLUSTER, "ingress.k8s.aws/stack": "default/web"}
    assert _tags(_nlb(tpl)) == {**base, "ingress.k8s.aws/resource": "FrontendNlb"}
    assert _tags(tpl["Resources"]["FrontendNlbListenerTcp80"]) == {**base, "ingress.k8s.aws/resource": "FrontendNlb-ls-TCP-80"}
    assert _tags(tpl["Resources"]["FrontendNlbTargetGroupTcp80"]) == {**base, "ingress.k8s.aws/resource": "FrontendNlb-tg-TCP-80"}


def test_frontend_nlb_tags_replace_the_alb_tags():
    tpl = _template(ingress(annotations={**ON, "tags": "team=shop", "frontend-nlb-tags": "edge=true"}), service())
    tags = _tags(_nlb(tpl))
    assert tags["edge"] == "true" and "team" not in tags
    assert _tags(tpl["Resources"]["LoadBalancer"])["team"] == "shop"


def test_group_members_that_agree_or_stay_silent_do_not_conflict():
    a = ingress(
        "a",
        annotations={
            **GROUP,
            **ON,
            "frontend-nlb-scheme": "internet-facing",
            "frontend-nlb-tags": "edge=true",
            "frontend-nlb-attributes": "load_balancing.cross_zone.enabled=true",
        },
    )
    b = ingress("b", annotations={**GROUP, "frontend-nlb-scheme": "internet-facing", "frontend-nlb-tags": "edge=true"})
    tpl = _template(a, b, service())
    props = _nlb(tpl)["Properties"]
    assert props["Scheme"] == "internet-facing"
    assert props["LoadBalancerAttributes"] == [{"Key": "load_balancing.cross_zone.enabled", "Value": "true"}]


# ------------------------------------------------------------------ listeners and alb target groups


def test_each_alb_listener_port_maps_to_itself_by_default():
    tpl = _template(ingress(annotations={**ON, **HTTP_HTTPS}), service())
    listeners = _of(tpl, "AWS::ElasticLoadBalancingV2::Listener", "FrontendNlb")
    assert sorted(listeners) == ["FrontendNlbListenerTcp443", "FrontendNlbListenerTcp80"]
    for port, alb_listener in ((80, "ListenerHTTP80"), (443, "ListenerHTTPS443")):
        ls = listeners[f"FrontendNlbListenerTcp{port}"]["Properties"]
        assert ls == {
            **ls,
            "LoadBalancerArn": {"Ref": "FrontendNlb"},
            "Port": port,
            "Protocol": "TCP",
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": f"FrontendNlbTargetGroupTcp{port}"}}],
        }
        tg = tpl["Resources"][f"FrontendNlbTargetGroupTcp{port}"]
        assert tg["DependsOn"] == [alb_listener]
        props = tg["Properties"]
        expected = {
            "TargetType": "alb",
            "Protocol": "TCP",
            "Port": port,
            "IpAddressType": "ipv4",
            "VpcId": "vpc-0123456789abcdef0",
            "Targets": [{"Id": {"Ref": "LoadBalancer"}, "Port": port}],
            **DEFAULT_HC,
        }
        assert {k: props[k] for k in expected} == expected


@pytest.mark.parametrize(
    "ann, expected",
    [
        pytest.param({"frontend-nlb-listener-port-mapping": "8443=443"}, {8443: (443, "ListenerHTTPS443")}, id="one-mapped-port"),
        pytest.param(
            {"frontend-nlb-listener-port-mapping": "80=443,8080=80"}, {80: (443, "ListenerHTTPS443"), 8080: (80, "ListenerHTTP80")}, id="nlb-80-to-alb-443"
        ),
        pytest.param({"frontend-nlb-listener-port-mapping": "443=443,9000=9999"}, {443: (443, "ListenerHTTPS443")}, id="unknown-alb-port-skipped"),
        pytest.param(
            {"frontend-nlb-listener-port-mapping": ""}, {80: (80, "ListenerHTTP80"), 443: (443, "ListenerHTTPS443")}, id="empty-mapping-is-the-default"
        ),
    ],
)
def test_listener_port_mapping(ann, expected):
    tpl = _template(ingress(annotations={**ON, **HTTP_HTTPS, **ann}), service())
    listeners = _of(tpl, "AWS::ElasticLoadBalancingV2::Listener", "FrontendNlb")
    assert sorted(ls["Properties"]["Port"] for ls in listeners.values()) == sorted(expected)
    for nlb_port, (alb_port, alb_listener) in expected.items():
        tg = tpl["Resources"][naming.frontend_nlb_target_group_id(nlb_port)]
        # AWS: an alb-type target group's port is the ALB listener's; the NLB port only names it
        assert tg["Properties"]["Port"] == alb_port
        assert tg["Properties"]["Targets"] == [{"Id": {"Ref": "LoadBalancer"}, "Port": alb_port}]
        assert tg["DependsOn"] == [alb_listener]
        assert tg["Properties"]["Name"] == f"k8s-default-web-{_sha10(CLUSTER, 'default/web', str(nlb_port), 'alb', 'TCP', 'traffic-port', 'HTTP')}"


def test_mapping_to_a_port_the_ingress_does_not_listen_on_warns():
    result = _render(ingress(annotations={**ON, **HTTP_HTTPS, "frontend-nlb-listener-port-mapping": "9000=9999"}), service())
    assert any("frontend NLB port 9000 is not created: ALB port 9999 is not a listen port of this Ingress (80, 443)" in str(w) for w in result.warnings)


@pytest.mark.parametrize(
    "ann, expected",
    [
        pytest.param({}, {}, id="defaults"),
        pytest.param(
            {
                "frontend-nlb-healthcheck-port": "8080",
                "frontend-nlb-healthcheck-protocol": "HTTPS",
                "frontend-nlb-healthcheck-path": "/healthz",
                "frontend-nlb-healthcheck-interval-seconds": "10",
                "frontend-nlb-healthcheck-timeout-seconds": "6",
                "frontend-nlb-healthcheck-healthy-threshold-count": "3",
                "frontend-nlb-healthcheck-unhealthy-threshold-count": "4",
                "frontend-nlb-healthcheck-success-codes": "200-399",
            },
            {
                "HealthCheckPort": "8080",
                "HealthCheckProtocol": "HTTPS",
                "HealthCheckPath": "/healthz",
                "HealthCheckIntervalSeconds": 10,
                "HealthCheckTimeoutSeconds": 6,
                "HealthyThresholdCount": 3,
                "UnhealthyThresholdCount": 4,
                "Matcher": {"HttpCode": "200-399"},
            },
            id="every-key",
        ),
        pytest.param({"frontend-nlb-healthcheck-port": "traffic-port"}, {}, id="explicit-traffic-port"),
        pytest.param({"frontend-nlb-healthcheck-port": "+0443"}, {"HealthCheckPort": "443"}, id="port-parsed-as-int"),
    ],
)
def test_health_check(ann, expected):
    tpl = _template(ingress(annotations={**ON, **ann}), service())
    props = tpl["Resources"]["FrontendNlbTargetGroupTcp80"]["Properties"]
    want = {**DEFAULT_HC, **expected}
    assert {k: props[k] for k in want} == want
    # the health-check port and protocol enter the target group's name (LBC hashes them)
    assert props["Name"] == f"k8s-default-web-{_sha10(CLUSTER, 'default/web', '80', 'alb', 'TCP', want['HealthCheckPort'], want['HealthCheckProtocol'])}"


def test_health_check_merge_per_nlb_port_explicit_beats_default():
    # a sets the interval and listens on 80; b listens on 80 and 8080 without it
    a = ingress("a", annotations={**GROUP, **ON, "frontend-nlb-healthcheck-interval-seconds": "10"})
    b = ingress("b", annotations={**GROUP, "listen-ports": '[{"HTTP": 80}, {"HTTP": 8080}]', "frontend-nlb-healthcheck-path": "/b"})
    tpl = _template(a, b, service())
    p80 = tpl["Resources"]["FrontendNlbTargetGroupTcp80"]["Properties"]
    p8080 = tpl["Resources"]["FrontendNlbTargetGroupTcp8080"]["Properties"]
    assert (p80["HealthCheckIntervalSeconds"], p80["HealthCheckPath"]) == (10, "/b")
    assert (p8080["HealthCheckIntervalSeconds"], p8080["HealthCheckPath"]) == (15, "/b")
    assert tpl["Resources"]["FrontendNlbTargetGroupTcp80"]["Metadata"]["ingress2cfn"]["sources"] == ["default/a", "default/b"]
    assert tpl["Resources"]["FrontendNlbTargetGroupTcp8080"]["Metadata"]["ingress2cfn"]["sources"] == ["default/b"]


def test_two_members_setting_the_same_success_codes_agree():
    # LBC compares the matcher by pointer (a conflict there); equal values agree here
    a = ingress("a", annotations={**GROUP, **ON, "frontend-nlb-healthcheck-success-codes": "200"})
    b = ingress("b", annotations={**GROUP, "frontend-nlb-healthcheck-success-codes": "200"})
    tpl = _template(a, b, service())
    assert tpl["Resources"]["FrontendNlbTargetGroupTcp80"]["Properties"]["Matcher"] == {"HttpCode": "200"}


def test_target_group_name_of_an_explicit_group():
    tpl = _template(ingress("a", annotations={**GROUP, **ON}), service())
    assert (
        tpl["Resources"]["FrontendNlbTargetGroupTcp80"]["Properties"]["Name"]
        == f"k8s-shop-{_sha10(CLUSTER, 'shop', '80', 'alb', 'TCP', 'traffic-port', 'HTTP')}"
    )


def test_upstream_name_fixture_prefix():
    # LBC Test_buildFrontendNLBTargetGroupName "standard case"
    name = naming.frontend_nlb_target_group_name("test-cluster", "default/my-ingress", False, 80, "80", "TCP")
    assert "k8s-default-mying" in name  # what the upstream test asserts
    assert name == f"k8s-default-myingres-{_sha10('test-cluster', 'default/my-ingress', '80', 'alb', 'TCP', '80', 'TCP')}"


# ------------------------------------------------------------------ off, outputs, determinism, lint


@pytest.mark.parametrize("ann", [pytest.param({}, id="absent"), pytest.param({"enable-frontend-nlb": "false"}, id="false")])
def test_no_nlb_unless_enabled(ann):
    tpl = _template(ingress(annotations=ann), service())
    assert not [k for k in tpl["Resources"] if k.startswith("FrontendNlb")]
    assert not [k for k in tpl["Outputs"] if k.startswith("FrontendNlb")]


def test_frontend_nlb_keys_without_enable_warn_and_are_not_read():
    result = _render(ingress(annotations={"frontend-nlb-scheme": "bogus"}), service())
    assert any("alb.ingress.kubernetes.io/frontend-nlb-scheme has no effect" in str(w) for w in result.warnings)


def test_outputs():
    tpl = _template(ingress(annotations=ON), service())
    assert tpl["Outputs"]["FrontendNlbDNSName"]["Value"] == {"Fn::GetAtt": ["FrontendNlb", "DNSName"]}
    assert tpl["Outputs"]["FrontendNlbArn"]["Value"] == {"Ref": "FrontendNlb"}
    assert tpl["Outputs"]["FrontendNlbCanonicalHostedZoneID"]["Value"] == {"Fn::GetAtt": ["FrontendNlb", "CanonicalHostedZoneID"]}


def test_document_order_does_not_change_the_output():
    objects = [
        ingress("a", annotations={**GROUP, **ON, **HTTP_HTTPS}),
        ingress("b", annotations={**GROUP, "listen-ports": '[{"HTTP": 8080}]', "frontend-nlb-listener-port-mapping": "9090=8080"}),
        service(),
    ]
    first = _render(*objects).groups[0].template
    shuffled = list(objects)
    random.Random(7).shuffle(shuffled)
    assert _render(*shuffled).groups[0].template == first


@pytest.mark.parametrize(
    "objects",
    [
        pytest.param([ingress(annotations={**ON, **HTTP_HTTPS, "scheme": "internet-facing"}), service()], id="defaults"),
        pytest.param(
            [
                ingress(
                    annotations={
                        **ON,
                        **HTTP_HTTPS,
                        "frontend-nlb-scheme": "internet-facing",
                        "frontend-nlb-eip-allocations": "eipalloc-0a1b2c3d4e5f60001,eipalloc-0a1b2c3d4e5f60002,eipalloc-0a1b2c3d4e5f60003",
                        "frontend-nlb-security-groups": "office",
                        "frontend-nlb-attributes": "load_balancing.cross_zone.enabled=true",
                        "frontend-nlb-listener-port-mapping": "80=443",
                        "frontend-nlb-healthcheck-path": "/healthz",
                        "frontend-nlb-tags": "edge=true",
                    }
                ),
                service(),
            ],
            id="everything",
        ),
        pytest.param([ingress(annotations={**ON, "ip-address-type": "dualstack"}), service()], id="dualstack"),
    ],
)
def test_rendered_templates_lint_clean(objects):
    _lint_clean(_render(*objects).groups[0].template)


def test_dualstack_without_public_ipv4_is_passed_on_with_a_warning():
    # LBC copies the ALB's IpAddressType; AWS allows dualstack-without-public-ipv4 on ALBs only
    result = _render(ingress(annotations={**ON, "ip-address-type": "dualstack-without-public-ipv4", "scheme": "internet-facing"}), service())
    assert yaml.safe_load(result.groups[0].template)["Resources"]["FrontendNlb"]["Properties"]["IpAddressType"] == "dualstack-without-public-ipv4"
    assert any("AWS accepts that value for Application Load Balancers only" in str(w) for w in result.warnings)
