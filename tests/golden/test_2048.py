"""The issue's headline check: the 2048 sample renders, on stdout, a template cfn-lint accepts with
the ALB the controller would build."""

from __future__ import annotations

import yaml
from kit import cfn_lint

from ingress2cfn.cli import main
from tools.regenerate_templates import ROOT

ARGS = ["render", "-f", str(ROOT / "examples/2048/2048_full.yaml"), "--vpc", str(ROOT / "examples/2048/vpc.yaml"), "--cluster", "my-cluster"]


def _render(capsys) -> tuple[str, dict]:
    assert main(ARGS) == 0
    out = capsys.readouterr().out
    return out, yaml.safe_load(out)


def _of_type(tpl: dict, type_: str) -> dict:
    return {k: v for k, v in tpl["Resources"].items() if v["Type"] == type_}


def test_stdout_is_only_the_template_and_lints_clean(capsys):
    out, tpl = _render(capsys)
    assert tpl["AWSTemplateFormatVersion"] == "2010-09-09"
    assert cfn_lint(out) == []


def test_internet_facing_alb_on_one_tagged_public_subnet_per_az(capsys):
    _, tpl = _render(capsys)
    (lb,) = _of_type(tpl, "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
    props = lb["Properties"]
    assert props["Scheme"] == "internet-facing"
    assert props["Type"] == "application"
    vpc = yaml.safe_load((ROOT / "examples/2048/vpc.yaml").read_text())
    public = {
        s["SubnetId"]: s
        for s in vpc["Subnets"]
        if {"Key": "kubernetes.io/role/elb", "Value": "1"} in s["Tags"] and {"Key": "kubernetes.io/cluster/my-cluster", "Value": "shared"} in s["Tags"]
    }
    assert set(props["Subnets"]) <= set(public)
    azs = [public[s]["AvailabilityZone"] for s in props["Subnets"]]
    assert sorted(azs) == ["us-east-1a", "us-east-1b", "us-east-1c"]


def test_http_80_listener_404_and_one_catch_all_rule_to_ip_target_group(capsys):
    _, tpl = _render(capsys)
    (listener,) = _of_type(tpl, "AWS::ElasticLoadBalancingV2::Listener").values()
    assert listener["Properties"]["Port"] == 80 and listener["Properties"]["Protocol"] == "HTTP"
    assert listener["Properties"]["DefaultActions"] == [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]
    (rule,) = _of_type(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert rule["Properties"]["Priority"] == 1
    assert rule["Properties"]["Conditions"] == [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}]
    tg_id = rule["Properties"]["Actions"][0]["TargetGroupArn"]["Ref"]
    tg = tpl["Resources"][tg_id]
    assert tg["Metadata"]["ingress2cfn"]["service"] == "game-2048/service-2048:80"
    assert tg["Metadata"]["ingress2cfn"]["ingress"] == "game-2048/ingress-2048"
    p = tg["Properties"]
    assert p["TargetType"] == "ip"
    assert (
        p["HealthCheckPort"],
        p["HealthCheckPath"],
        p["HealthCheckIntervalSeconds"],
        p["HealthCheckTimeoutSeconds"],
        p["HealthyThresholdCount"],
        p["UnhealthyThresholdCount"],
        p["Matcher"],
    ) == ("traffic-port", "/", 15, 5, 2, 2, {"HttpCode": "200"})


def test_outputs_not_exports(capsys):
    _, tpl = _render(capsys)
    assert {"LoadBalancerArn", "LoadBalancerDNSName", "LoadBalancerCanonicalHostedZoneID"} <= set(tpl["Outputs"])
    assert all("Export" not in o for o in tpl["Outputs"].values())


def test_metadata_on_every_resource_names_group_and_sources(capsys):
    _, tpl = _render(capsys)
    for logical_id, resource in tpl["Resources"].items():
        meta = resource["Metadata"]["ingress2cfn"]
        assert meta["group"] == "game-2048/ingress-2048", logical_id
        assert meta["sources"] == ["game-2048/ingress-2048"], logical_id
    assert _of_type(tpl, "AWS::EC2::SecurityGroup")["ManagedSecurityGroup"]["Metadata"]["ingress2cfn"]["role"] == "frontend"
