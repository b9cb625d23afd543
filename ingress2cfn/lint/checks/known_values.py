"""Known-value tables for the ALB checks, each in this one place. Each says which AWS page it was
taken from; when AWS adds a policy or an attribute, add it here (a missing name makes the check
report a value AWS accepts, so keep these complete rather than minimal)."""

from __future__ import annotations

# Elastic Load Balancing User Guide for Application Load Balancers, "Security policies for your
# Application Load Balancer" (describe-ssl-policies.html), all tables: TLS 1.3, FS, TLS 1.0-1.2,
# FIPS, post-quantum (PQ) and RFC 9151 policies; plus the three CNSA 2.0 policies AWS published for
# ELB in 2026-07 (the ELB names s2n-tls ships). `aws elbv2 describe-ssl-policies` lists the live set.
ALB_SSL_POLICIES: frozenset[str] = frozenset(
    {
        # recommended / TLS 1.3
        "ELBSecurityPolicy-TLS13-1-0-2021-06",
        "ELBSecurityPolicy-TLS13-1-1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        # post-quantum (hybrid ML-KEM key exchange)
        "ELBSecurityPolicy-TLS13-1-0-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
        # FIPS
        "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
        # FIPS + post-quantum
        "ELBSecurityPolicy-TLS13-1-0-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
        # RFC 9151 (CNSA 1.0), strict and interop
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-Ext0-RFC9151-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-3-RFC9151-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP1-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP2-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP3-FIPS-2023-07",
        "ELBSecurityPolicy-TLS13-1-2-RFC9151-INTEROP4-FIPS-2023-07",
        # CNSA 2.0 interop (2026-07)
        "ELBSecurityPolicy-TLS13-1-2-CNSA2-INTEROP2-FIPS-PQ-2026-07",
        "ELBSecurityPolicy-TLS13-1-2-CNSA2-INTEROP3-FIPS-PQ-2026-07",
        "ELBSecurityPolicy-TLS13-1-3-CNSA2-INTEROP1-FIPS-PQ-2026-07",
        # forward secrecy (FS)
        "ELBSecurityPolicy-FS-2018-06",
        "ELBSecurityPolicy-FS-1-1-2019-08",
        "ELBSecurityPolicy-FS-1-2-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2019-08",
        "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        # TLS 1.0 - 1.2 and the defaults of the CLI / CloudFormation / the controller
        "ELBSecurityPolicy-TLS-1-0-2015-04",
        "ELBSecurityPolicy-TLS-1-1-2017-01",
        "ELBSecurityPolicy-TLS-1-2-2017-01",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-2016-08",
        "ELBSecurityPolicy-2015-05",  # same ciphers as 2016-08; still accepted by elbv2
    }
)

# Elastic Load Balancing API Reference, "LoadBalancerAttribute" (Key): the attributes "supported by
# all load balancers", "by both Application Load Balancers and Network Load Balancers" and "by only
# Application Load Balancers" (as shipped in botocore 1.44's elbv2 model).
ALB_LOAD_BALANCER_ATTRIBUTES: frozenset[str] = frozenset(
    {
        # all load balancers
        "deletion_protection.enabled",
        "load_balancing.cross_zone.enabled",
        # ALB and NLB
        "access_logs.s3.enabled",
        "access_logs.s3.bucket",
        "access_logs.s3.prefix",
        "ipv6.deny_all_igw_traffic",
        "zonal_shift.config.enabled",
        # ALB only
        "idle_timeout.timeout_seconds",
        "client_keep_alive.seconds",
        "connection_logs.s3.enabled",
        "connection_logs.s3.bucket",
        "connection_logs.s3.prefix",
        "health_check_logs.s3.enabled",
        "health_check_logs.s3.bucket",
        "health_check_logs.s3.prefix",
        "routing.http.desync_mitigation_mode",
        "routing.http.drop_invalid_header_fields.enabled",
        "routing.http.preserve_host_header.enabled",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
        "routing.http.x_amzn_tls_kx.enabled",
        "routing.http.xff_client_port.enabled",
        "routing.http.xff_header_processing.mode",
        "routing.http2.enabled",
        "waf.fail_open.enabled",
    }
)

# Elastic Load Balancing API Reference, "TargetGroupAttribute" (Key): the attributes "supported by
# all load balancers", "by Application Load Balancers and Network Load Balancers" and "only if the
# load balancer is an Application Load Balancer and the target is an instance or an IP address".
ALB_TARGET_GROUP_ATTRIBUTES: frozenset[str] = frozenset(
    {
        # all load balancers
        "deregistration_delay.timeout_seconds",
        "stickiness.enabled",
        "stickiness.type",
        # ALB and NLB
        "load_balancing.cross_zone.enabled",
        "target_group_health.dns_failover.minimum_healthy_targets.count",
        "target_group_health.dns_failover.minimum_healthy_targets.percentage",
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
        # ALB, instance or ip targets
        "load_balancing.algorithm.type",
        "load_balancing.algorithm.anomaly_mitigation",
        "slow_start.duration_seconds",
        "stickiness.app_cookie.cookie_name",
        "stickiness.app_cookie.duration_seconds",
        "stickiness.lb_cookie.duration_seconds",
        "waf.http2.traffic_inspection_behavior",
        "routing.http2.rst_stream_error_forwarding.enabled",
    }
)

# Same page: the one attribute "supported only if the load balancer is an Application Load Balancer
# and the target is a Lambda function" (a Lambda target group also accepts the ones above).
ALB_LAMBDA_ONLY_TARGET_GROUP_ATTRIBUTES: frozenset[str] = frozenset({"lambda.multi_value_headers.enabled"})

# Elastic Load Balancing API Reference, "ListenerAttribute" (Key): "The following attributes are
# only supported by Application Load Balancers".
ALB_LISTENER_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name",
        "routing.http.request.x_amzn_mtls_clientcert_issuer.header_name",
        "routing.http.request.x_amzn_mtls_clientcert_subject.header_name",
        "routing.http.request.x_amzn_mtls_clientcert_validity.header_name",
        "routing.http.request.x_amzn_mtls_clientcert_leaf.header_name",
        "routing.http.request.x_amzn_mtls_clientcert.header_name",
        "routing.http.request.x_amzn_tls_version.header_name",
        "routing.http.request.x_amzn_tls_cipher_suite.header_name",
        "routing.http.response.server.enabled",
        "routing.http.response.strict_transport_security.header_value",
        "routing.http.response.access_control_allow_origin.header_value",
        "routing.http.response.access_control_allow_methods.header_value",
        "routing.http.response.access_control_allow_headers.header_value",
        "routing.http.response.access_control_allow_credentials.header_value",
        "routing.http.response.access_control_expose_headers.header_value",
        "routing.http.response.access_control_max_age.header_value",
        "routing.http.response.content_security_policy.header_value",
        "routing.http.response.x_content_type_options.header_value",
        "routing.http.response.x_frame_options.header_value",
    }
)

# Elastic Load Balancing User Guide for Application Load Balancers, "Listener rules" → "Condition
# types": the six Field values, and which may appear at most once per rule.
CONDITION_FIELDS: frozenset[str] = frozenset(
    {
        "host-header",
        "path-pattern",
        "http-header",
        "http-request-method",
        "query-string",
        "source-ip",
    }
)
SINGLE_CONDITION_FIELDS: frozenset[str] = frozenset({"host-header", "path-pattern", "http-request-method", "source-ip"})

# Same guide, "Health checks for Application Load Balancer target groups" (health check settings):
# the ranges and the defaults for instance / ip targets and for Lambda targets.
HEALTH_CHECK_RANGES: dict[str, tuple[int, int]] = {
    "HealthCheckIntervalSeconds": (5, 300),
    "HealthCheckTimeoutSeconds": (2, 120),
    "HealthyThresholdCount": (2, 10),
    "UnhealthyThresholdCount": (2, 10),
}
HEALTH_CHECK_DEFAULTS: dict[str, dict[str, int]] = {
    "instance": {"HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5},
    "ip": {"HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5},
    "lambda": {"HealthCheckIntervalSeconds": 35, "HealthCheckTimeoutSeconds": 30},
}
HEALTH_CHECK_PATH_MAX = 1024
# Same page, "SuccessCodes"/Matcher: HTTP codes 200-499 for ALB, gRPC codes 0-99.
MATCHER_RANGES: dict[str, tuple[int, int]] = {"HttpCode": (200, 499), "GrpcCode": (0, 99)}

# Same guide, "Listener rules" → "Action types", ForwardConfig: a target group weight is 0-999.
FORWARD_WEIGHT_RANGE: tuple[int, int] = (0, 999)

# Same guide, "Create an Application Load Balancer" / CreateLoadBalancer Name and CreateTargetGroup
# Name: alphanumeric characters and hyphens, not beginning or ending with a hyphen; a load
# balancer name must not begin with "internal-". (The 32-character limit is quotas.name-length.)
NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
