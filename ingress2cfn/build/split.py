"""`--split-by-quota`: bin-pack an IngressGroup that exceeds the per-ALB quotas onto several ALBs.

The unit of packing is a connected component of hosts: every rule of one host stays on one ALB,
and hosts that share an Ingress (hence its target groups: a target group serves one ALB only) stay
together. A rule without a host condition counts as host "" (the catch-all), so all of them stay
together too. Rule order within a unit is kept; priorities are renumbered per shard.

Stability: assignment is READ BACK from the previous templates (their Metadata
`ingress2cfn.shard` / `ingress2cfn.units`) when there are some: a unit stays on its ALB unless
that ALB can no longer hold it. New units, and every unit of a first render, are placed by a
documented deterministic rule: rendezvous hashing (highest sha256(unit, shard) first) over the
shards that have room, opening the next shard when none has. No hidden state: the previous
templates are the ones `--out DIR` / `--check DIR` point at (committed in GitOps)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
import yaml
from msgspec.structs import replace

from ingress2cfn.input.diagnostics import Diagnostic
from ingress2cfn.input.errors import InputError
from ingress2cfn.model import metadata, naming
from ingress2cfn.model.quotas import DEFAULT_LIMITS, Limits
from ingress2cfn.model.stack import FixedResponse, Forward, GroupStack, Listener, Rule, Tag, WeightedForward

RESOURCE_TAG = "ingress.k8s.aws/resource"
MAX_TEMPLATE_BYTES = DEFAULT_LIMITS["template-url-bytes"]  # CloudFormation's largest template
NOT_FOUND = FixedResponse("404", "text/plain", None)

Previous = dict[str, int]  # unit element (a host, or "ingress:<ns/name>") → shard number


class Unit(msgspec.Struct, frozen=True):
    key: str  # the sorted hosts, comma-joined; "ingress:<ns/name>" for an Ingress with no rule
    elements: tuple[str, ...]  # hosts ("" = no host condition) and/or ingress:<key>
    ingresses: frozenset[str]
    rules: int
    target_groups: int


def _hosts(rule: Rule) -> tuple[str, ...]:
    hosts = [v for c in rule.conditions if c.field == "host-header" for v in (*c.values, *c.regex_values)]
    return tuple(sorted(set(hosts))) or ("",)


def _action_tgs(actions) -> set[str]:
    out: set[str] = set()
    for a in actions:
        if isinstance(a, Forward):
            out.update(a.target_group_ids)
        elif isinstance(a, WeightedForward):
            out.update(t.target_group_id for t in a.targets if t.target_group_id)
    return out


def units_of(stack: GroupStack) -> tuple[list[Unit], dict[str, str]]:
    """The units and, for each Ingress, the key of its unit."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for member in stack.members:
        find("ingress:" + member)
    for listener in stack.listeners:
        for rule in listener.rules:
            for host in _hosts(rule):
                union("ingress:" + rule.source, "host:" + host)
    groups: dict[str, list[str]] = {}
    for node in list(parent):
        groups.setdefault(find(node), []).append(node)
    rules_by_ingress: dict[str, int] = {}
    for listener in stack.listeners:
        for rule in listener.rules:
            rules_by_ingress[rule.source] = rules_by_ingress.get(rule.source, 0) + 1
    tgs_by_ingress: dict[str, int] = {}
    for tg in stack.target_groups:
        tgs_by_ingress[tg.ingress] = tgs_by_ingress.get(tg.ingress, 0) + 1
    units = []
    unit_of: dict[str, str] = {}
    for nodes in groups.values():
        hosts = sorted(n[len("host:") :] for n in nodes if n.startswith("host:"))
        ingresses = frozenset(n[len("ingress:") :] for n in nodes if n.startswith("ingress:"))
        key = ",".join(hosts) if hosts else "ingress:" + min(ingresses)
        elements = tuple(hosts) if hosts else (key,)
        unit = Unit(key, elements, ingresses, sum(rules_by_ingress.get(i, 0) for i in ingresses), sum(tgs_by_ingress.get(i, 0) for i in ingresses))
        units.append(unit)
        for ing in ingresses:
            unit_of[ing] = key
    units.sort(key=lambda u: u.key)
    return units, unit_of


def _score(unit: Unit, shard: int) -> str:
    return hashlib.sha256(f"{unit.key}\0{shard}".encode()).hexdigest()


def assign(units: list[Unit], capacity: tuple[int, int], previous: Previous | None = None) -> dict[str, int]:
    """unit key → shard number (1-based). Pure; see the module docstring for the rule."""
    rules_cap, tgs_cap = capacity
    load: dict[int, list[int]] = {}
    out: dict[str, int] = {}

    def fits(shard: int, unit: Unit) -> bool:
        used = load.get(shard, [0, 0])
        return used[0] + unit.rules <= rules_cap and used[1] + unit.target_groups <= tgs_cap

    def put(shard: int, unit: Unit) -> None:
        used = load.setdefault(shard, [0, 0])
        used[0] += unit.rules
        used[1] += unit.target_groups
        out[unit.key] = shard

    previous = previous or {}
    placed_before = []
    fresh = []
    for unit in units:
        votes: dict[int, int] = {}
        for element in unit.elements:
            if element in previous:
                votes[previous[element]] = votes.get(previous[element], 0) + 1
        if votes:
            shard = min(votes, key=lambda s: (-votes[s], s))
            placed_before.append((shard, unit))
        else:
            fresh.append(unit)
    for shard, unit in sorted(placed_before, key=lambda su: (su[0], su[1].key)):
        if fits(shard, unit):
            put(shard, unit)
        else:
            fresh.append(unit)
    for unit in sorted(fresh, key=lambda u: u.key):
        candidates = sorted(load, key=lambda s: _score(unit, s), reverse=True)
        fitting = next((s for s in candidates if fits(s, unit)), None)
        put(fitting if fitting is not None else max(load, default=0) + 1, unit)
    return out


def needs_split(stack: GroupStack, limits: Limits) -> str | None:
    """A sentence naming the quota the group exceeds, or None."""
    rules = sum(len(listener.rules) for listener in stack.listeners)
    if rules > limits["rules-per-alb"]:
        return f"{rules} listener rules, more than quota rules-per-alb {limits['rules-per-alb']}"
    if len(stack.target_groups) > limits["target-groups-per-alb"]:
        return f"{len(stack.target_groups)} target groups, more than quota target-groups-per-alb {limits['target-groups-per-alb']}"
    return None


def _retag(tags: tuple[Tag, ...], value: str) -> tuple[Tag, ...]:
    return tuple(Tag(t.key, value) if t.key == RESOURCE_TAG else t for t in tags)


def _shard_listener(listener: Listener, ingresses: frozenset[str], tg_ids: set[str]) -> Listener:
    rules: list[Rule] = []
    for rule in listener.rules:
        if rule.source in ingresses:
            priority = len(rules) + 1
            rules.append(replace(rule, priority=priority, tags=_retag(rule.tags, f"{listener.port}:{priority}")))
    defaults = listener.default_actions
    if not _action_tgs(defaults) <= tg_ids:
        defaults = (NOT_FOUND,)  # the default backend's target group lives on the ALB of its Ingress
    return replace(listener, rules=tuple(rules), default_actions=defaults, sources=tuple(s for s in listener.sources if s in ingresses))


def split_stack(stack: GroupStack, limits: Limits, previous: Previous | None, where: Diagnostic) -> list[GroupStack]:
    if stack.frontend_nlb is not None:
        raise InputError(
            f"{where.message}; --split-by-quota cannot split a group with enable-frontend-nlb (one NLB fronts one ALB)", where.location, where.object
        )
    lb = stack.load_balancer
    if lb.name != naming.load_balancer_name(stack.cluster, stack.group_id, stack.explicit, lb.scheme):
        raise InputError(
            f"{where.message}; --split-by-quota needs one name per ALB, and the group sets "
            f"alb.ingress.kubernetes.io/load-balancer-name {lb.name!r}: remove it to split",
            where.location,
            where.object,
        )
    units, _ = units_of(stack)
    capacity = (limits["rules-per-alb"], limits["target-groups-per-alb"])
    for unit in units:
        if unit.rules > capacity[0] or unit.target_groups > capacity[1]:
            shown = unit.key or "(rules without host)"
            raise InputError(
                f"{where.message}; --split-by-quota keeps every rule of a host (and hosts sharing an Ingress) on one ALB, "
                f"and the unit {shown!r} alone has {unit.rules} rules and {unit.target_groups} target groups",
                where.location,
                where.object,
            )
    assignment = assign(units, capacity, previous)
    shards = sorted(set(assignment.values()))
    out = []
    for shard in shards:
        mine = [u for u in units if assignment[u.key] == shard]
        ingresses = frozenset().union(*(u.ingresses for u in mine))
        tgs = tuple(tg for tg in stack.target_groups if tg.ingress in ingresses)
        tg_ids = {tg.logical_id for tg in tgs}
        managed = lb.managed_security_group
        if managed is not None:
            managed = replace(managed, name=naming.shard_security_group_name(stack.cluster, stack.group_id, stack.explicit, shard))
        shard_lb = replace(
            lb,
            name=naming.shard_load_balancer_name(stack.cluster, stack.group_id, stack.explicit, lb.scheme, shard),
            managed_security_group=managed,
        )
        out.append(
            replace(
                stack,
                stack_name=naming.shard_stack_name(stack.stack_name, shard),
                members=tuple(m for m in stack.members if m in ingresses),
                load_balancer=shard_lb,
                listeners=tuple(_shard_listener(listener, ingresses, tg_ids) for listener in stack.listeners),
                target_groups=tgs,
                shard=shard,
                shard_units=tuple(sorted(e for u in mine for e in u.elements)),
            )
        )
    return out


def read_previous(directory: Path) -> dict[str, Previous]:
    """group id → (unit element → shard) from the shard templates already in `directory`."""
    if not directory.is_dir():
        return {}
    metas: list[metadata.TemplateMeta] = []
    for path in sorted(directory.iterdir()):
        if path.suffix not in (".yaml", ".json") or ".bindings." in path.name:
            continue
        try:
            # not ours, ignored: a device, FIFO or link to one (/dev/zero would never end), a file
            # larger than CloudFormation's 1 MB template limit, unreadable or malformed YAML
            if not path.is_file() or path.stat().st_size > MAX_TEMPLATE_BYTES:
                continue
            metas.append(metadata.read_template_text(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, OSError, UnicodeDecodeError):
            continue  # not ours: ignored, as is anything without shard metadata
    return _previous(metas)


def previous_from_templates(templates: Iterable[Any]) -> dict[str, Previous]:
    """group id → (unit element → shard) from parsed templates (the deployed stacks' `get_template`
    bodies): the same reading as `read_previous` for the deployer."""
    return _previous(metadata.read_template(t) for t in templates)


def _previous(metas: Iterable[metadata.TemplateMeta]) -> dict[str, Previous]:
    out: dict[str, Previous] = {}
    for meta in metas:
        if meta.shard is None:
            continue
        for element in meta.units:
            out.setdefault(str(meta.group), {})[element] = meta.shard
    return out
