"""`ingress2cfn lint --policy FILE`: which namespaces may join which IngressGroup, and which may
be served by an internet-facing ALB.

The controller lets anyone who can edit an Ingress join any IngressGroup by naming it (and, with a
higher-priority `group.order`, override the group's rules); it offers no guard. A policy file is
that guard, checked on the rendered template (its `Metadata.ingress2cfn.group/members` and the
load balancer's `Scheme`), so it works for `lint --template` too. When the manifests are at hand
the findings point at the Ingress's `group.name` / `scheme` annotation.

    groups:
      web: {namespaces: [shop, blog]}     # only these namespaces may join group web
      "*": {namespaces: ["*"]}            # every other explicit group (optional; absent = anyone)
    internetFacing: {namespaces: [shop]}  # who may be served by an internet-facing ALB

Namespace entries are names or shell-style patterns (`team-*`, `*`). A group without an entry and
without `"*"` is not restricted; without `internetFacing`, neither is the scheme. The scheme is
group-wide, so joining an internet-facing group counts as asking for it: every member of an
internet-facing group must be allowed by `internetFacing`. Implicit groups (an Ingress without
`group.name`) cannot be joined and are not checked against `groups`.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingress2cfn.input.errors import ErrorList, InputError
from ingress2cfn.input.location import PositionMap, SourceLocation
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.model import metadata
from ingress2cfn.model.settings import CFN_DEFAULT_SCHEME, INTERNET_FACING
from ingress2cfn.rules.annotations import PREFIX
from ingress2cfn.rules.groups import GROUP_NAME

RULE_GROUP = "I2C9001"
RULE_INTERNET_FACING = "I2C9002"
RULE_UNVERIFIED = "I2C9003"

RULES: dict[str, tuple[str, str]] = {
    RULE_GROUP: ("policy-group-namespace", "A namespace the policy does not allow joins an IngressGroup"),
    RULE_INTERNET_FACING: ("policy-internet-facing", "A namespace the policy does not allow is served by an internet-facing ALB"),
    RULE_UNVERIFIED: (
        "policy-template-unverified",
        "A template's members or load-balancer schemes differ from what the manifests render: the policy cannot vouch for it",
    ),
}

GROUP_NAME_FIELD = f'metadata.annotations["{PREFIX}group.name"]'
SCHEME_FIELD = f'metadata.annotations["{PREFIX}scheme"]'
FRONTEND_NLB_SCHEME_FIELD = f'metadata.annotations["{PREFIX}frontend-nlb-scheme"]'
_NAMESPACE_PATTERN = re.compile(r"[a-z0-9*?]([-a-z0-9*?]*[a-z0-9*?])?")
_TOP_KEYS = ("groups", "internetFacing")
_RULE_KEYS = ("namespaces",)


@dataclass(frozen=True)
class NamespaceRule:
    patterns: tuple[str, ...]
    loc: SourceLocation  # of the entry in the policy file

    def allows(self, namespace: str) -> bool:
        return any(fnmatch.fnmatchcase(namespace, p) for p in self.patterns)

    def describe(self) -> str:
        shown = ", ".join(self.patterns) if self.patterns else "none"
        return f"{shown} ({self.loc.file}:{self.loc.line})" if self.loc.line else f"{shown} ({self.loc.file})"


@dataclass(frozen=True)
class Policy:
    source: str
    groups: tuple[tuple[str, NamespaceRule], ...] = ()
    default_group: NamespaceRule | None = None
    internet_facing: NamespaceRule | None = None

    def group_rule(self, group: str) -> tuple[str, NamespaceRule] | None:
        """(the key that matched, its rule) or None when the group is not restricted."""
        for key, rule in self.groups:
            if key == group:
                return key, rule
        if self.default_group is not None:
            return "*", self.default_group
        return None


# ── loading ───────────────────────────────────────────────────────────────────────────────────


def load_policy(path: str) -> Policy:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read policy file: {exc}", SourceLocation(path, 1)) from None
    return parse_policy(text, path)


def parse_policy(text: str, filename: str) -> Policy:
    from ingress2cfn.input.loader import parse_text

    docs = parse_text(text, filename)
    if not docs:
        raise InputError("the policy file is empty: expected keys groups and/or internetFacing (README: lint --policy)", SourceLocation(filename, 1, (), 1))
    if len(docs) > 1:
        raise InputError("a policy file holds one YAML document", docs[1].loc)
    doc = docs[0]
    errors: list[InputError] = []
    where = _Where(doc.loc, doc.positions, errors)
    data = doc.data
    if not isinstance(data, dict):
        raise InputError(f"the policy must be a mapping with keys {', '.join(_TOP_KEYS)}, got {_kind(data)}", doc.loc, "policy")
    where.unknown_keys(data, (), _TOP_KEYS)

    groups: list[tuple[str, NamespaceRule]] = []
    default_group = None
    raw_groups = data.get("groups")
    if raw_groups is not None and not isinstance(raw_groups, dict):
        where.fail(("groups",), f"must be a mapping of IngressGroup name to {{namespaces: [...]}}, got {_kind(raw_groups)}")
    elif raw_groups:
        for name, body in raw_groups.items():
            key = str(name)
            if key != "*" and not GROUP_NAME.fullmatch(key):
                where.fail(
                    ("groups", key),
                    "not an IngressGroup name: lower case alphanumeric characters, '-' or '.', starting and ending "
                    'with an alphanumeric character (or "*" for every other group)',
                )
                continue
            rule = _namespace_rule(where, ("groups", key), body)
            if rule is None:
                continue
            if key == "*":
                default_group = rule
            else:
                groups.append((key, rule))
    internet_facing = None
    if "internetFacing" in data:
        internet_facing = _namespace_rule(where, ("internetFacing",), data["internetFacing"])
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorList(e.diagnostic for e in errors)
    return Policy(filename, tuple(sorted(groups)), default_group, internet_facing)


class _Where:
    def __init__(self, root: SourceLocation, positions: PositionMap, errors: list[InputError]):
        self.root, self.positions, self.errors = root, positions, errors

    def loc(self, path: tuple) -> SourceLocation:
        return self.root.at(*path, positions=self.positions)

    def fail(self, path: tuple, message: str) -> None:
        self.errors.append(InputError(message, self.loc(path), "policy"))

    def unknown_keys(self, data: dict, path: tuple, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.fail(path + (str(key),), f"unknown key {key!r}; known: {', '.join(allowed)}")


def _namespace_rule(where: _Where, path: tuple, body: Any) -> NamespaceRule | None:
    if not isinstance(body, dict):
        where.fail(path, f"must be a mapping {{namespaces: [...]}}, got {_kind(body)}")
        return None
    where.unknown_keys(body, path, _RULE_KEYS)
    raw = body.get("namespaces")
    if raw is None:
        where.fail(path, "namespaces is missing: list the namespaces allowed (names or patterns such as team-*; [] for none)")
        return None
    if not isinstance(raw, list):
        where.fail(path + ("namespaces",), f"must be a list of namespace names or patterns, got {_kind(raw)}")
        return None
    patterns = []
    for i, item in enumerate(raw):
        if not isinstance(item, str) or not _NAMESPACE_PATTERN.fullmatch(item):
            where.fail(path + ("namespaces", i), f"not a namespace name or pattern: {item!r} (lower case alphanumerics and '-', with * or ? as wildcards)")
            continue
        patterns.append(item)
    return NamespaceRule(tuple(patterns), where.loc(path))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"


# ── checking ──────────────────────────────────────────────────────────────────────────────────


def _namespace(key: str) -> str:
    return key.split("/", 1)[0]


def check_policy(template: dict, policy: Policy, *, stack: str, annotations: dict[str, dict[str, str]] | None = None) -> list[Finding]:
    """Findings for one rendered group template. `annotations` (Ingress key → its annotations) lets
    the findings point at the annotation that asked; without it they point at the Ingress."""
    meta = metadata.read_template(template)
    group, members = meta.group, meta.members
    if group is None or not members:
        return []  # not a group template of ours (the cluster stack, or someone else's template)
    findings: list[Finding] = []
    annotations = annotations or {}

    def has(key: str, name: str) -> bool:
        return (PREFIX + name) in annotations.get(key, {})

    explicit = "/" not in group  # implicit group ids are namespace/name; group names cannot hold '/'
    matched = policy.group_rule(group) if explicit else None
    if matched is not None:
        entry, rule = matched
        for i, key in enumerate(members):
            ns = _namespace(key)
            if rule.allows(ns):
                continue
            which = f"groups.{entry}" if entry != "*" else 'groups."*"'
            findings.append(
                Finding(
                    RULE_GROUP,
                    Severity.ERROR,
                    f"Ingress {key} joins IngressGroup {group}, but namespace {ns} may not join it: policy {which} allows {rule.describe()}",
                    stack=stack,
                    property_path=("Metadata", metadata.KEY, "members", i),
                    ingresses=(key,),
                    rule_fields=(GROUP_NAME_FIELD,),
                )
            )

    if policy.internet_facing is not None:
        facing = internet_facing(template)
        if facing:
            askers = [m for m in members if has(m, "scheme")]
            what = " and ".join(label for _, label in facing)
            for i, key in enumerate(members):
                ns = _namespace(key)
                if policy.internet_facing.allows(ns):
                    continue
                fields: tuple[str, ...]
                if has(key, "scheme") and any(label == "ALB" for _, label in facing):
                    why = "asks for scheme internet-facing"
                    fields = (SCHEME_FIELD,)
                elif has(key, "frontend-nlb-scheme") and any(label != "ALB" for _, label in facing):
                    why = "asks for frontend-nlb-scheme internet-facing"
                    fields = (FRONTEND_NLB_SCHEME_FIELD,)
                else:
                    set_by = f" (scheme set by {', '.join(askers)})" if askers and what == "ALB" else ""
                    why = f"joins IngressGroup {group}, whose {what} is internet-facing{set_by}" if explicit else f"is served by an internet-facing {what}"
                    fields = (GROUP_NAME_FIELD,) if explicit else ()
                findings.append(
                    Finding(
                        RULE_INTERNET_FACING,
                        Severity.ERROR,
                        f"Ingress {key} {why}, but namespace {ns} may not have an internet-facing {'ALB' if what == 'ALB' else 'load balancer'}: "
                        "policy internetFacing allows "
                        f"{policy.internet_facing.describe()}",
                        stack=stack,
                        property_path=("Metadata", metadata.KEY, "members", i),
                        ingresses=(key,),
                        rule_fields=fields,
                    )
                )
    return findings


def internet_facing(template: dict) -> list[tuple[str, str]]:
    """(logical id, "ALB" | "frontend NLB") of every load balancer of the template that is
    internet-facing: each one, not the first (a group stack makes an ALB and maybe a frontend
    NLB). A Scheme that is not a plain string (an intrinsic function) cannot be judged: counted
    as internet-facing, as is an absent one (CloudFormation's default)."""
    out: list[tuple[str, str]] = []
    resources = template.get("Resources")
    for lid, body in resources.items() if isinstance(resources, dict) else ():
        if isinstance(body, dict) and body.get("Type") == "AWS::ElasticLoadBalancingV2::LoadBalancer":
            raw = body.get("Properties")
            props: dict[str, Any] = raw if isinstance(raw, dict) else {}
            scheme = props.get("Scheme", CFN_DEFAULT_SCHEME)
            if scheme == INTERNET_FACING or not isinstance(scheme, str):
                out.append((str(lid), "frontend NLB" if props.get("Type") == "network" else "ALB"))
    return out


def verify_template(template: dict, filename: str, rendered: dict[str, dict]) -> list[Finding]:
    """`lint --template FILE --policy P -f manifests`: the policy is judged on what the manifests
    render (`rendered`: stack name → group template); this says where FILE's policy facts (its
    group, members, and which load balancers are internet-facing) differ from those, since
    anyone who edits FILE controls its Metadata."""
    meta = metadata.read_template(template)
    if meta.group is None:
        return []  # the cluster stack or not ours: no policy facts
    where = ("Metadata", metadata.KEY)

    def finding(message: str, path: tuple[str | int, ...] = where) -> Finding:
        return Finding(RULE_UNVERIFIED, Severity.ERROR, message, stack=filename, property_path=path)

    same = rendered.get(meta.stack_name or "")
    if same is None:
        made = ", ".join(sorted(rendered)) or "none"
        return [
            finding(
                f"{filename} is the stack {meta.stack_name or '(no stackName)'} of IngressGroup {meta.group}, which the manifests do not render "
                f"(they render {made}): the policy cannot be judged for it"
            )
        ]
    theirs = metadata.read_template(same)
    out = []
    if (meta.group, meta.members) != (theirs.group, theirs.members):
        out.append(
            finding(
                f"Metadata.ingress2cfn of {filename} says IngressGroup {meta.group} with members {', '.join(meta.members) or 'none'}, but the "
                f"manifests make IngressGroup {theirs.group} with members {', '.join(theirs.members) or 'none'}: re-render it",
                where + ("members",),
            )
        )
    mine, made_facing = internet_facing(template), internet_facing(same)
    if mine != made_facing:

        def shown(items: list[tuple[str, str]]) -> str:
            return ", ".join(f"{label} {lid}" for lid, label in items) or "none"

        out.append(
            finding(
                f"internet-facing load balancers of {filename}: {shown(mine)}; of the manifests' render: {shown(made_facing)}: re-render it", ("Resources",)
            )
        )
    return out
