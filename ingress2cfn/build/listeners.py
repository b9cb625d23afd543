"""Listeners (§5): per-member listen ports, merged per port; certificates; SSL redirect; default action."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingress2cfn.build.common import conflict, exclusive
from ingress2cfn.build.security_groups import parse_cidrs
from ingress2cfn.input.diagnostics import listed
from ingress2cfn.input.errors import Claim, ConflictError, InputError
from ingress2cfn.model.stack import ANYWHERE_IPV4, ANYWHERE_IPV6, Protocol
from ingress2cfn.rules.annotations import PREFIX, Found
from ingress2cfn.rules.groups import Member
from ingress2cfn.rules.listen_ports import certificate_arns, listen_ports


@dataclass(frozen=True)
class MemberPorts:
    member: Member
    ports: dict[int, Protocol] = field(hash=False)
    certificates: tuple[str, ...]
    ssl_policy: Found | None
    inbound_cidrs: Found | None
    cidrs: tuple[list[str], list[str]] | None = field(hash=False, default=None)
    prefix_lists: Found | None = None  # security-group-prefix-lists (an empty list counts as not set)


def member_ports(member: Member) -> MemberPorts:
    certificates = certificate_arns(member.annotations)
    ports = listen_ports(member.annotations)
    cidrs_found = member.annotations.get("inbound-cidrs")
    cidrs = None
    if cidrs_found is not None and not cidrs_found.value:
        cidrs_found = None  # LBC: an empty list counts as not set (len != 0), so the 0.0.0.0/0 default applies
    if cidrs_found is not None:
        try:
            cidrs = parse_cidrs(cidrs_found.value)
        except ValueError as exc:
            raise member.annotations.error("inbound-cidrs", f"invalid inbound-cidrs settings on Ingress: {member.key}: {exc.args[0]!r} is not a CIDR") from None
    prefix_found = member.annotations.get("security-group-prefix-lists")
    if prefix_found is not None and not prefix_found.value:
        prefix_found = None  # as inbound-cidrs: LBC tests len != 0
    return MemberPorts(member, ports, certificates, member.annotations.get("ssl-policy"), cidrs_found, cidrs, prefix_lists=prefix_found)


@dataclass(frozen=True)
class MergedPort:
    port: int
    protocol: Protocol
    members: tuple[Member, ...]
    ssl_policy: str | None
    default_certificate: str | None
    extra_certificates: tuple[str, ...]
    cidrs: tuple[list[str], list[str]] = field(hash=False)
    prefix_lists: tuple[str, ...] = ()  # sorted, as LBC's set


def merge_ports(configs: list[MemberPorts], default_ssl_policy: str) -> list[MergedPort]:
    all_ports = sorted({p for c in configs for p in c.ports})
    merged = []
    for port in all_ports:
        on_port = [c for c in configs if port in c.ports]
        first = on_port[0]
        for other in on_port[1:]:
            if other.ports[port] != first.ports[port]:
                first_loc, first_note = _ports_origin(first.member)
                other_loc, other_note = _ports_origin(other.member)
                raise ConflictError(
                    f"failed to merge listenPort config for port: {port}: conflicting protocol, "
                    f"{first.member.key}: {first.ports[port].value}{first_note} | {other.member.key}: {other.ports[port].value}{other_note} "
                    f"({first.member.key} at {first_loc.prefix()})",
                    (
                        Claim(first.member.ingress.describe, first_loc, first.ports[port].value),
                        Claim(other.member.ingress.describe, other_loc, other.ports[port].value),
                    ),
                )
        protocol = first.ports[port]
        # LBC sets a member's sslPolicy only on its HTTPS ports: an HTTP port never compares policies
        policy = _per_port([c.ssl_policy for c in on_port], "conflicting sslPolicy", port) if protocol is Protocol.HTTPS else None
        cidr_found = _per_port([c.inbound_cidrs for c in on_port], "conflicting inbound-cidrs", port, key=lambda f: sorted(set(f.value)))
        prefix_found = _per_port([c.prefix_lists for c in on_port], "conflicting inbound-prefix-lists", port, key=lambda f: sorted(set(f.value)))
        prefix_lists = tuple(sorted(set(prefix_found.value))) if prefix_found is not None else ()
        if cidr_found is not None:
            parsed = next(c.cidrs for c in on_port if c.inbound_cidrs is cidr_found)
            assert parsed is not None  # member_ports parses inbound-cidrs whenever it is set
            cidrs = parsed
        elif prefix_lists:
            cidrs = ([], [])  # LBC: prefix lists without inbound-cidrs → no 0.0.0.0/0 default
        else:
            cidrs = ([ANYWHERE_IPV4], [ANYWHERE_IPV6])
        default_cert = None
        extra: list[str] = []
        if protocol is Protocol.HTTPS:
            for config in on_port:
                for arn in config.certificates:
                    if default_cert is None:
                        default_cert = arn
                    elif arn not in extra:
                        extra.append(arn)
        merged.append(
            MergedPort(
                port,
                protocol,
                tuple(c.member for c in on_port),
                (policy.value if policy else default_ssl_policy) if protocol is Protocol.HTTPS else None,
                default_cert,
                tuple(extra),
                cidrs,
                prefix_lists=prefix_lists,
            )
        )
    return merged


def _ports_origin(member: Member):
    """Where a member's listen ports come from: its listen-ports annotation, else the defaults."""
    key = PREFIX + "listen-ports"
    if key in member.ingress.annotations:
        return member.annotations.loc(key), ""
    return member.ingress.origin.loc, " (default listen port)"


def _per_port(found: list[Found | None], message: str, port: int, key=lambda f: f.value) -> Found | None:
    chosen = None
    for f in found:
        if f is None:
            continue
        if chosen is None:
            chosen = f
        elif key(f) != key(chosen):
            raise conflict(f"{message} on port {port}", chosen, f)
    return chosen


def check_certificates(configs: list[MemberPorts], merged: list[MergedPort]) -> None:
    """Offline there is no ACM discovery (§5.3): an HTTPS port must get its certificates explicitly."""
    for mp in merged:
        if mp.protocol is not Protocol.HTTPS:
            continue
        for config in configs:
            if mp.port not in config.ports or config.certificates:
                continue
            ing = config.member.ingress
            hosts = ing.hosts()
            if hosts or mp.default_certificate is None:
                shown = listed(hosts) if hosts else "no hosts"
                raise InputError(
                    f"HTTPS listener port {mp.port} needs a certificate, and ACM certificate discovery needs AWS (hosts: {shown}). "
                    "Either set alb.ingress.kubernetes.io/certificate-arn (or IngressClassParams certificateArn), or render with "
                    "--discover-certificates to look the certificates up in ACM as the controller does",
                    ing.origin.at("metadata", "annotations"),
                    ing.describe,
                )


def ssl_redirect(members: tuple[Member, ...], merged: list[MergedPort]) -> int | None:
    found = exclusive(members, "ssl-redirect", "conflicting sslRedirect port")
    if found is None:
        return None  # "0" is not "off": upstream looks for a listener on port 0 and fails, so do we
    port = found.value
    target = next((m for m in merged if m.port == port), None)
    listeners = ", ".join(f"{m.protocol.value}:{m.port}" for m in merged)
    if target is None:
        raise InputError(f"listener does not exist for SSLRedirect port: {port} (the group's listeners: {listeners})", found.loc, found.owner)
    if target.protocol is not Protocol.HTTPS:
        raise InputError(
            f"listener protocol non-SSL for SSLRedirect port: {port} (the group's listeners: {listeners}; redirect to an HTTPS one)", found.loc, found.owner
        )
    return port


def default_backend_member(mp: MergedPort) -> Member | None:
    with_default = [m for m in mp.members if m.ingress.default_backend is not None]
    if len(with_default) > 1:
        keys = " ".join(m.key for m in with_default)
        last = with_default[-1]

        def sets(m: Member) -> str:
            b = m.ingress.default_backend
            assert b is not None
            text = f"{m.ingress.describe} sets {b.name}:{b.port_ref}"
            return text if m is last else f"{text} ({m.ingress.origin.at('spec', 'defaultBackend').prefix()})"

        raise ConflictError(
            f"multiple ingress defined default backend: [{keys}] on port {mp.port}: {' | '.join(sets(m) for m in with_default)}",
            tuple(
                Claim(m.ingress.describe, m.ingress.origin.at("spec", "defaultBackend"), f"{b.name}:{b.port_ref}")
                for m in with_default
                if (b := m.ingress.default_backend) is not None
            ),
        )
    return with_default[0] if with_default else None
