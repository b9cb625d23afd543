"""Render the load balancer add-ons and listener extras (build/addons.py, build/listener_extras.py).
No defaulting here: every value was decided by build/.

  wafv2-acl-arn               → AWS::WAFv2::WebACLAssociation (ResourceArn: Ref LoadBalancer)
  waf-acl-id / web-acl-id     → AWS::WAFRegional::WebACLAssociation
  shield-advanced-protection  → AWS::Shield::Protection
  ipam-ipv4-pool-id           → LoadBalancer Ipv4IpamPoolId
  minimum-load-balancer-capacity → LoadBalancer MinimumLoadBalancerCapacity
  mutual-authentication       → Listener MutualAuthentication
  listener-attributes.*       → Listener ListenerAttributes
"""

from __future__ import annotations

from typing import Any

from troposphere import Ref, shield, wafregional, wafv2
from troposphere import elasticloadbalancingv2 as elb

from ingress2cfn.model import naming
from ingress2cfn.model.stack import GroupStack, Listener, LoadBalancer, SecurityGroupRule
from ingress2cfn.render.common import meta

LOAD_BALANCER = "LoadBalancer"  # logical id of the ALB in a group template


def load_balancer_props(lb: LoadBalancer) -> dict[str, Any]:
    props: dict[str, Any] = {}
    if lb.ipv4_ipam_pool_id is not None:
        props["Ipv4IpamPoolId"] = lb.ipv4_ipam_pool_id
    if lb.minimum_capacity_units is not None:
        props["MinimumLoadBalancerCapacity"] = elb.MinimumLoadBalancerCapacity(CapacityUnits=lb.minimum_capacity_units)
    return props


def listener_props(listener: Listener) -> dict[str, Any]:
    props: dict[str, Any] = {}
    mtls = listener.mutual_authentication
    if mtls is not None:
        config: dict[str, Any] = {"Mode": mtls.mode}
        if mtls.trust_store_arn is not None:
            config["TrustStoreArn"] = mtls.trust_store_arn
        if mtls.ignore_client_certificate_expiry is not None:
            config["IgnoreClientCertificateExpiry"] = mtls.ignore_client_certificate_expiry
        if mtls.advertise_trust_store_ca_names is not None:
            config["AdvertiseTrustStoreCaNames"] = mtls.advertise_trust_store_ca_names
        props["MutualAuthentication"] = elb.MutualAuthentication(**config)
    if listener.attributes:
        props["ListenerAttributes"] = [elb.ListenerAttribute(Key=k, Value=v) for k, v in listener.attributes]
    return props


def security_group_rule_source(rule: SecurityGroupRule) -> dict[str, str]:
    """The source of one managed SG ingress rule: a v4 CIDR, a v6 CIDR or a prefix list."""
    if rule.cidr_ipv4:
        return {"CidrIp": rule.cidr_ipv4}
    if rule.cidr_ipv6:
        return {"CidrIpv6": rule.cidr_ipv6}
    return {"SourcePrefixListId": rule.prefix_list_id or ""}


def addon_resources(stack: GroupStack) -> list:
    lb = stack.load_balancer
    out: list = []
    if lb.wafv2_acl_arn is not None:
        res = wafv2.WebACLAssociation(naming.WAFV2_ASSOCIATION_ID, ResourceArn=Ref(LOAD_BALANCER), WebACLArn=lb.wafv2_acl_arn)
        res.Metadata = meta(stack, stack.members, addon="wafv2-acl-arn")
        out.append(res)
    if lb.waf_regional_acl_id is not None:
        res = wafregional.WebACLAssociation(naming.WAF_REGIONAL_ASSOCIATION_ID, ResourceArn=Ref(LOAD_BALANCER), WebACLId=lb.waf_regional_acl_id)
        # WAF Classic is being retired: cfn-lint warns (W3696) on every use; build/addons.py warns the user instead
        res.Metadata = {**meta(stack, stack.members, addon="waf-acl-id"), "cfn-lint": {"config": {"ignore_checks": ["W3696"]}}}
        out.append(res)
    if lb.shield_protection:
        res = shield.Protection(naming.SHIELD_PROTECTION_ID, Name=naming.SHIELD_PROTECTION_NAME, ResourceArn=Ref(LOAD_BALANCER))
        res.Metadata = meta(stack, stack.members, addon="shield-advanced-protection")
        out.append(res)
    return out
