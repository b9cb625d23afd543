"""Adopting what the AWS Load Balancer Controller made (`plan --import-existing`), pure: given a
rendered template and the resources found in the account (ingress2cfn.aws.elbv2.find_lbc_resources),
the IMPORT change set's template and ResourcesToImport, and a report of what was not found.

A resource is the controller's for this group when it has the rendered name (load balancer, target
group: Name; security group: GroupName) and every tracking tag the rendered resource carries
(lbc-semantics.md §10) has the same value on it. Listeners are matched by port on the adopted load
balancer, rules by priority on the adopted listener (both numbered like LBC); their tags are only
compared where the controller set them.

CloudFormation's rules for an import (one change set, no other change; import first, update
second): the template holds the stack as it is (nothing for a new stack) plus the imported
resources, each with a DeletionPolicy (Retain where the rendered one has none; UpdateReplacePolicy
likewise), and no new Outputs. An imported resource may refer only to
resources also imported (or already in the stack), so a resource whose dependency was not found
stays out; the following update creates it. Which types can be imported and by which identifier
comes from the resource schemas cfn-lint ships (`primaryIdentifier`, a `read` handler)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ingress2cfn.model import metadata
from ingress2cfn.model.lbc_resources import (
    LISTENER,
    LISTENER_RULE,
    LOAD_BALANCER,
    SECURITY_GROUP,
    SECURITY_GROUP_INGRESS,
    TARGET_GROUP,
    TRACKING_TAGS,
    FoundResources,
    LbcLookup,
    LbcResource,
)

DEFAULT_DELETION_POLICY = "Retain"
IMPORT_SECTIONS = ("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Mappings", "Conditions", "Rules", "Transform")
SCHEMA_REGION = "us-east-1"
_SUB_REF = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


class Outcome(StrEnum):
    IMPORTED = "imported"
    MISSING = "missing"  # nothing found: the update after the import creates it
    CONFLICT = "conflict"  # the name is taken by something that is not the controller's for this group
    DEPENDENT = "dependent"  # found, but refers to a resource that is not imported
    NOT_IMPORTABLE = "not-importable"  # CloudFormation cannot import this type (or we do not look it up)


@dataclass(frozen=True)
class Finding:
    logical_id: str
    type: str
    outcome: Outcome
    message: str
    identifier: str | None = None


@dataclass(frozen=True)
class ImportPlan:
    template: dict[str, Any]
    resources_to_import: tuple[dict[str, Any], ...]
    findings: tuple[Finding, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.resources_to_import

    @property
    def blocked(self) -> tuple[Finding, ...]:
        """Findings that make the update after the import fail (a name already taken)."""
        return tuple(f for f in self.findings if f.outcome is Outcome.CONFLICT)

    def report_lines(self) -> list[str]:
        """One line per resource of the rendered stack, then the warnings: for the terminal."""
        lines = [f"{f.outcome.value:>14}  {f.logical_id} ({f.type}): {f.message}" for f in self.findings]
        return lines + [f"warning: {w}" for w in self.warnings]

    def template_body(self) -> str:
        return json.dumps(self.template, sort_keys=True, separators=(",", ":"))


# ------------------------------------------------------------------------------ resource schemas


def primary_identifier(type_: str) -> tuple[str, ...] | None:
    """The import identifier keys of a resource type (its schema's primaryIdentifier), or None when
    CloudFormation cannot import it (no schema, or no `read` handler)."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    try:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(SCHEMA_REGION, type_).schema
    except Exception:  # cfn-lint raises its own ResourceNotFoundError for unknown types
        return None
    keys = tuple(p.rsplit("/", 1)[-1] for p in schema.get("primaryIdentifier", []))
    if not keys or "read" not in (schema.get("handlers") or {}):
        return None
    return keys


# ------------------------------------------------------------------------------ the template side


def _resources(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    raw = template.get("Resources")
    return {k: v for k, v in raw.items() if isinstance(v, dict)} if isinstance(raw, dict) else {}


def _props(body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("Properties")
    return props if isinstance(props, dict) else {}


def _tags(body: dict[str, Any]) -> dict[str, str]:
    tags = _props(body).get("Tags")
    if not isinstance(tags, list):
        return {}
    return {t["Key"]: t["Value"] for t in tags if isinstance(t, dict) and isinstance(t.get("Key"), str) and isinstance(t.get("Value"), str)}


def _ref(value: Any) -> str | None:
    return value["Ref"] if isinstance(value, dict) and isinstance(value.get("Ref"), str) else None


def references(node: Any) -> Iterator[str]:
    """Every name a template node refers to: Ref, Fn::GetAtt, ${X} in Fn::Sub (parameters included)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value
            elif key == "Fn::GetAtt":
                target = value[0] if isinstance(value, list) and value else value.split(".", 1)[0] if isinstance(value, str) else None
                if isinstance(target, str):
                    yield target
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) and value else value
                local = value[1] if isinstance(value, list) and len(value) > 1 and isinstance(value[1], dict) else {}
                if isinstance(text, str):
                    yield from (name for name in _SUB_REF.findall(text) if name not in local)
                yield from references(local)
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def lookup_for(template: dict[str, Any]) -> LbcLookup:
    """What to look for in the account: the cluster (template metadata) and the rendered names."""
    meta = metadata.read_template(template)
    names: dict[str, set[str]] = {LOAD_BALANCER: set(), TARGET_GROUP: set(), SECURITY_GROUP: set()}
    rule_groups: set[str] = set()
    for body in _resources(template).values():
        type_ = body.get("Type")
        group_id = _props(body).get("GroupId")
        if type_ == SECURITY_GROUP_INGRESS and isinstance(group_id, str):
            rule_groups.add(group_id)
        key = "GroupName" if type_ == SECURITY_GROUP else "Name"
        name = _props(body).get(key)
        if type_ in names and isinstance(name, str):
            names[type_].add(name)
    return LbcLookup(
        cluster=meta.cluster or "",
        load_balancers=tuple(sorted(names[LOAD_BALANCER])),
        target_groups=tuple(sorted(names[TARGET_GROUP])),
        security_groups=tuple(sorted(names[SECURITY_GROUP])),
        rule_groups=tuple(sorted(rule_groups)),
    )


# ------------------------------------------------------------------------------ matching


def _tag_mismatch(wanted: dict[str, str], found: LbcResource, required: bool) -> str | None:
    have = found.tag_map
    for key in TRACKING_TAGS:
        if key not in wanted:
            continue
        if key not in have:
            if required:
                return f"it has no {key} tag (the controller tags what it creates)"
            continue
        if have[key] != wanted[key]:
            return f"its tag {key} is {have[key]!r}, not {wanted[key]!r}"
    return None


def _settings_drift(body: dict[str, Any], found: LbcResource) -> list[str]:
    """Create-only settings where the found resource differs from the rendered one: the update after the
    import would have to replace it (and cannot, under a fixed name)."""
    props = _props(body)
    out = []
    for key, value in found.settings:
        want = props.get(key)
        if isinstance(want, (str, int)) and not isinstance(want, bool) and str(want) != value:
            out.append(f"{key} is {value} in AWS, {want} in the template")
    return out


@dataclass
class _Matcher:
    template: dict[str, Any]
    found: FoundResources
    identifier_keys: Callable[[str], tuple[str, ...] | None]
    matched: dict[str, LbcResource] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def _named(self, logical_id: str, body: dict[str, Any], type_: str, key: str) -> None:
        name = _props(body).get(key)
        if not isinstance(name, str):
            self.note(logical_id, type_, Outcome.MISSING, f"no literal {key}: nothing to look up")
            return
        candidates = [r for r in self.found.of_type(type_) if r.name == name]
        if not candidates:
            self.note(logical_id, type_, Outcome.MISSING, f"no {type_.split('::')[-1]} named {name}: the update creates it")
            return
        problems = [(c, _tag_mismatch(_tags(body), c, required=True)) for c in candidates]
        ours = [c for c, problem in problems if problem is None]
        if len(ours) != 1:
            why = "; ".join(f"{c.identifier}: {p}" for c, p in problems if p) or f"{len(ours)} candidates"
            self.note(logical_id, type_, Outcome.CONFLICT, f"{name} exists but is not the controller's for this group ({why}): the update could not create it")
            return
        self._match(logical_id, body, type_, ours[0])

    def _child(self, logical_id: str, body: dict[str, Any], type_: str, parent_key: str, what: str, attr: str, prop: str) -> None:
        parent = _ref(_props(body).get(parent_key))
        value = _props(body).get(prop)
        if parent is None or parent not in self.matched or not isinstance(value, int):
            self.note(logical_id, type_, Outcome.MISSING, f"its {parent_key} ({parent or 'not a Ref'}) is not adopted: the update creates it")
            return
        owner = self.matched[parent].identifier
        candidates = [r for r in self.found.of_type(type_) if r.parent == owner and getattr(r, attr) == value]
        if not candidates:
            self.note(logical_id, type_, Outcome.MISSING, f"no {what} {value} on {owner}: the update creates it")
            return
        problem = _tag_mismatch(_tags(body), candidates[0], required=False)
        if problem:
            self.note(logical_id, type_, Outcome.CONFLICT, f"the {what} {value} on {owner} is not the controller's for this group ({problem})")
            return
        self._match(logical_id, body, type_, candidates[0])

    def _resolve(self, value: Any) -> str | None:
        """A literal id, or the physical id of an adopted resource named by Ref / Fn::GetAtt."""
        if isinstance(value, str):
            return value
        names = list(references(value))
        if len(names) == 1 and names[0] in self.matched:
            return self.matched[names[0]].identifier
        return None

    def _ingress_rule(self, logical_id: str, body: dict[str, Any]) -> None:
        """A node rule: same group, protocol, ports and source (LBC leaves these rules untagged)."""
        props = _props(body)
        wanted: dict[str, str] = {}
        for key in ("GroupId", "SourceSecurityGroupId", "CidrIp", "CidrIpv6", "SourcePrefixListId", "IpProtocol", "FromPort", "ToPort"):
            if key in props:
                resolved = self._resolve(props[key]) if key in ("GroupId", "SourceSecurityGroupId") else str(props[key])
                if resolved is None:
                    self.note(logical_id, SECURITY_GROUP_INGRESS, Outcome.MISSING, f"its {key} is not adopted: the update creates it")
                    return
                wanted[key] = resolved
        group = wanted.pop("GroupId", None)
        for found in self.found.of_type(SECURITY_GROUP_INGRESS):
            if found.parent == group and dict(found.settings) == wanted:
                self._match(logical_id, body, SECURITY_GROUP_INGRESS, found)
                return
        self.note(logical_id, SECURITY_GROUP_INGRESS, Outcome.MISSING, f"no such ingress rule on {group}: the update creates it")

    def _match(self, logical_id: str, body: dict[str, Any], type_: str, found: LbcResource) -> None:
        self.matched[logical_id] = found
        for drift in _settings_drift(body, found):
            self.warnings.append(f"{logical_id} ({found.identifier}): {drift}; after the import, the update would need to replace it")

    def note(self, logical_id: str, type_: str, outcome: Outcome, message: str) -> None:
        self.findings[logical_id] = Finding(logical_id, type_, outcome, message)

    def run(self, skip: set[str]) -> None:
        resources = _resources(self.template)
        order = (LOAD_BALANCER, TARGET_GROUP, SECURITY_GROUP, SECURITY_GROUP_INGRESS, LISTENER, LISTENER_RULE)
        for type_ in order:
            for logical_id, body in sorted(resources.items()):
                if body.get("Type") != type_ or logical_id in skip:
                    continue
                if type_ == SECURITY_GROUP:
                    self._named(logical_id, body, type_, "GroupName")
                elif type_ == SECURITY_GROUP_INGRESS:
                    self._ingress_rule(logical_id, body)
                elif type_ in (LOAD_BALANCER, TARGET_GROUP):
                    self._named(logical_id, body, type_, "Name")
                elif type_ == LISTENER:
                    self._child(logical_id, body, type_, "LoadBalancerArn", "listener on port", "port", "Port")
                else:
                    self._child(logical_id, body, type_, "ListenerArn", "rule with priority", "priority", "Priority")
        for logical_id, body in sorted(resources.items()):
            type_ = str(body.get("Type"))
            if logical_id in skip or type_ in order:
                continue
            importable = "CloudFormation cannot import this type" if self.identifier_keys(type_) is None else "not looked up"
            self.note(logical_id, type_, Outcome.NOT_IMPORTABLE, f"{importable}: the update creates it")


def _close_over_dependencies(template: dict[str, Any], chosen: set[str], present: set[str]) -> dict[str, str]:
    """Drop chosen resources that refer to a resource of the template that is neither chosen nor already
    in the stack, until none does → {dropped logical id: the reference that is missing}."""
    resources = _resources(template)
    dropped: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for logical_id in sorted(chosen):
            body = resources[logical_id]
            refs = set(references(body.get("Properties"))) | set(references(body.get("Condition")))
            missing = sorted(r for r in refs if r in resources and r not in chosen and r not in present)
            if missing:
                chosen.discard(logical_id)
                dropped[logical_id] = missing[0]
                changed = True
    return dropped


def import_plan(
    template: dict[str, Any],
    found: FoundResources,
    deployed: dict[str, Any] | None = None,
    identifier_keys: Callable[[str], tuple[str, ...] | None] = primary_identifier,
) -> ImportPlan:
    """The IMPORT change set for `template` (the rendered stack) adopting `found`. `deployed`: the stack's
    current template when it exists (its resources stay as they are), None for a new stack."""
    present = set(_resources(deployed)) if deployed else set()
    matcher = _Matcher(template, found, identifier_keys)
    matcher.run(skip=present)
    resources = _resources(template)
    chosen = {lid for lid, res in matcher.matched.items() if identifier_keys(res.type) is not None}
    for lid in sorted(set(matcher.matched) - chosen):
        matcher.note(lid, matcher.matched[lid].type, Outcome.NOT_IMPORTABLE, "CloudFormation cannot import this type")
    for lid, missing in _close_over_dependencies(template, chosen, present).items():
        res = matcher.matched[lid]
        matcher.findings[lid] = Finding(
            lid, res.type, Outcome.DEPENDENT, f"found {res.identifier}, but it refers to {missing}, which is not adopted", res.identifier
        )

    base = deployed if deployed else {k: v for k, v in template.items() if k in IMPORT_SECTIONS}
    out = copy.deepcopy(base)
    out_resources = out.setdefault("Resources", {})
    to_import = []
    for lid in sorted(chosen):
        res = matcher.matched[lid]
        body = copy.deepcopy(resources[lid])
        body.setdefault("DeletionPolicy", DEFAULT_DELETION_POLICY)  # import requires one
        body.setdefault("UpdateReplacePolicy", DEFAULT_DELETION_POLICY)  # cfn-lint W3011: protect it from both
        depends = body.get("DependsOn")
        if depends is not None:  # ordering only; a DependsOn on what is not in the stack would not validate
            kept = [d for d in ([depends] if isinstance(depends, str) else depends) if d in chosen or d in present]
            if kept:
                body["DependsOn"] = kept
            else:
                del body["DependsOn"]
        out_resources[lid] = body
        keys = identifier_keys(res.type) or ()
        to_import.append({"ResourceType": res.type, "LogicalResourceId": lid, "ResourceIdentifier": {keys[0]: res.identifier}})
        matcher.findings[lid] = Finding(lid, res.type, Outcome.IMPORTED, f"imports {res.identifier}", res.identifier)
    findings = tuple(matcher.findings[k] for k in sorted(matcher.findings))
    return ImportPlan(out, tuple(to_import), findings, tuple(matcher.warnings))
