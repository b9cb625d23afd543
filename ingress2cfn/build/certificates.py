"""ACM certificate discovery (§5.3), the controller's way: an Ingress that has an HTTPS listen port but
no certificate-arn (nor IngressClassParams certificateArn) gets every ISSUED ACM certificate whose
subject alternative names cover one of its hosts (spec.rules[].host ∪ spec.tls[].hosts).

Upstream: pkg/certs/cert_discovery.go (Discover, domainMatchesHost, loadDomainsForCertificate) and
pkg/ingress/model_build_listener.go (computeIngressInferredTLSCertARNs). Pure: the certificates come
from an injected source (ingress2cfn.aws for the live one); the chosen ARNs are pinned into the
Ingresses as a certificate-arn annotation, so the build treats them exactly as written ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import msgspec

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import Ingress, Manifests
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.model.certificates import AcmCertificate, CertificateSource
from ingress2cfn.model.settings import Settings
from ingress2cfn.model.stack import Protocol
from ingress2cfn.rules.annotations import PREFIX
from ingress2cfn.rules.groups import build_groups
from ingress2cfn.rules.listen_ports import certificate_arns, listen_ports

CERTIFICATE_ARN = PREFIX + "certificate-arn"


class Need(msgspec.Struct, frozen=True):
    """An Ingress whose HTTPS ports need discovered certificates, with its hosts (sorted, as LBC)."""

    ingress: Ingress
    hosts: tuple[str, ...]


def domain_matches_host(domain: str, host: str) -> bool:
    """LBC domainMatchesHost: `*.a.b` covers a host with the same number of labels whose labels after
    the first are equal (so not `a.b`, not `x.y.a.b`); anything else must be equal (case-sensitive)."""
    if domain.startswith("*."):
        d, h = domain.split("."), host.split(".")
        return len(d) == len(h) and d[1:] == h[1:]
    return domain == host


def needs(manifests: Manifests, settings: Settings) -> list[Need]:
    """The owned Ingresses that LBC would look certificates up for (same ownership, groups and listen
    ports as the build)."""
    out = []
    for group in build_groups(manifests, settings, []):
        for member in group.members:
            if certificate_arns(member.annotations) or Protocol.HTTPS not in listen_ports(member.annotations).values():
                continue
            out.append(Need(member.ingress, member.ingress.hosts()))
    return out


def _host_location(ing: Ingress, host: str) -> SourceLocation:
    for i, rule in enumerate(ing.rules):
        if rule.host == host:
            return ing.origin.at("spec", "rules", i, "host")
    for i, tls in enumerate(ing.tls):
        for j, h in enumerate(tls.hosts):
            if h == host:
                return ing.origin.at("spec", "tls", i, "hosts", j)
    return ing.origin.at("spec")


def choose(need: Need, certificates: Sequence[AcmCertificate]) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """LBC Discover: every certificate matching any host, ARNs sorted (so the first, the listener's
    default certificate, is the smallest ARN). → (ARNs, ((host, its ARNs), ...)). A host without
    any → `no certificate found for host: <host>`, at the host."""
    chosen: set[str] = set()
    per_host = []
    for host in need.hosts:
        arns = sorted(c.arn for c in certificates if any(domain_matches_host(d, host) for d in c.domains))
        if not arns:
            ing = need.ingress
            raise InputError(
                f"no certificate found for host: {host} (none of the {len(certificates)} ISSUED ACM certificates has it, or a "
                f"matching *. wildcard, among its subject alternative names; request or import one, or set {CERTIFICATE_ARN})",
                _host_location(ing, host),
                ing.describe,
            )
        chosen.update(arns)
        per_host.append((host, tuple(arns)))
    return tuple(sorted(chosen)), tuple(per_host)


def pin(manifests: Manifests, chosen: dict[str, tuple[str, ...]]) -> Manifests:
    """The Ingresses keyed in `chosen` get their certificates as a certificate-arn annotation."""
    ingresses = []
    for ing in manifests.ingresses:
        arns = chosen.get(ing.key)
        if arns:
            ing = dataclasses.replace(ing, annotations={**ing.annotations, CERTIFICATE_ARN: ",".join(arns)})
        ingresses.append(ing)
    return msgspec.structs.replace(manifests, ingresses=ingresses)


def discover(manifests: Manifests, settings: Settings, source: CertificateSource) -> tuple[Manifests, tuple[str, ...]]:
    """→ (manifests with the discovered certificates pinned, one note per host for the user).
    `source` is called at most once, and only when some Ingress needs a certificate."""
    wanted = [n for n in needs(manifests, settings) if n.hosts]
    # an Ingress without hosts: LBC asks ACM about nothing and gets nothing; the build then says
    # that its HTTPS port has no certificate
    if not wanted:
        return manifests, ()
    certificates = list(source())
    chosen: dict[str, tuple[str, ...]] = {}
    notes = []
    for need in wanted:
        arns, per_host = choose(need, certificates)
        chosen[need.ingress.key] = arns
        for host, host_arns in per_host:
            notes.append(f"certificate: {need.ingress.describe}: {host} -> {', '.join(host_arns)}")
    return pin(manifests, chosen), tuple(notes)
