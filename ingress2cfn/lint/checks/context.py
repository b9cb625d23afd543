"""What every check reads: an index over one parsed CloudFormation template (resources by Type,
`Ref`s resolved to logical ids, which listener belongs to which load balancer, every action with
its place), plus the run's limits and the optional side inputs (template text, spec.tls hosts).

Works on any template: a value that is not what the schema says (an intrinsic function where a
number belongs, a list that is a string ...) is skipped, never an exception. Metadata written by
ingress2cfn (`Metadata.ingress2cfn: {group, sources, ingress?, rule?}`) is used when present to name
the Ingresses involved, and ignored when absent."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.model.metadata import ResourceMeta, read_resource, read_template
from ingress2cfn.model.quotas import DEFAULT_LIMITS, Limits
from ingress2cfn.model.stack import PROTOCOLS


class Check(Protocol):
    """What a bound context needs of the running check (registry.Check, which imports this module)."""

    @property
    def id(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def quota(self) -> str | None: ...
    @property
    def cfn_lint_id(self) -> str: ...


LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
RULE = "AWS::ElasticLoadBalancingV2::ListenerRule"
TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
LISTENER_CERTIFICATE = "AWS::ElasticLoadBalancingV2::ListenerCertificate"
SECURITY_GROUP = "AWS::EC2::SecurityGroup"
SECURITY_GROUP_INGRESS = "AWS::EC2::SecurityGroupIngress"

ALB_PROTOCOLS = PROTOCOLS


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_int(value: Any) -> int | None:
    """An integer written as a number or a string of digits; None for anything else (intrinsics)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def ref_target(value: Any) -> str | None:
    """`{"Ref": X}` or `{"Fn::GetAtt": [X, ...]}` / `"X.Attr"` → X; anything else → None."""
    if isinstance(value, dict) and len(value) == 1:
        if isinstance(value.get("Ref"), str):
            return value["Ref"]
        getatt = value.get("Fn::GetAtt")
        if isinstance(getatt, list) and getatt and isinstance(getatt[0], str):
            return getatt[0]
        if isinstance(getatt, str):
            return getatt.split(".", 1)[0]
    return None


def value_key(value: Any) -> str | None:
    """A stable identity for an ARN-valued property: the logical id it refers to, the literal
    string, or None when it cannot be known (another intrinsic function)."""
    target = ref_target(value)
    if target is not None:
        return target
    if isinstance(value, str):
        return value
    return None


@dataclass(frozen=True)
class Resource:
    logical_id: str
    type: str
    properties: dict
    metadata: ResourceMeta  # Metadata.ingress2cfn, read by model.metadata

    @property
    def ingress(self) -> str | None:
        """The Ingress to blame: Metadata `ingress`, else the only `sources` entry."""
        return self.metadata.blamed_ingress

    @property
    def sources(self) -> tuple[str, ...]:
        return self.metadata.sources

    @property
    def rule_field(self) -> str | None:
        return self.metadata.rule


@dataclass(frozen=True)
class ActionRef:
    """One action of a listener's DefaultActions or a rule's Actions."""

    owner: Resource  # the Listener or ListenerRule
    listener_id: str | None  # logical id of the listener the action runs on
    path: tuple[str | int, ...]  # property path inside the owner, e.g. ("Properties", "Actions", 0)
    body: dict

    @property
    def type(self) -> str | None:
        return as_str(self.body.get("Type"))

    def target_groups(self) -> list[tuple[Any, tuple[str | int, ...]]]:
        """(TargetGroupArn value, its path) of a forward action, both shapes."""
        out: list[tuple[Any, tuple[str | int, ...]]] = []
        if "TargetGroupArn" in self.body:
            out.append((self.body["TargetGroupArn"], self.path + ("TargetGroupArn",)))
        config = as_dict(self.body.get("ForwardConfig"))
        for i, item in enumerate(as_list(config.get("TargetGroups"))):
            if isinstance(item, dict) and "TargetGroupArn" in item:
                out.append((item["TargetGroupArn"], self.path + ("ForwardConfig", "TargetGroups", i, "TargetGroupArn")))
        return out


class TemplateIndex:
    """Resources by type and the ALB wiring between them, computed once per template."""

    def __init__(self, template: dict):
        self.template = template if isinstance(template, dict) else {}
        self.resources: dict[str, Resource] = {}
        for lid, body in as_dict(self.template.get("Resources")).items():
            if not isinstance(lid, str) or not isinstance(body, dict) or not isinstance(body.get("Type"), str):
                continue
            self.resources[lid] = Resource(str(lid), str(body["Type"]), as_dict(body.get("Properties")), read_resource(body))
        self._by_type: dict[str, list[Resource]] = {}
        for r in sorted(self.resources.values(), key=lambda r: r.logical_id):
            self._by_type.setdefault(r.type, []).append(r)
        self._cache: dict[str, Any] = {}

    def of_type(self, type_: str) -> list[Resource]:
        return list(self._by_type.get(type_, ()))

    def cached(self, key: str, compute: Any) -> Any:
        """Memo for derived facts (the index is built per run; templates are not changed during one)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def get(self, logical_id: str | None, type_: str | None = None) -> Resource | None:
        if logical_id is None:
            return None
        r = self.resources.get(logical_id)
        if r is None or (type_ is not None and r.type != type_):
            return None
        return r

    # -- load balancers and listeners ------------------------------------------------------

    def albs(self) -> list[Resource]:
        """Application load balancers (CloudFormation's default Type is application)."""
        return [r for r in self.of_type(LB) if r.properties.get("Type", "application") == "application"]

    def is_alb(self, logical_id: str | None) -> bool:
        lb = self.get(logical_id, LB)
        return lb is not None and lb.properties.get("Type", "application") == "application"

    def lb_of_listener(self, listener: Resource) -> str | None:
        target = ref_target(listener.properties.get("LoadBalancerArn"))
        return target if self.get(target, LB) is not None else None

    def listeners_of(self, lb_id: str) -> list[Resource]:
        return [res for res in self.of_type(LISTENER) if self.lb_of_listener(res) == lb_id]

    def alb_listeners(self) -> list[Resource]:
        return [res for res in self.of_type(LISTENER) if self.is_alb(self.lb_of_listener(res))]

    def listener_key(self, rule: Resource) -> str | None:
        """The rule's listener: its logical id when in this template, else the ARN / parameter."""
        return value_key(rule.properties.get("ListenerArn"))

    def rules_of(self, listener_key: str) -> list[Resource]:
        return [r for r in self.of_type(RULE) if self.listener_key(r) == listener_key]

    def alb_of_listener_key(self, listener_key: str | None) -> str | None:
        listener = self.get(listener_key, LISTENER)
        if listener is None:
            return None
        lb = self.lb_of_listener(listener)
        return lb if self.is_alb(lb) else None

    def on_alb(self, listener_key: str | None) -> bool:
        """True when the listener is known to belong to an ALB of this template."""
        return self.alb_of_listener_key(listener_key) is not None

    # -- actions -----------------------------------------------------------------------------

    def actions(self) -> list[ActionRef]:
        """Every action of every listener and rule, listeners first, in logical-id order."""
        return list(self.cached("actions", lambda: list(self._actions())))

    def _actions(self) -> Iterator[ActionRef]:
        for listener in self.of_type(LISTENER):
            for i, body in enumerate(as_list(listener.properties.get("DefaultActions"))):
                if isinstance(body, dict):
                    yield ActionRef(listener, listener.logical_id, ("Properties", "DefaultActions", i), body)
        for rule in self.of_type(RULE):
            key = self.listener_key(rule)
            for i, body in enumerate(as_list(rule.properties.get("Actions"))):
                if isinstance(body, dict):
                    yield ActionRef(rule, key, ("Properties", "Actions", i), body)

    def target_group_users(self) -> dict[str, list[str]]:
        """Target group logical id → listener keys whose actions forward to it."""
        return self.cached("target_group_users", self._target_group_users)

    def _target_group_users(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for action in self.actions():
            for value, _ in action.target_groups():
                tg = ref_target(value)
                if tg is not None and self.get(tg, TARGET_GROUP) is not None and action.listener_id is not None:
                    users = out.setdefault(tg, [])
                    if action.listener_id not in users:
                        users.append(action.listener_id)
        return out

    # -- ingress2cfn Metadata -------------------------------------------------------------

    def group_of(self, resource: Resource | None = None) -> str | None:
        group = resource.metadata.group if resource is not None else None
        return group if group is not None else read_template(self.template).group

    def has_metadata(self) -> bool:
        return read_template(self.template).present or any(r.metadata.present for r in self.resources.values())

    def members(self) -> tuple[str, ...]:
        """The group's Ingresses: top-level Metadata members, else every source named anywhere."""
        members = read_template(self.template).members
        if members:
            return members
        seen: dict[str, None] = {}
        for r in self.resources.values():
            for s in r.sources:
                seen.setdefault(s, None)
        return tuple(seen)


@dataclass(frozen=True)
class CheckContext:
    """The input of every check function. `finding(...)` stamps the running check's id and
    severity (bound by `run_checks`), so ids live in the registry only."""

    index: TemplateIndex
    stack: str = ""
    limits: Limits = DEFAULT_LIMITS
    template_text: str | None = None
    tls_hosts: dict[str, tuple[str, ...]] | None = None
    check: Check | None = field(default=None, compare=False)
    # how the user raises a quota, in messages; {quota} and {cfn_lint_id} are filled in
    quota_flag: str = "--quota {quota}=N"

    @classmethod
    def of(
        cls,
        template: dict,
        *,
        stack: str = "",
        limits: Limits = DEFAULT_LIMITS,
        template_text: str | None = None,
        tls_hosts: dict[str, tuple[str, ...]] | None = None,
    ) -> CheckContext:
        return cls(TemplateIndex(template), stack, limits, template_text, tls_hosts)

    @property
    def template(self) -> dict:
        return self.index.template

    def bound(self, check: Check) -> CheckContext:
        return replace(self, check=check)

    def raise_flag(self) -> str:
        assert self.check is not None and self.check.quota is not None, "check without a quota"
        return self.quota_flag.format(quota=self.check.quota, cfn_lint_id=self.check.cfn_lint_id)

    def limit(self) -> int:
        """The effective value of the running check's quota."""
        assert self.check is not None and self.check.quota is not None, "check without a quota"
        return self.limits[self.check.quota]

    def finding(
        self,
        message: str,
        resource: Resource | None = None,
        path: tuple[str | int, ...] = (),
        *,
        ingresses: tuple[str | None, ...] | None = None,
        rule_fields: tuple[str | None, ...] | None = None,
    ) -> Finding:
        """A finding of the running check. With a resource, `path` is inside it (starting with
        "Properties"); without, from the template root. Ingresses and rule fields default to the
        resource's Metadata; None entries (unknown) are dropped."""
        assert self.check is not None, "finding() outside a bound check"
        if ingresses is None:
            ingresses = (resource.ingress,) if resource is not None and resource.ingress else (resource.sources if resource is not None else ())
        if rule_fields is None:
            rule_fields = (resource.rule_field,) if resource is not None and resource.rule_field else ()
        ings: list[str] = []
        fields: list[str] = []
        aligned = True  # rule_fields pair up with ingresses by position; stop at the first gap
        for i, ing in enumerate(ingresses):
            if not ing:
                aligned = False
                continue
            ings.append(ing)
            f = rule_fields[i] if i < len(rule_fields) else None
            if aligned and f:
                fields.append(f)
            else:
                aligned = False
        return Finding(
            rule_id=self.check.id,
            severity=self.check.severity,
            message=message,
            stack=self.stack,
            logical_id=resource.logical_id if resource is not None else None,
            property_path=tuple(path),
            ingresses=tuple(ings),
            rule_fields=tuple(fields),
        )


def describe(resource: Resource) -> str:
    """`ListenerRule Rule80Foo (Ingress shop/cart spec.rules[0].http.paths[1])` style name."""
    kind = resource.type.rsplit("::", 1)[-1]
    where = []
    if resource.ingress:
        where.append(f"Ingress {resource.ingress}")
        if resource.rule_field:
            where.append(resource.rule_field)
    service = resource.metadata.service
    if service:
        where.append(f"Service {service}")
    return f"{kind} {resource.logical_id}" + (f" ({', '.join(where)})" if where else "")


def describe_lb(index: TemplateIndex, lb_id: str) -> str:
    """`ALB LoadBalancer (k8s-web-1234) of IngressGroup web`."""
    lb = index.get(lb_id)
    if lb is None:
        return f"the load balancer of listener {lb_id}"
    name = as_str(lb.properties.get("Name"))
    group = index.group_of(lb)
    kind = "ALB" if lb.properties.get("Type", "application") == "application" else "load balancer"
    return f"{kind} {lb_id}" + (f" ({name})" if name else "") + (f" of IngressGroup {group}" if group else "")


def describe_listener(index: TemplateIndex, key: str) -> str:
    listener = index.get(key, LISTENER)
    if listener is None:
        return f"listener {key}"
    proto, port = as_str(listener.properties.get("Protocol")), as_int(listener.properties.get("Port"))
    return f"listener {key}" + (f" ({proto}:{port})" if proto and port is not None else "")
