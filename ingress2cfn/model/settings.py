"""Run settings: the CLI flags, with the controller defaults of lbc-semantics §13."""

from __future__ import annotations

import msgspec

from ingress2cfn.model.quotas import DEFAULT_LIMITS, Limits

CONTROLLER = "ingress.k8s.aws/alb"
INTERNAL, INTERNET_FACING = "internal", "internet-facing"
SCHEMES = (INTERNAL, INTERNET_FACING)  # ALB and frontend NLB alike
DEFAULT_SCHEME = INTERNAL  # the controller's
CFN_DEFAULT_SCHEME = INTERNET_FACING  # a LoadBalancer resource without Scheme
DEFAULT_TARGET_TYPE = "instance"
DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08"


class Settings(msgspec.Struct, frozen=True):
    cluster: str
    ingress_class: str = "alb"
    default_namespace: str = "default"
    hash_service_uid: bool = False
    node_security_group: str | None = None
    vpc_id: str | None = None
    oidc_secret_prefix: str | None = None  # None: naming.default_oidc_secret_prefix(cluster)
    limits: Limits = DEFAULT_LIMITS
    split_by_quota: bool = False  # bin-pack an over-quota group onto several ALBs (split.py)
    enforce_alb_quotas: bool = True  # render fails on an over-quota group; lint reports it as a finding
