"""Every name: AWS names by LBC's hash formulas, stack names, CloudFormation logical ids."""

from __future__ import annotations

import hashlib
import re

_NON_ALNUM = re.compile(r"[^a-zA-Z0-9]+")


def _sha256_hex(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
    return digest.hexdigest()


def _alnum(value: str, limit: int) -> str:
    return _NON_ALNUM.sub("", value)[:limit]


def _group_prefix(group_id: str, explicit: bool) -> str:
    if explicit:
        return f"k8s-{_alnum(group_id, 17)}"
    namespace, name = group_id.split("/", 1)
    return f"k8s-{_alnum(namespace, 8)}-{_alnum(name, 8)}"


# ELBv2 load balancer names (ALB and NLB): 1-32 alphanumerics and hyphens, no hyphen at either end,
# not starting with "internal-" (AWS CreateLoadBalancer; troposphere's elb_name validator is the same)
LOAD_BALANCER_NAME = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?")


def load_balancer_name_problem(name: str) -> str | None:
    """Why AWS would refuse `name` as a load balancer name, or None."""
    if len(name) > 32:
        return f"load balancer name cannot be longer than 32 characters: {name!r} has {len(name)}"
    if not LOAD_BALANCER_NAME.fullmatch(name):
        return f"not a valid load balancer name: {name!r} (1-32 letters, digits and hyphens, not starting or ending with a hyphen)"
    if name.lower().startswith("internal-"):
        return f"not a valid load balancer name: {name!r} (AWS reserves the prefix internal-)"
    return None


def load_balancer_name(cluster: str, group_id: str, explicit: bool, scheme: str) -> str:
    """LBC §8.1: the scheme is hashed, so changing it renames (replaces) the ALB."""
    return f"{_group_prefix(group_id, explicit)}-{_sha256_hex(cluster, group_id, scheme)[:10]}"


def shard_load_balancer_name(cluster: str, group_id: str, explicit: bool, scheme: str, shard: int) -> str:
    """--split-by-quota: the group's prefix, a hash that also covers the shard number."""
    digest = _sha256_hex(cluster, group_id, scheme, "\0shard", str(shard))
    return f"{_group_prefix(group_id, explicit)}-{digest[:10]}"


def shard_security_group_name(cluster: str, group_id: str, explicit: bool, shard: int) -> str:
    digest = _sha256_hex(cluster, group_id, "\0shard", str(shard))
    return f"{_group_prefix(group_id, explicit)}-{digest[:10]}"


def shard_stack_name(group_stack_name: str, shard: int) -> str:
    return f"{group_stack_name}-s{shard}"


def managed_security_group_name(cluster: str, group_id: str, explicit: bool) -> str:
    return f"{_group_prefix(group_id, explicit)}-{_sha256_hex(cluster, group_id)[:10]}"


def backend_security_group_name(cluster: str) -> str:
    return f"k8s-traffic-{_alnum(cluster, 232)}-{_sha256_hex(cluster)[:10]}"


def target_group_name(
    cluster: str,
    group_id: str,
    ingress_namespace: str,
    ingress_name: str,
    service_namespace: str,
    service_name: str,
    service_uid: str | None,
    port_ref: str,
    tg_port: int,
    target_type: str,
    protocol: str,
    protocol_version: str,
    target_control_port: int | None = None,
) -> str:
    """LBC §7.1. `service_uid` None (the default, no --hash-service-uid): the Service's
    `<namespace>/<name>` is hashed in the uid's place, so two Services whose names share their first
    8 characters (app-v1/app-v2) never share a name; a str (the flag): exactly the controller's
    formula, "" when the manifest has no uid."""
    identity = f"{service_namespace}/{service_name}" if service_uid is None else service_uid
    parts = [cluster, group_id, ingress_namespace, ingress_name, identity, port_ref, str(tg_port), target_type, protocol, protocol_version]
    if target_control_port is not None:
        parts.append(str(target_control_port))
    return f"k8s-{_alnum(service_namespace, 8)}-{_alnum(service_name, 8)}-{_sha256_hex(*parts)[:10]}"


# ---------------------------------------------------------------- stacks

STACK_PREFIX = "i2c"


def _stack_part(value: str, limit: int) -> str:
    part = re.sub(r"[^a-zA-Z0-9]+", "-", value).strip("-")
    return part[:limit].rstrip("-")


def stack_name_prefix(cluster: str) -> str:
    """What every stack name of `cluster` starts with (the prefix alone does not prove ownership:
    cluster `prod` is a prefix of `prod-eu`'s names)."""
    return f"{STACK_PREFIX}-{_stack_part(cluster, 40)}-"


def group_stack_name(cluster: str, group_id: str) -> str:
    """`i2c-<cluster>-<group>-<hash8>`: valid CloudFormation name (≤128, starts with a letter)."""
    digest = _sha256_hex(cluster, "\0", group_id)[:8]
    return f"{stack_name_prefix(cluster)}{_stack_part(group_id, 70)}-{digest}"


def cluster_stack_name(cluster: str) -> str:
    # "\0\0" cannot occur in a group stack's hash input (cluster, "\0", group id): no collision
    # with an explicit group named "cluster".
    digest = _sha256_hex(cluster, "\0\0cluster-stack")[:8]
    return f"{stack_name_prefix(cluster)}cluster-{digest}"


# ---------------------------------------------------------------- logical ids (Kubernetes identities only)


def _camel(value: str, limit: int) -> str:
    words = [w for w in _NON_ALNUM.split(value) if w]
    return "".join(w[:1].upper() + w[1:] for w in words)[:limit]


def _short_hash(*parts: str) -> str:
    return _sha256_hex("\x1f".join(parts))[:8].upper()


def listener_id(protocol: str, port: int) -> str:
    return f"Listener{protocol}{port}"


def rule_id(port: int, ingress_key: str, host: str, path: str, path_type: str, occurrence: int) -> str:
    name = ingress_key.split("/", 1)[1]
    return f"Rule{port}{_camel(name, 40)}{_short_hash(ingress_key, host, path, path_type, str(occurrence))}"


def target_group_id(ingress_key: str, service_name: str, port_ref: str) -> str:
    return f"TargetGroup{_camel(service_name, 40)}{_short_hash(ingress_key, service_name, port_ref)}"


def listener_certificate_id(port: int, arn: str) -> str:
    return f"ListenerCertificate{port}{_short_hash(arn)}"


def node_ingress_id(from_port: int, to_port: int) -> str:
    return f"NodeIngressTcp{from_port}" if from_port == to_port else f"NodeIngressTcp{from_port}To{to_port}"


# ---------------------------------------------------------------- frontend NLB (§4.6, LBC model_build_frontend_nlb.go)

FRONTEND_NLB_ID = "FrontendNlb"


def frontend_nlb_name(alb_name: str) -> str:
    """LBC buildFrontendNlbName: the ALB's name cut to 28 characters, plus `-nlb`."""
    return f"{alb_name[:28]}-nlb"


def frontend_nlb_target_group_name(cluster: str, group_id: str, explicit: bool, nlb_port: int, hc_port: str, hc_protocol: str) -> str:
    """LBC buildFrontendNlbTargetGroupName: SHA-256 over cluster, group id, NLB port, `alb`, `TCP`,
    health-check port and protocol."""
    return f"{_group_prefix(group_id, explicit)}-{_sha256_hex(cluster, group_id, str(nlb_port), 'alb', 'TCP', hc_port, hc_protocol)[:10]}"


def frontend_nlb_listener_id(nlb_port: int) -> str:
    return f"FrontendNlbListenerTcp{nlb_port}"


def frontend_nlb_target_group_id(nlb_port: int) -> str:
    return f"FrontendNlbTargetGroupTcp{nlb_port}"


def frontend_nlb_resource_tag(kind: str, nlb_port: int | None = None) -> str:
    """LBC buildFrontendNlbResourceID: `FrontendNlb`, `FrontendNlb-ls-TCP-80`, `FrontendNlb-tg-TCP-80`."""
    return FRONTEND_NLB_ID if nlb_port is None else f"{FRONTEND_NLB_ID}-{kind}-TCP-{nlb_port}"


# load balancer add-ons (§4.9): at most one of each per ALB, so fixed ids
WAFV2_ASSOCIATION_ID = "WAFv2WebACLAssociation"
WAF_REGIONAL_ASSOCIATION_ID = "WAFRegionalWebACLAssociation"
SHIELD_PROTECTION_ID = "ShieldProtection"
# the controller's name for the protections it creates (pkg/deploy/shield/protection_synthesizer.go)
SHIELD_PROTECTION_NAME = "managed by aws-load-balancer-controller"


# ---------------------------------------------------------------- Secrets Manager (OIDC client credentials)

SECRETS_MANAGER_NAME = re.compile(r"[A-Za-z0-9/_+=.@-]{1,512}")


def default_oidc_secret_prefix(cluster: str) -> str:
    return f"ingress2cfn/{cluster}/"


def oidc_secret_name(prefix: str, namespace: str, secret_name: str) -> str:
    """The Secrets Manager secret holding the OIDC client of Kubernetes Secret namespace/secret_name:
    `<prefix><namespace>/<secretName>`, prefix default `ingress2cfn/<cluster>/`."""
    return f"{prefix}{namespace}/{secret_name}"
