"""ELBv2: account limits (for `lint --quotas-from-aws`); the deployer's look at a load balancer (DNS name)
and `destroy --delete-load-balancer`; the resources the controller made for a group (adoption,
`plan --import-existing`)."""

from __future__ import annotations

from typing import Any

from ingress2cfn.aws.clients import AwsClients, calling
from ingress2cfn.model.lbc_resources import (
    LISTENER,
    LISTENER_RULE,
    LOAD_BALANCER,
    SECURITY_GROUP,
    SECURITY_GROUP_INGRESS,
    TARGET_GROUP,
    FoundResources,
    LbcLookup,
    LbcResource,
)


def describe_account_limits(clients: AwsClients) -> list[dict[str, Any]]:
    """`elbv2 describe-account-limits`, every page: [{"Name": ..., "Max": "100"}, ...]."""
    limits: list[dict[str, Any]] = []
    for page in clients.client("elbv2").get_paginator("describe_account_limits").paginate():
        limits.extend(page.get("Limits", []))
    return limits


def account_limits(clients: AwsClients) -> list[dict[str, Any]]:
    """The account's ELBv2 limits in the clients' region; AwsError on failure."""
    return calling("reading ELBv2 account limits (elbv2 describe-account-limits)", lambda: describe_account_limits(clients))


# ------------------------------------------------------------------ adoption: what the controller made

TAGS_PER_CALL = 20  # describe-tags takes at most 20 ARNs


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in client.get_paginator(operation).paginate(**kwargs):
        out.extend(page.get(key, []))
    return out


def _by_name(client: Any, operation: str, key: str, name: str, not_found: str) -> list[dict[str, Any]]:
    """describe_load_balancers / describe_target_groups for one name; [] when it does not exist (a Names
    list fails as a whole when one is missing, so one name per call)."""
    from botocore.exceptions import ClientError

    try:
        return _pages(client, operation, key, Names=[name])
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == not_found:
            return []
        raise


def _tags_of(client: Any, arns: list[str]) -> dict[str, tuple[tuple[str, str], ...]]:
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for start in range(0, len(arns), TAGS_PER_CALL):
        for item in client.describe_tags(ResourceArns=arns[start : start + TAGS_PER_CALL]).get("TagDescriptions", []):
            out[item["ResourceArn"]] = tuple(sorted((t["Key"], t.get("Value", "")) for t in item.get("Tags", [])))
    return out


def _settings(item: dict[str, Any], *keys: str) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(item[k])) for k in keys if item.get(k) is not None)


def _find(clients: AwsClients, lookup: LbcLookup) -> FoundResources:
    from ingress2cfn.aws.ec2 import security_group_ingress_rules, security_groups_named

    elbv2 = clients.client("elbv2")
    lbs = [
        lb for name in sorted(set(lookup.load_balancers)) for lb in _by_name(elbv2, "describe_load_balancers", "LoadBalancers", name, "LoadBalancerNotFound")
    ]
    listeners = [ls for lb in lbs for ls in _pages(elbv2, "describe_listeners", "Listeners", LoadBalancerArn=lb["LoadBalancerArn"])]
    rules = [
        (ls["ListenerArn"], r) for ls in listeners for r in _pages(elbv2, "describe_rules", "Rules", ListenerArn=ls["ListenerArn"]) if not r.get("IsDefault")
    ]
    tgs = [tg for name in sorted(set(lookup.target_groups)) for tg in _by_name(elbv2, "describe_target_groups", "TargetGroups", name, "TargetGroupNotFound")]
    arns = (
        [lb["LoadBalancerArn"] for lb in lbs]
        + [ls["ListenerArn"] for ls in listeners]
        + [r["RuleArn"] for _, r in rules]
        + [tg["TargetGroupArn"] for tg in tgs]
    )
    tags = _tags_of(elbv2, arns)
    found = [
        LbcResource(LOAD_BALANCER, lb["LoadBalancerArn"], lb["LoadBalancerName"], tags.get(lb["LoadBalancerArn"], ()), settings=_settings(lb, "Scheme", "Type"))
        for lb in lbs
    ]
    found += [LbcResource(LISTENER, ls["ListenerArn"], None, tags.get(ls["ListenerArn"], ()), ls["LoadBalancerArn"], port=ls.get("Port")) for ls in listeners]
    found += [
        LbcResource(LISTENER_RULE, r["RuleArn"], None, tags.get(r["RuleArn"], ()), listener, priority=int(r["Priority"]))
        for listener, r in rules
        if str(r.get("Priority", "")).isdigit()
    ]
    found += [
        LbcResource(
            TARGET_GROUP,
            tg["TargetGroupArn"],
            tg["TargetGroupName"],
            tags.get(tg["TargetGroupArn"], ()),
            settings=_settings(tg, "Port", "Protocol", "TargetType", "VpcId", "ProtocolVersion", "IpAddressType"),
        )
        for tg in tgs
    ]
    for sg in security_groups_named(clients, lookup.security_groups):
        sg_tags = tuple(sorted((t["Key"], t.get("Value", "")) for t in sg.get("Tags", [])))
        found.append(LbcResource(SECURITY_GROUP, sg["GroupId"], sg.get("GroupName"), sg_tags, settings=_settings(sg, "VpcId")))
    for rule in security_group_ingress_rules(clients, lookup.rule_groups):
        found.append(LbcResource(SECURITY_GROUP_INGRESS, rule["SecurityGroupRuleId"], parent=rule["GroupId"], settings=_ingress_settings(rule)))
    return FoundResources(tuple(sorted(found, key=lambda r: (r.type, r.identifier))))


def _ingress_settings(rule: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A security group rule in the terms of AWS::EC2::SecurityGroupIngress properties."""
    out = {"IpProtocol": rule.get("IpProtocol"), "FromPort": rule.get("FromPort"), "ToPort": rule.get("ToPort")}
    out["SourceSecurityGroupId"] = (rule.get("ReferencedGroupInfo") or {}).get("GroupId")
    out["CidrIp"] = rule.get("CidrIpv4")
    out["CidrIpv6"] = rule.get("CidrIpv6")
    out["SourcePrefixListId"] = rule.get("PrefixListId")
    return tuple((k, str(v)) for k, v in out.items() if v is not None)


def find_lbc_resources(clients: AwsClients, lookup: LbcLookup) -> FoundResources:
    """The load balancers, their listeners and rules, the target groups and security groups named as
    in `lookup` (describe-load-balancers/-listeners/-rules/-target-groups/-tags, describe-security-groups;
    paginated), with their tags. Which of them belong to the group is decided in deploy.adopt."""
    return calling("looking up the controller's resources (elbv2 describe-*, ec2 describe-security-groups)", lambda: _find(clients, lookup))


def load_balancer(clients: AwsClients, arn: str) -> dict[str, Any] | None:
    """describe-load-balancers for one ARN; None when it is gone."""
    from botocore.exceptions import ClientError

    def call() -> dict[str, Any] | None:
        try:
            found = clients.client("elbv2").describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"]
        except ClientError as exc:
            if "LoadBalancerNotFound" in str(exc):
                return None
            raise
        return found[0] if found else None

    return calling(f"reading load balancer {arn} (elbv2 describe-load-balancers)", call)


def delete_load_balancer(clients: AwsClients, arn: str) -> None:
    """Deletion protection off first, then delete, then wait until it is gone."""
    elbv2 = clients.client("elbv2")
    calling(
        f"turning deletion protection off for {arn}",
        lambda: elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}]),
    )
    calling(f"deleting load balancer {arn}", lambda: elbv2.delete_load_balancer(LoadBalancerArn=arn))
    calling(f"waiting for load balancer {arn} to be deleted", lambda: elbv2.get_waiter("load_balancers_deleted").wait(LoadBalancerArns=[arn]))
