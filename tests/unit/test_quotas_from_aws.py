"""`lint --quotas-from-aws`: the account's ELBv2 limits (elbv2 describe-account-limits, paged)
read from a local moto server; --quota still wins; an AWS failure is a clean error."""

from __future__ import annotations

import json

import pytest
from lint_support import CLUSTER, SHADOWED, VPC

from ingress2cfn.aws import elbv2
from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main

ARGS = ["lint", "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "--format", "json"]


def test_account_limits_come_from_the_elbv2_api(aws):
    limits = {item["Name"]: item["Max"] for item in elbv2.account_limits(AwsClients(region="us-east-1"))}
    assert limits["rules-per-application-load-balancer"] == "100"
    assert limits["listeners-per-application-load-balancer"] == "50"


def test_lint_uses_the_live_limits_and_quota_overrides_win(aws, capsys):
    code = main([*ARGS, "--quotas-from-aws", "--quota", "listeners-per-alb=10"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    limits = json.loads(out)["limits"]
    assert limits["rules-per-alb"] == {"value": 100, "from": "aws"}
    assert limits["certificates-per-alb"] == {"value": 25, "from": "aws"}
    assert limits["listeners-per-alb"] == {"value": 10, "from": "--quota"}
    assert limits["name-length"] == {"value": 32, "from": "default"}  # not an account limit


def test_an_aws_failure_is_a_clean_error(aws, capsys, monkeypatch):
    from botocore.exceptions import ClientError

    def denied(clients):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "DescribeAccountLimits")

    monkeypatch.setattr(elbv2, "describe_account_limits", denied)
    code = main([*ARGS, "--quotas-from-aws"])
    out, err = capsys.readouterr()
    assert code == EXIT_INVALID
    assert out == ""
    assert "error: reading ELBv2 account limits (elbv2 describe-account-limits): An error occurred (AccessDenied)" in err
    assert "Traceback" not in err


def test_without_the_flag_aws_is_not_asked(capsys, monkeypatch):
    monkeypatch.setattr(elbv2, "account_limits", lambda *a, **k: pytest.fail("AWS asked"))
    assert main(ARGS) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["limits"]["rules-per-alb"]["from"] == "default"
