"""§8.1 / §7.1 / §9.4 / §9.5 AWS names, stack names and logical ids (ingress2cfn.naming); §10 tags."""

from __future__ import annotations

import hashlib
import re

import pytest
import yaml
from kit import CLUSTER, build, ingress, one_stack, path, render, resources_of, rule, service, template

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model import naming

PUBLIC = "subnet-pub1,subnet-pub2"  # explicit subnets: no cluster-tag filter, so any cluster name works
NODES = "sg-nodes"  # the default VPC tags its node SG for kit.CLUSTER only
STACK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
LOGICAL_ID = re.compile(r"^[A-Za-z0-9]+$")


def sha10(*parts: str) -> str:
    return hashlib.sha256("".join(parts).encode()).hexdigest()[:10]


def alnum(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", value)


def tags(resource) -> dict[str, str]:
    return {t.key: t.value for t in resource.tags}


def tracking(group: str, resource: str, cluster: str = CLUSTER) -> dict[str, str]:
    return {"elbv2.k8s.aws/cluster": cluster, "ingress.k8s.aws/stack": group, "ingress.k8s.aws/resource": resource}


# ---------------------------------------------------------------- §8.1 load balancer names


@pytest.mark.parametrize(
    "cluster, group, explicit, scheme, expected",
    [
        ("", "awesome-ns/ing-1", False, "internet-facing", "k8s-awesomen-ing1-43b698093c"),
        ("", "explicit-group", True, "internal", "k8s-explicitgroup-5bf9e53c23"),
    ],
    ids=["implicit-reference-example", "explicit-reference-example"],
)
def test_load_balancer_name_reference_examples(cluster, group, explicit, scheme, expected):
    assert naming.load_balancer_name(cluster, group, explicit, scheme) == expected


def test_load_balancer_name_reference_example_through_the_pipeline():
    stack = one_stack(
        ingress("ing-1", namespace="awesome-ns", annotations={"scheme": "internet-facing", "subnets": PUBLIC}),
        service(namespace="awesome-ns"),
        cluster="",
        node_security_group=NODES,
    )
    assert stack.load_balancer.name == "k8s-awesomen-ing1-43b698093c"


def test_explicit_group_name_reference_example_through_the_pipeline():
    stack = one_stack(
        ingress(annotations={"group.name": "explicit-group", "scheme": "internal", "subnets": PUBLIC}), service(), cluster="", node_security_group=NODES
    )
    assert stack.load_balancer.name == "k8s-explicitgroup-5bf9e53c23"


@pytest.mark.parametrize(
    "cluster, namespace, name, group_name, scheme, prefix",
    [
        ("prod", "default", "web", None, "internal", "k8s-default-web"),
        ("prod", "very-long-namespace", "very.long.ingress.name", None, "internal", "k8s-verylong-verylong"),
        ("prod", "ns", "x", None, "internet-facing", "k8s-ns-x"),
        ("prod", "ns", "x", "a.b-c", "internal", "k8s-abc"),
        ("prod", "ns", "x", "this-is-a-really-long-group-name", "internal", "k8s-thisisareallylong"),
    ],
    ids=["short", "sanitised-and-truncated-to-8", "internet-facing", "explicit-sanitised", "explicit-truncated-to-17"],
)
def test_load_balancer_name_formula(cluster, namespace, name, group_name, scheme, prefix):
    annotations = {"scheme": scheme, "subnets": PUBLIC}
    if group_name:
        annotations["group.name"] = group_name
    stack = one_stack(ingress(name, namespace=namespace, annotations=annotations), service(namespace=namespace), cluster=cluster, node_security_group=NODES)
    group_id = group_name or f"{namespace}/{name}"
    assert stack.load_balancer.name == f"{prefix}-{sha10(cluster, group_id, scheme)}"
    assert len(stack.load_balancer.name) <= 32


def test_scheme_is_part_of_the_load_balancer_name():
    internal = one_stack(ingress(annotations={"scheme": "internal"}), service()).load_balancer.name
    public = one_stack(ingress(annotations={"scheme": "internet-facing"}), service()).load_balancer.name
    assert internal != public
    assert internal.rsplit("-", 1)[0] == public.rsplit("-", 1)[0] == "k8s-default-web"


def test_explicit_load_balancer_name_is_used_verbatim():
    assert one_stack(ingress(annotations={"load-balancer-name": "my-alb"}), service()).load_balancer.name == "my-alb"


# ---------------------------------------------------------------- §7.1 target group names


def _tg_stack(cluster: str = "cluster-dummy", uid: str | None = None, **kw):
    ing = ingress("ing-1", namespace="ns-1", annotations={"subnets": PUBLIC}, rules=[rule(None, path("/", "Prefix", "svc-1", "http"))])
    svc = service("svc-1", namespace="ns-1", ports=[{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 32768}], uid=uid)
    return one_stack(ing, svc, cluster=cluster, node_security_group=NODES, **kw)


def test_target_group_name_reference_example():
    assert (
        naming.target_group_name(
            "cluster-dummy",
            "ns-1/ing-1",
            "ns-1",
            "ing-1",
            "ns-1",
            "svc-1",
            "",
            "http",
            32768,
            "instance",
            "HTTP",
            "HTTP1",
        )
        == "k8s-ns1-svc1-9889425938"
    )


def test_target_group_name_reference_example_through_the_pipeline_with_the_flag():
    """--hash-service-uid and no uid in the manifest: exactly the controller's name."""
    (tg,) = _tg_stack(hash_service_uid=True).target_groups
    assert tg.name == "k8s-ns1-svc1-9889425938"


@pytest.mark.parametrize("uid", [None, "0b0c61a6-1d3d-4d8b-a2a2-3e3e3e3e3e3e"], ids=["no-uid", "uid-not-hashed-by-default"])
def test_target_group_name_hashes_service_namespace_and_name_by_default(uid):
    (tg,) = _tg_stack(uid=uid).target_groups
    assert tg.name == "k8s-ns1-svc1-" + sha10("cluster-dummy", "ns-1/ing-1", "ns-1", "ing-1", "ns-1/svc-1", "http", "32768", "instance", "HTTP", "HTTP1")


def test_target_group_name_with_hashed_service_uid():
    uid = "0b0c61a6-1d3d-4d8b-a2a2-3e3e3e3e3e3e"
    (tg,) = _tg_stack(uid=uid, hash_service_uid=True).target_groups
    assert tg.name == "k8s-ns1-svc1-" + sha10("cluster-dummy", "ns-1/ing-1", "ns-1", "ing-1", uid, "http", "32768", "instance", "HTTP", "HTTP1")


# ---------------------------------------------------------------- §9.4 / §9.5 security group names


@pytest.mark.parametrize(
    "cluster, namespace, name, group_name, expected_prefix",
    [
        ("test-cluster", "default", "web", None, "k8s-default-web"),
        ("c", "awesome-namespace", "my.ingress-name", None, "k8s-awesomen-myingres"),
        ("c", "ns", "x", "explicit-group-with-long-name", "k8s-explicitgroupwith"),
    ],
    ids=["implicit", "implicit-sanitised-truncated", "explicit-sanitised-truncated"],
)
def test_managed_security_group_name_formula(cluster, namespace, name, group_name, expected_prefix):
    annotations = {"subnets": PUBLIC}
    if group_name:
        annotations["group.name"] = group_name
    stack = one_stack(ingress(name, namespace=namespace, annotations=annotations), service(namespace=namespace), cluster=cluster, node_security_group=NODES)
    group_id = group_name or f"{namespace}/{name}"
    sg = stack.load_balancer.managed_security_group
    assert sg.name == f"{expected_prefix}-{sha10(cluster, group_id)}"  # like the LB name, without the scheme
    assert sg.name != stack.load_balancer.name


@pytest.mark.parametrize(
    "cluster, expected_middle",
    [
        ("test-cluster", "testcluster"),
        ("my.cluster_1", "mycluster1"),
        ("", ""),
        ("x" * 300, "x" * 232),
    ],
    ids=["plain", "dots-and-underscores-removed", "empty", "truncated-to-232"],
)
def test_backend_security_group_name_formula(cluster, expected_middle):
    assert naming.backend_security_group_name(cluster) == f"k8s-traffic-{expected_middle}-{sha10(cluster)}"


def test_backend_security_group_in_the_cluster_stack():
    _, cluster_stack, _ = build(ingress(), service())
    assert cluster_stack.backend_security_group_name == f"k8s-traffic-testcluster-{sha10(CLUSTER)}"
    tpl = yaml.safe_load(render(ingress(), service()).cluster_template)
    (sg,) = resources_of(tpl, "AWS::EC2::SecurityGroup").values()
    assert sg["Properties"]["GroupName"] == f"k8s-traffic-testcluster-{sha10(CLUSTER)}"
    assert sg["Properties"]["GroupDescription"] == "[k8s] Shared Backend SecurityGroup for LoadBalancer"
    assert {t["Key"]: t["Value"] for t in sg["Properties"]["Tags"]} == {"elbv2.k8s.aws/cluster": CLUSTER, "elbv2.k8s.aws/resource": "backend-sg"}


# ---------------------------------------------------------------- stack names

AWKWARD = [
    ("plain", "prod", "default/web"),
    ("empty-cluster", "", "default/web"),
    ("long-cluster-and-group", "c" * 300, "n" * 63 + "/" + "m" * 253),
    ("dots-and-slashes", "my.cluster/eu-west-1", "team.a/shop.front-end"),
    ("explicit-group-with-dots", "arn:aws:eks:eu-west-1:123456789012:cluster/prod", "a.b.c"),
    ("digits-first", "123", "42"),
    ("only-punctuation", "---", "..."),
    ("underscores-and-case", "My_Cluster", "NS_x/Name_y"),
    ("unicode", "clüster", "ns/ñame"),
]


@pytest.mark.parametrize("cluster, group", [r[1:] for r in AWKWARD], ids=[r[0] for r in AWKWARD])
def test_stack_names_are_valid_cloudformation_names(cluster, group):
    for name in (naming.group_stack_name(cluster, group), naming.cluster_stack_name(cluster)):
        assert STACK_NAME.match(name), name
        assert len(name) <= 128, name


@pytest.mark.parametrize(
    "a, b",
    [
        (("prod", "default/web"), ("staging", "default/web")),
        (("a-b", "g"), ("a.b", "g")),
        (("a", "b-c"), ("a-b", "c")),
        (("c" * 300, "g"), ("c" * 301, "g")),
        (("c", "default/web"), ("c", "default/web.1")),
        (("c", "n" * 100 + "/x"), ("c", "n" * 100 + "/y")),
    ],
    ids=[
        "two-clusters-same-group",
        "clusters-equal-after-sanitising",
        "boundary-between-cluster-and-group",
        "clusters-equal-after-truncation",
        "groups-equal-after-sanitising",
        "groups-equal-after-truncation",
    ],
)
def test_stack_names_are_distinct(a, b):
    assert naming.group_stack_name(*a) != naming.group_stack_name(*b)


def test_cluster_stack_names_differ_per_cluster():
    assert naming.cluster_stack_name("a-b") != naming.cluster_stack_name("a.b")
    assert naming.cluster_stack_name("prod") != naming.group_stack_name("prod", "default/cluster")


def test_cluster_stack_name_never_equals_a_group_stack_name():
    assert naming.cluster_stack_name("prod") != naming.group_stack_name("prod", "cluster")


def test_stack_name_through_the_pipeline():
    stack = one_stack(ingress(annotations={"subnets": PUBLIC}), service(), cluster="arn:aws:eks:eu-west-1:123456789012:cluster/prod", node_security_group=NODES)
    assert STACK_NAME.match(stack.stack_name) and len(stack.stack_name) <= 128
    other = one_stack(ingress(annotations={"subnets": PUBLIC}), service(), cluster="staging", node_security_group=NODES)
    assert other.stack_name != stack.stack_name


# ---------------------------------------------------------------- logical ids


def _awkward_group():
    long_name = "a" * 150 + ".b-c"  # keeps the ingress.k8s.aws/resource tag value within 256
    objects = [
        ingress(
            long_name,
            namespace="team-x",
            annotations={
                "group.name": "g",
                "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
                "certificate-arn": "arn:aws:acm:us-east-1:1:certificate/a,arn:aws:acm:us-east-1:1:certificate/b",
            },
            rules=[
                rule("shop.example.com", path("/x.y", "Prefix", "svc-with-dashes-2", "http-port"), path("/x.y", "Prefix", "svc-with-dashes-2", "http-port")),
                rule("*.example.com", path("/", "Prefix", "s" * 63, 80)),
            ],
        ),
        ingress("other", namespace="team-x", annotations={"group.name": "g"}, rules=[rule(None, path("/", "Prefix", "s" * 63, 80))]),
        service("svc-with-dashes-2", namespace="team-x", ports=[{"name": "http-port", "port": 80, "targetPort": 8080, "nodePort": 30080}]),
        service("s" * 63, namespace="team-x"),
    ]
    return objects


def test_logical_ids_are_alphanumeric_and_at_most_255():
    tpl = template(*_awkward_group())
    ids = list(tpl["Resources"]) + list(tpl.get("Outputs", {})) + list(tpl.get("Parameters", {}))
    assert len(tpl["Resources"]) >= 10
    for logical_id in ids:
        assert LOGICAL_ID.match(logical_id), logical_id
        assert len(logical_id) <= 255, logical_id


def test_logical_ids_are_stable_across_runs_and_document_order():
    objects = _awkward_group()
    first = template(*objects)
    assert template(*objects) == first
    assert list(template(*reversed(objects))["Resources"]) == list(first["Resources"])


def test_adding_an_ingress_in_front_does_not_rename_existing_resources():
    a = ingress("a", annotations={"group.name": "g"}, rules=[rule(None, path("/a", "Prefix", "svc", 80), path("/b", "Exact", "svc", 80))])
    before = template(a, service())
    first = ingress("first", annotations={"group.name": "g", "group.order": "-1"}, rules=[rule(None, path("/z", "Prefix", "svc", 80))])
    after = template(first, a, service())
    assert set(before["Resources"]) < set(after["Resources"])
    # the rules kept their ids, only their priorities moved
    prio = {k: v["Properties"]["Priority"] for k, v in resources_of(after, "AWS::ElasticLoadBalancingV2::ListenerRule").items() if k in before["Resources"]}
    assert sorted(prio.values()) == [2, 3]


@pytest.mark.parametrize(
    "logical_id",
    [
        naming.listener_id("HTTPS", 443),
        naming.rule_id(443, "team.x/" + "a" * 253, "*.example.com", "/x.y", "Prefix", 0),
        naming.target_group_id("team.x/" + "a" * 253, "s" * 63, "http-port"),
        naming.listener_certificate_id(443, "arn:aws:acm:us-east-1:1:certificate/a"),
        naming.node_ingress_id(30000, 32767),
    ],
    ids=["listener", "rule", "target-group", "listener-certificate", "node-ingress"],
)
def test_logical_id_helpers(logical_id):
    assert LOGICAL_ID.match(logical_id) and len(logical_id) <= 255


def test_rule_ids_distinguish_repeated_paths():
    ids = {naming.rule_id(80, "ns/a", "h", "/p", "Prefix", n) for n in range(3)}
    assert len(ids) == 3


# ---------------------------------------------------------------- §10 tracking tags


def test_tracking_tags_on_every_resource_of_the_model():
    stack = one_stack(
        ingress(
            annotations={"listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]', "certificate-arn": "arn:aws:acm:us-east-1:1:certificate/a"},
            rules=[rule(None, path("/a", "Exact", "svc", 80), path("/b", "Exact", "svc", "http"))],
        ),
        service(ports=[{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]),
    )
    group = "default/web"
    assert tags(stack.load_balancer) == tracking(group, "LoadBalancer")
    assert tags(stack.load_balancer.managed_security_group) == tracking(group, "ManagedLBSecurityGroup")
    assert {ls.port: tags(ls) for ls in stack.listeners} == {80: tracking(group, "80"), 443: tracking(group, "443")}
    assert {(ls.port, r.priority): tags(r) for ls in stack.listeners for r in ls.rules} == {
        (80, 1): tracking(group, "80:1"),
        (80, 2): tracking(group, "80:2"),
        (443, 1): tracking(group, "443:1"),
        (443, 2): tracking(group, "443:2"),
    }
    assert sorted(tags(tg)["ingress.k8s.aws/resource"] for tg in stack.target_groups) == ["default/web-svc:80", "default/web-svc:http"]
    assert all(tags(tg) == tracking(group, tags(tg)["ingress.k8s.aws/resource"]) for tg in stack.target_groups)


def test_tracking_tags_use_the_explicit_group_and_the_cluster():
    stack = one_stack(
        ingress("web", namespace="shop", annotations={"group.name": "store", "subnets": PUBLIC}),
        service(namespace="shop"),
        cluster="prod-eu",
        node_security_group=NODES,
    )
    assert tags(stack.load_balancer) == tracking("store", "LoadBalancer", "prod-eu")
    (tg,) = stack.target_groups
    assert tags(tg) == tracking("store", "shop/web-svc:80", "prod-eu")


def test_tracking_tags_rendered_on_every_taggable_resource():
    tpl = template(ingress(annotations={"tags": "team=a"}), service())
    expected_resource = {
        "AWS::ElasticLoadBalancingV2::LoadBalancer": "LoadBalancer",
        "AWS::EC2::SecurityGroup": "ManagedLBSecurityGroup",
        "AWS::ElasticLoadBalancingV2::Listener": "80",
        "AWS::ElasticLoadBalancingV2::ListenerRule": "80:1",
        "AWS::ElasticLoadBalancingV2::TargetGroup": "default/web-svc:80",
    }
    for type_, resource_id in expected_resource.items():
        (res,) = resources_of(tpl, type_).values()
        rendered = {t["Key"]: t["Value"] for t in res["Properties"]["Tags"]}
        assert rendered == {**tracking("default/web", resource_id), "team": "a"}, type_


def test_tracking_tags_win_over_user_tags():
    stack = one_stack(ingress(annotations={"tags": "ingress.k8s.aws/resource=mine,elbv2.k8s.aws/cluster=other,team=a"}), service())
    assert tags(stack.load_balancer) == {**tracking("default/web", "LoadBalancer"), "team": "a"}


# ---------------------------------------------------------------- §10 user tags across a group


def _tagged_group():
    a = ingress("a", annotations={"group.name": "g", "tags": "team=shop,env=prod"}, rules=[rule(None, path("/a", "Exact", "svc", 80))])
    b = ingress(
        "b",
        annotations={"group.name": "g", "tags": "cost=42,env=prod", "listen-ports": '[{"HTTP": 80}, {"HTTP": 8080}]'},
        rules=[rule(None, path("/b", "Exact", "svc", 80))],
    )
    c = ingress("c", annotations={"group.name": "g"}, rules=[rule(None, path("/c", "Exact", "svc", 80))])
    return one_stack(a, b, c, service())


def _user(resource) -> dict[str, str]:
    return {k: v for k, v in tags(resource).items() if k not in ("elbv2.k8s.aws/cluster", "ingress.k8s.aws/stack", "ingress.k8s.aws/resource")}


def test_group_tags_are_the_union_of_member_tags():
    stack = _tagged_group()
    union = {"team": "shop", "env": "prod", "cost": "42"}
    assert _user(stack.load_balancer) == union
    assert _user(stack.load_balancer.managed_security_group) == union


def test_listener_tags_are_the_union_over_members_on_that_port():
    listeners = {ls.port: ls for ls in _tagged_group().listeners}
    assert _user(listeners[80]) == {"team": "shop", "env": "prod", "cost": "42"}
    assert _user(listeners[8080]) == {"cost": "42", "env": "prod"}


def test_rule_tags_are_the_owning_members_tags():
    listeners = {ls.port: ls for ls in _tagged_group().listeners}
    assert [(r.source, _user(r)) for r in listeners[80].rules] == [
        ("default/a", {"team": "shop", "env": "prod"}),
        ("default/b", {"cost": "42", "env": "prod"}),
        ("default/c", {}),
    ]
    assert [(r.source, _user(r)) for r in listeners[8080].rules] == [("default/b", {"cost": "42", "env": "prod"})]


def test_conflicting_tag_names_both_ingresses_and_values():
    with pytest.raises(Ingress2CfnError) as exc:
        build(
            ingress("a", annotations={"group.name": "g", "tags": "team=shop"}), ingress("b", annotations={"group.name": "g", "tags": "team=search"}), service()
        )
    text = str(exc.value)
    assert "conflicting tag team: shop | search" in text
    assert "Ingress default/a" in text and "Ingress default/b" in text


def test_same_tag_same_value_is_not_a_conflict():
    stack = one_stack(
        ingress("a", annotations={"group.name": "g", "tags": "team=shop"}), ingress("b", annotations={"group.name": "g", "tags": " team = shop "}), service()
    )
    assert _user(stack.load_balancer) == {"team": "shop"}


@pytest.mark.parametrize(
    "ingress_tags, service_tags, expected",
    [
        ("team=ing,env=dev", "team=svc,owner=x", {"team": "svc", "env": "dev", "owner": "x"}),
        ("team=ing", None, {"team": "ing"}),
        (None, "team=svc", {"team": "svc"}),
        (None, None, {}),
        ("a=1,b=2", "b=3", {"a": "1", "b": "3"}),
    ],
    ids=["service-wins-per-key", "ingress-only", "service-only", "none", "merge-not-replace"],
)
def test_target_group_tags_service_wins_per_key(ingress_tags, service_tags, expected):
    stack = one_stack(
        ingress(annotations={"tags": ingress_tags} if ingress_tags else None),
        service(annotations={"tags": service_tags} if service_tags else None),
    )
    (tg,) = stack.target_groups
    assert _user(tg) == expected
    # Service tags reach only target groups
    assert _user(stack.load_balancer) == ({} if ingress_tags is None else dict(kv.split("=") for kv in ingress_tags.split(",")))
