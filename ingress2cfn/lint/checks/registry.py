"""THE list of our checks: id, name, severity, title, description, the quota it reads, the
function. Ids are `I2C` + family digit + `0` + two digits; families: 1 quotas and names,
2 load balancer and listeners, 3 target groups, 4 rules and actions, 5 template size,
6 exposure and TLS (9 is the lint command's policy checks, `ingress2cfn/lint/policy.py`; I2C0001 is
the render warnings, which come from the render pipeline, not from a template:
`ingress2cfn/lint/render_warnings.py`).

The cfn-lint custom rules (`ingress2cfn/lint/cfnlint_rules`) are generated from this list: id
`I2C<f>0<nn>` becomes `<E|W|I>9<f><nn>` — cfn-lint's 9xxx range is reserved for user rules and
its first letter is the severity."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ingress2cfn.lint.checks import exposure, listeners, quotas, rules, target_groups, template_size
from ingress2cfn.lint.checks.context import CheckContext
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.model import quotas as quota_table

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741 (the cfn-lint letters)

_ID = re.compile(r"^I2C([1-8])0(\d\d)$")


@dataclass(frozen=True)
class Check:
    id: str
    name: str  # kebab-case, for SARIF / listings
    severity: Severity
    title: str  # one line
    description: str
    func: Callable[[CheckContext], Iterable[Finding]]
    quota: str | None = None  # name in ingress2cfn.quotas

    @property
    def cfn_lint_id(self) -> str:
        m = _ID.match(self.id)
        assert m is not None, self.id
        return f"{self.severity.value[0].upper()}9{m.group(1)}{m.group(2)}"


CHECKS: tuple[Check, ...] = (
    # 1 quotas and names
    Check(
        "I2C1001",
        "rules-per-alb",
        E,
        "Too many listener rules on one ALB",
        "Counts ListenerRules over all listeners of each ALB (default actions not counted) against the quota.",
        quotas.rules_per_alb,
        "rules-per-alb",
    ),
    Check(
        "I2C1002",
        "target-groups-per-alb",
        E,
        "Too many target groups on one ALB",
        "Counts the distinct target groups the ALB's listeners and rules forward to.",
        quotas.target_groups_per_alb,
        "target-groups-per-alb",
    ),
    Check(
        "I2C1003", "listeners-per-alb", E, "Too many listeners on one ALB", "Counts the listeners of each ALB.", quotas.listeners_per_alb, "listeners-per-alb"
    ),
    Check(
        "I2C1004",
        "certificates-per-alb",
        E,
        "Too many certificates on one ALB",
        "Counts ListenerCertificate certificates (each listener's default certificate not counted) over all listeners of each ALB.",
        quotas.certificates_per_alb,
        "certificates-per-alb",
    ),
    Check(
        "I2C1005",
        "condition-values-per-rule",
        E,
        "Too many condition values in one rule",
        "Counts the values of all conditions of a rule (host, path, header, method, query-string pairs, source IPs).",
        quotas.condition_values_per_rule,
        "condition-values-per-rule",
    ),
    Check(
        "I2C1006",
        "condition-wildcards-per-rule",
        E,
        "Too many wildcards in one rule",
        "Counts * and ? in the host, path, header and query-string values of a rule.",
        quotas.condition_wildcards_per_rule,
        "condition-wildcards-per-rule",
    ),
    Check(
        "I2C1007",
        "target-groups-per-action",
        E,
        "Too many target groups in one forward action",
        "Counts ForwardConfig.TargetGroups of each forward action.",
        quotas.target_groups_per_action,
        "target-groups-per-action",
    ),
    Check(
        "I2C1008",
        "name-length",
        E,
        "Load balancer or target group name too long",
        "Load balancer and target group names have at most 32 characters.",
        quotas.name_length,
        "name-length",
    ),
    Check(
        "I2C1009",
        "name-characters",
        E,
        "Load balancer or target group name not allowed",
        "Names hold letters, digits and hyphens, do not start or end with a hyphen; load balancer names do not start with internal-.",
        quotas.name_characters,
    ),
    # 2 load balancer and listeners
    Check(
        "I2C2001",
        "duplicate-priority",
        E,
        "Two rules with the same priority on one listener",
        "Rule priorities must be unique per listener; CloudFormation fails with PriorityInUse, and cfn-lint does not see it.",
        listeners.duplicate_priority,
    ),
    Check(
        "I2C2002",
        "listener-protocol",
        E,
        "ALB listener protocol not HTTP or HTTPS",
        "An Application Load Balancer listens on HTTP or HTTPS only.",
        listeners.listener_protocol,
    ),
    Check(
        "I2C2003",
        "ssl-policy",
        E,
        "Unknown SslPolicy",
        "The listener's SslPolicy is not one of the ALB security policies (ingress2cfn/lint/checks/known_values.py).",
        listeners.ssl_policy,
    ),
    Check(
        "I2C2004",
        "listener-attribute",
        E,
        "Unknown listener attribute",
        "A ListenerAttributes key that Application Load Balancers do not have.",
        listeners.listener_attributes,
    ),
    Check(
        "I2C2005",
        "load-balancer-attribute",
        E,
        "Unknown load balancer attribute",
        "A LoadBalancerAttributes key that Application Load Balancers do not have.",
        listeners.load_balancer_attributes,
    ),
    # 3 target groups
    Check(
        "I2C3001",
        "health-check-timeout",
        E,
        "Health-check timeout not below the interval",
        "HealthCheckTimeoutSeconds must be less than HealthCheckIntervalSeconds (AWS defaults fill in the one not written).",
        target_groups.health_check_timeout,
    ),
    Check(
        "I2C3002",
        "health-check-range",
        E,
        "Health-check setting out of range",
        "Interval 5-300, timeout 2-120, thresholds 2-10, port traffic-port or 1-65535, path starting with / (at most 1024 characters).",
        target_groups.health_check_ranges,
    ),
    Check(
        "I2C3003",
        "matcher",
        E,
        "Success codes not a code list or range",
        "Matcher.HttpCode is like 200, 200,202 or 200-299 within 200-499; GrpcCode within 0-99.",
        target_groups.matcher,
    ),
    Check(
        "I2C3004",
        "target-group-attribute",
        E,
        "Unknown target group attribute",
        "A TargetGroupAttributes key that target groups of an ALB do not have.",
        target_groups.target_group_attributes,
    ),
    Check(
        "I2C3005",
        "target-group-protocol",
        E,
        "ALB forwards to a non-HTTP(S) target group",
        "A target group an ALB listener forwards to has Protocol HTTP or HTTPS (or Lambda targets).",
        target_groups.target_group_protocol,
    ),
    # 4 rules and actions
    Check(
        "I2C4001",
        "rule-without-condition",
        E,
        "Listener rule without a condition",
        "A ListenerRule needs at least one condition.",
        rules.rule_without_condition,
    ),
    Check(
        "I2C4002",
        "condition-field",
        E,
        "Unknown condition field",
        "Condition Field is host-header, path-pattern, http-header, http-request-method, query-string or source-ip.",
        rules.unknown_condition_field,
    ),
    Check(
        "I2C4003",
        "repeated-condition",
        E,
        "Condition repeated in one rule",
        "A rule has at most one host-header, path-pattern, http-request-method and source-ip condition.",
        rules.repeated_condition_field,
    ),
    Check(
        "I2C4004",
        "forward-without-target",
        E,
        "Forward action without a target group",
        "A forward action names TargetGroupArn or ForwardConfig.TargetGroups.",
        rules.forward_without_target,
    ),
    Check("I2C4005", "forward-weight", E, "Forward weight out of range", "ForwardConfig target group weights are 0-999.", rules.forward_weights),
    Check(
        "I2C4006",
        "shadowed-rule",
        W,
        "Rule shadowed by an earlier rule",
        "An earlier rule (lower priority number) on the same listener, with only host and path conditions, matches every request "
        "this rule matches, so this rule never runs.",
        rules.shadowed_rule,
    ),
    # 5 template size
    Check(
        "I2C5001",
        "template-body-size",
        W,
        "Template needs an S3 upload",
        "Over the inline TemplateBody limit: the deployer must upload the template to S3 and pass TemplateURL.",
        template_size.template_body_size,
        "template-body-bytes",
    ),
    Check(
        "I2C5002",
        "template-url-size",
        E,
        "Template too large for CloudFormation",
        "Over the template size CloudFormation accepts even from S3.",
        template_size.template_url_size,
        "template-url-bytes",
    ),
    Check(
        "I2C5003",
        "resources-per-stack",
        E,
        "Too many resources in one stack",
        "CloudFormation stacks hold at most 500 resources.",
        template_size.resources_per_stack,
        "resources-per-stack",
    ),
    Check(
        "I2C5004",
        "outputs-per-stack",
        E,
        "Too many outputs in one stack",
        "CloudFormation stacks have at most 200 outputs.",
        template_size.outputs_per_stack,
        "outputs-per-stack",
    ),
    Check(
        "I2C5005",
        "parameters-per-stack",
        E,
        "Too many parameters in one stack",
        "CloudFormation stacks have at most 200 parameters.",
        template_size.parameters_per_stack,
        "parameters-per-stack",
    ),
    # 6 exposure and TLS
    Check(
        "I2C6001",
        "tls-without-certificate",
        W,
        "spec.tls hosts without a certificate",
        "An Ingress lists spec.tls hosts but no HTTPS listener with a certificate serves it: the controller silently serves HTTP. "
        "Needs the manifests (tls_hosts); templates alone never trigger it.",
        exposure.tls_without_certificate,
    ),
    Check(
        "I2C6002",
        "http-without-redirect",
        I,
        "Internet-facing HTTP without redirect",
        "An internet-facing ALB has an HTTP listener that does not redirect everything to HTTPS.",
        exposure.http_without_redirect,
    ),
    Check(
        "I2C6003",
        "open-non-standard-port",
        I,
        "Non-standard port open to the internet",
        "An internet-facing ALB listens on a port other than 80/443 and its security group admits 0.0.0.0/0 or ::/0 there.",
        exposure.open_non_standard_port,
    ),
)

BY_ID: dict[str, Check] = {c.id: c for c in CHECKS}


def _validate() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids)), "duplicate check id"
    assert ids == sorted(ids), "CHECKS out of id order"
    for c in CHECKS:
        assert _ID.match(c.id), c.id
        assert c.quota is None or c.quota in quota_table.BY_NAME, (c.id, c.quota)
    cfn = [c.cfn_lint_id for c in CHECKS]
    assert len(cfn) == len(set(cfn)), "cfn-lint ids collide"


_validate()
