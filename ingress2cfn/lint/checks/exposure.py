"""Family 6: what the ALB exposes — spec.tls hosts without any certificate (the controller then
silently serves HTTP), plain HTTP on an internet-facing ALB, and listeners on non-standard ports
open to the whole internet."""

from __future__ import annotations

from collections.abc import Iterator

from ingress2cfn.lint.checks.context import (
    LISTENER_CERTIFICATE,
    SECURITY_GROUP,
    SECURITY_GROUP_INGRESS,
    CheckContext,
    Resource,
    as_dict,
    as_int,
    as_list,
    as_str,
    describe_lb,
    describe_listener,
    ref_target,
    value_key,
)
from ingress2cfn.lint.findings import Finding
from ingress2cfn.model.settings import CFN_DEFAULT_SCHEME, INTERNET_FACING
from ingress2cfn.model.stack import ANYWHERE_IPV4, ANYWHERE_IPV6

STANDARD_PORTS = (80, 443)
ANYWHERE = {"CidrIp": ANYWHERE_IPV4, "CidrIpv6": ANYWHERE_IPV6}


def _internet_facing(lb: Resource) -> bool:
    return lb.properties.get("Scheme", CFN_DEFAULT_SCHEME) == INTERNET_FACING


def _has_certificate(ctx: CheckContext, listener: Resource) -> bool:
    if as_list(listener.properties.get("Certificates")):
        return True
    return any(
        value_key(c.properties.get("ListenerArn")) == listener.logical_id and as_list(c.properties.get("Certificates"))
        for c in ctx.index.of_type(LISTENER_CERTIFICATE)
    )


def tls_without_certificate(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.tls_hosts:
        return
    albs = ctx.index.albs()
    if not albs:
        return
    with_metadata = ctx.index.has_metadata()
    members = set(ctx.index.members())
    for ingress, hosts in sorted(ctx.tls_hosts.items()):
        if with_metadata and ingress not in members:
            continue  # another stack's Ingress
        for lb in albs:
            listeners = [li for li in ctx.index.listeners_of(lb.logical_id) if not li.sources or ingress in li.sources]
            if any(li.properties.get("Protocol") == "HTTPS" and _has_certificate(ctx, li) for li in listeners):
                continue
            shown = ", ".join(hosts) if hosts else "no hosts"
            yield ctx.finding(
                f"Ingress {ingress} has spec.tls ({shown}) but no HTTPS listener with a certificate serves it on {describe_lb(ctx.index, lb.logical_id)}: "
                "the AWS Load Balancer Controller ignores spec.tls without certificate-arn (or ACM discovery) and an HTTPS listen-port, "
                "so these hosts are served over plain HTTP",
                lb,
                ingresses=(ingress,),
                rule_fields=("spec.tls",),
            )


def _redirects_to_https(actions: object) -> bool:
    return any(as_dict(a).get("Type") == "redirect" and as_dict(as_dict(a).get("RedirectConfig")).get("Protocol") == "HTTPS" for a in as_list(actions))


def http_without_redirect(ctx: CheckContext) -> Iterator[Finding]:
    for lb in ctx.index.albs():
        if not _internet_facing(lb):
            continue
        for listener in ctx.index.listeners_of(lb.logical_id):
            if listener.properties.get("Protocol") != "HTTP":
                continue
            rules = ctx.index.rules_of(listener.logical_id)
            if _redirects_to_https(listener.properties.get("DefaultActions")) and all(_redirects_to_https(r.properties.get("Actions")) for r in rules):
                continue
            yield ctx.finding(
                f"internet-facing {describe_lb(ctx.index, lb.logical_id)} serves plain HTTP on {describe_listener(ctx.index, listener.logical_id)} "
                "without redirecting to HTTPS" + (" (annotation alb.ingress.kubernetes.io/ssl-redirect)" if listener.metadata else ""),
                listener,
                ("Properties", "DefaultActions"),
            )


def _open_rules(ctx: CheckContext, sg_id: str) -> Iterator[tuple[int | None, int | None, str, str]]:
    """(from, to, protocol, cidr) of the rules of a security group of this template open to all."""
    sg = ctx.index.get(sg_id, SECURITY_GROUP)
    entries: list[dict] = []
    if sg is not None:
        entries.extend(as_dict(e) for e in as_list(sg.properties.get("SecurityGroupIngress")))
    for res in ctx.index.of_type(SECURITY_GROUP_INGRESS):
        if ref_target(res.properties.get("GroupId")) == sg_id:
            entries.append(res.properties)
    for e in entries:
        for key, cidr in ANYWHERE.items():
            if e.get(key) == cidr:
                proto = str(e.get("IpProtocol", "")).lower()
                yield as_int(e.get("FromPort")), as_int(e.get("ToPort")), proto, cidr


def open_non_standard_port(ctx: CheckContext) -> Iterator[Finding]:
    for lb in ctx.index.albs():
        if not _internet_facing(lb):
            continue
        groups = [
            g for g in (ref_target(v) for v in as_list(lb.properties.get("SecurityGroups"))) if g is not None and ctx.index.get(g, SECURITY_GROUP) is not None
        ]
        for listener in ctx.index.listeners_of(lb.logical_id):
            port = as_int(listener.properties.get("Port"))
            if port is None or port in STANDARD_PORTS:
                continue
            for sg_id in groups:
                opened = [
                    cidr
                    for lo, hi, proto, cidr in _open_rules(ctx, sg_id)
                    if proto in ("-1", "all") or (proto in ("tcp", "6") and lo is not None and hi is not None and lo <= port <= hi)
                ]
                if opened:
                    proto_name = as_str(listener.properties.get("Protocol")) or "?"
                    hint = " (restrict it with alb.ingress.kubernetes.io/inbound-cidrs)" if listener.metadata else ""
                    yield ctx.finding(
                        f"internet-facing {describe_lb(ctx.index, lb.logical_id)} listens on non-standard port {port} ({proto_name}) and security group "
                        f"{sg_id} lets {' and '.join(sorted(set(opened)))} reach it{hint}",
                        listener,
                        ("Properties", "Port"),
                    )
                    break
