"""The danger banner: changes to what already exists that a reviewer must approve by name.
A brand-new stack is never a danger. The deployer refuses to execute a plan with dangers unless
--allow-replacement, and `plan` exits 3 for one.

- the ALB or a listener replaced or removed;
- a target group replaced while it serves traffic (a listener or rule of the deployed template
  forwards to it);
- an existing security group opened to 0.0.0.0/0 or ::/0 (it admitted no one from that address
  family's whole range before: adding a port to an ALB that is already public is not a danger);
- a certificate or a WAF web ACL association removed;
- more than PRIORITY_MOVES_ALLOWED rule priorities changed in one stack."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ingress2cfn.deploy.review.model import CREATE, DELETE, NO_CHANGES, REMOVE, YES, Danger, ListenerTable, ResourceRow, StackChange
from ingress2cfn.deploy.review.rule_table import priority_moves
from ingress2cfn.deploy.review.template import resources
from ingress2cfn.lint.checks.context import (
    LB,
    LISTENER,
    LISTENER_CERTIFICATE,
    SECURITY_GROUP,
    SECURITY_GROUP_INGRESS,
    TARGET_GROUP,
    TemplateIndex,
    as_dict,
    as_int,
    as_list,
    describe_lb,
    describe_listener,
    value_key,
)
from ingress2cfn.lint.checks.exposure import ANYWHERE

PRIORITY_MOVES_ALLOWED = 5
WAF_ASSOCIATIONS = ("AWS::WAFv2::WebACLAssociation", "AWS::WAFRegional::WebACLAssociation")

# Danger kinds, in banner order
ALB_REPLACED = "alb-replaced"
ALB_REMOVED = "alb-removed"
LISTENER_REPLACED = "listener-replaced"
LISTENER_REMOVED = "listener-removed"
TARGET_GROUP_REPLACED = "target-group-replaced"
SECURITY_GROUP_OPENED = "security-group-opened"
CERTIFICATE_REMOVED = "certificate-removed"
WAF_REMOVED = "waf-removed"
PRIORITIES_CHANGED = "priorities-changed"
KINDS = (
    ALB_REPLACED,
    ALB_REMOVED,
    LISTENER_REPLACED,
    LISTENER_REMOVED,
    TARGET_GROUP_REPLACED,
    SECURITY_GROUP_OPENED,
    CERTIFICATE_REMOVED,
    WAF_REMOVED,
    PRIORITIES_CHANGED,
)


def _causes(row: ResourceRow) -> str:
    return f" ({', '.join(row.causes)})" if row.causes else ""


def _load_balancers(change: StackChange, rows: dict[str, ResourceRow], old: TemplateIndex, new: TemplateIndex) -> Iterator[Danger]:
    for lb in old.of_type(LB):
        row = rows.get(lb.logical_id)
        if row is None:
            continue
        name = describe_lb(old, lb.logical_id)
        if row.action == DELETE:
            fate = f"removed from the stack and {row.notes[0]}" if row.notes else "removed: its DNS name stops answering"
            yield Danger(ALB_REMOVED, change.stack_name, lb.logical_id, f"{name} is {fate}")
        elif row.replacement == YES:
            message = f"{name} is replaced{_causes(row)}: the new one gets a new DNS name, and clients of the old one lose it"
            stranded = _stranded_target_groups(lb.logical_id, rows, new)
            if stranded:
                message += (
                    f"; its target group{'s' if len(stranded) > 1 else ''} {', '.join(stranded)} must be replaced with it (a target group serves one load balancer), "
                    "which this template does not do"
                )
            yield Danger(ALB_REPLACED, change.stack_name, lb.logical_id, message)


def _stranded_target_groups(lb_id: str, rows: dict[str, ResourceRow], new: TemplateIndex) -> list[str]:
    """Target groups the replaced ALB's listeners forward to that stay as they are."""
    listeners = {listener.logical_id for listener in new.listeners_of(lb_id)}
    out = []
    for tg, users in sorted(new.target_group_users().items()):
        row = rows.get(tg)
        if set(users) & listeners and not (row is not None and (row.action != "modify" or row.replacement == YES)):
            out.append(tg)
    return out


def _listeners(change: StackChange, rows: dict[str, ResourceRow], old: TemplateIndex) -> Iterator[Danger]:
    for listener in old.of_type(LISTENER):
        row = rows.get(listener.logical_id)
        if row is None:
            continue
        name = describe_listener(old, listener.logical_id)
        if row.action == DELETE:
            yield Danger(LISTENER_REMOVED, change.stack_name, listener.logical_id, f"{name} is removed: requests to its port are refused")
        elif row.replacement == YES:
            yield Danger(
                LISTENER_REPLACED,
                change.stack_name,
                listener.logical_id,
                f"{name} is replaced{_causes(row)}: its port refuses requests between the removal and the new listener",
            )


def _target_groups(change: StackChange, rows: dict[str, ResourceRow], old: TemplateIndex) -> Iterator[Danger]:
    users = old.target_group_users()
    for tg in old.of_type(TARGET_GROUP):
        row = rows.get(tg.logical_id)
        if row is None or row.replacement != YES or not users.get(tg.logical_id):
            continue
        service = tg.metadata.service
        yield Danger(
            TARGET_GROUP_REPLACED,
            change.stack_name,
            tg.logical_id,
            f"target group {tg.logical_id}" + (f" (Service {service})" if service else "") + f" is replaced{_causes(row)} while "
            f"{', '.join(sorted(users[tg.logical_id]))} forward to it: the new one starts without registered targets",
        )


def _world_open(index: TemplateIndex) -> dict[str, dict[str, list[str]]]:
    """Security group key → {world CIDR: ["tcp 80", ...]} over inline and standalone ingress rules."""
    out: dict[str, dict[str, list[str]]] = {}

    def add(group: str | None, entry: dict[str, Any]) -> None:
        if group is None:
            return
        for key, cidr in ANYWHERE.items():
            if entry.get(key) == cidr:
                lo, hi = as_int(entry.get("FromPort")), as_int(entry.get("ToPort"))
                proto = str(entry.get("IpProtocol", "?")).lower()
                ports = "all" if proto in ("-1", "all") else f"{proto} {lo}" + (f"-{hi}" if hi is not None and hi != lo else "")
                out.setdefault(group, {}).setdefault(cidr, []).append(ports)

    for sg in index.of_type(SECURITY_GROUP):
        for entry in as_list(sg.properties.get("SecurityGroupIngress")):
            add(sg.logical_id, as_dict(entry))
    for res in index.of_type(SECURITY_GROUP_INGRESS):
        add(value_key(res.properties.get("GroupId")), res.properties)
    return out


def _security_groups(change: StackChange, old: TemplateIndex, new: TemplateIndex) -> Iterator[Danger]:
    before, after = _world_open(old), _world_open(new)
    for group, cidrs in sorted(after.items()):
        in_template = group in new.resources
        if in_template and old.get(group, SECURITY_GROUP) is None:
            continue  # a security group this update creates
        opened = sorted(c for c in cidrs if c not in before.get(group, {}))
        for cidr in opened:
            what = f"security group {group}" if in_template else f"existing security group {group}"
            yield Danger(
                SECURITY_GROUP_OPENED, change.stack_name, group if in_template else None, f"{what} is opened to {cidr} ({', '.join(sorted(set(cidrs[cidr])))})"
            )


def _certificates(index: TemplateIndex) -> dict[str, str]:
    """Certificate ARN (or the logical id it refers to) → the resource that attaches it."""
    out: dict[str, str] = {}
    for res in index.of_type(LISTENER) + index.of_type(LISTENER_CERTIFICATE):
        for cert in as_list(res.properties.get("Certificates")):
            arn = value_key(as_dict(cert).get("CertificateArn"))
            if arn is not None:
                out.setdefault(arn, res.logical_id)
    return out


def _removed_certificates(change: StackChange, old: TemplateIndex, new: TemplateIndex) -> Iterator[Danger]:
    after = _certificates(new)
    for arn, holder in sorted(_certificates(old).items()):
        if arn not in after:
            yield Danger(CERTIFICATE_REMOVED, change.stack_name, holder, f"certificate {arn} is removed from {holder}: its hosts no longer get it over TLS")


def _removed_waf(change: StackChange, rows: dict[str, ResourceRow], old: TemplateIndex) -> Iterator[Danger]:
    for type_ in WAF_ASSOCIATIONS:
        for assoc in old.of_type(type_):
            row = rows.get(assoc.logical_id)
            if row is not None and row.action == DELETE:
                acl = value_key(assoc.properties.get("WebACLArn") or assoc.properties.get("WebACLId")) or "?"
                yield Danger(WAF_REMOVED, change.stack_name, assoc.logical_id, f"WAF web ACL {acl} is no longer associated with the load balancer ({type_})")


def _priorities(change: StackChange, tables: tuple[ListenerTable, ...]) -> Iterator[Danger]:
    moves = priority_moves(tables)
    total = sum(len(v) for v in moves.values())
    if total > PRIORITY_MOVES_ALLOWED:
        spread = "; ".join(f"{listener}: {', '.join(f'{r.old_priority}→{r.priority}' for r in rows)}" for listener, rows in sorted(moves.items()))
        yield Danger(
            PRIORITIES_CHANGED,
            change.stack_name,
            None,
            f"{total} listener rules change priority ({spread}), more than {PRIORITY_MOVES_ALLOWED}: while they move, a request may match another rule",
        )


def stack_dangers(change: StackChange, rows: tuple[ResourceRow, ...], tables: tuple[ListenerTable, ...]) -> tuple[Danger, ...]:
    if change.action in (CREATE, NO_CHANGES) or change.old_template is None or not resources(change.old_template):
        return ()
    old, new = TemplateIndex(change.old_template), TemplateIndex(change.new_template if change.action != REMOVE and change.new_template else {})
    by_id = {r.logical_id: r for r in rows}
    found = [
        *_load_balancers(change, by_id, old, new),
        *_listeners(change, by_id, old),
        *_target_groups(change, by_id, old),
        *_security_groups(change, old, new),
        *_removed_certificates(change, old, new),
        *_removed_waf(change, by_id, old),
        *_priorities(change, tables),
    ]
    return tuple(sorted(found, key=lambda d: KINDS.index(d.kind)))
