"""Ingress status write-back (lbc-semantics.md §11): every member Ingress of a deployed group gets
`status.loadBalancer.ingress` = one entry per load balancer (the ALB, then a frontend NLB) with the
DNS name lower-cased and, as LBC v2.17+ does, the load balancer's listener ports sorted.

Written through the status subresource (`patch_namespaced_ingress_status`) with the official client,
whose NetworkingV1Api the caller builds and passes in. An Ingress whose status already says this is
left alone, so calling this on every sync round costs one read per Ingress.

LBC writes ports as `{port: N}`; the API marks `protocol` required and the Python client refuses to
read an entry without it, so we write `protocol: TCP` (every ALB and NLB listener runs over TCP)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from ingress2cfn.input.errors import Ingress2CfnError


class IngressStatusError(Ingress2CfnError):
    """Writing an Ingress's status failed (other than the Ingress being gone)."""


@dataclass(frozen=True)
class Address:
    """One load balancer as Ingress status shows it."""

    hostname: str
    ports: tuple[int, ...] = ()


class Outcome(Enum):
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MISSING = "missing"  # the Ingress does not exist (deleted since the render): nothing to write


@dataclass(frozen=True)
class StatusWrite:
    ingress: str  # namespace/name
    outcome: Outcome


def load_balancer_status(addresses: Sequence[Address]) -> dict[str, Any]:
    """The `status.loadBalancer` value, as the API serialises it (pure)."""
    entries = []
    for a in addresses:
        entry: dict[str, Any] = {"hostname": a.hostname.lower()}
        ports = sorted(set(a.ports))
        if ports:
            entry["ports"] = [{"port": p, "protocol": "TCP"} for p in ports]
        entries.append(entry)
    return {"ingress": entries}


def _split(member: str) -> tuple[str, str]:
    namespace, _, name = member.partition("/")
    if not namespace or not name:
        raise IngressStatusError(f"Ingress {member!r}: expected namespace/name")
    return namespace, name


def write_ingress_status(api: Any, members: Iterable[str], addresses: Sequence[Address]) -> list[StatusWrite]:
    """Set every member's status to `addresses`. `api` is a `kubernetes.client.NetworkingV1Api`.
    No addresses (the load balancer is not there) → nothing is written, as LBC leaves status untouched
    when the deployment failed."""
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError

    if not addresses:
        return []
    desired = load_balancer_status(addresses)
    out = []
    for member in sorted(set(members)):
        namespace, name = _split(member)
        try:
            current = api.read_namespaced_ingress_status(name, namespace)
            lb = current.status.load_balancer if current.status is not None else None
            if (api.api_client.sanitize_for_serialization(lb) or {}) == desired:
                out.append(StatusWrite(member, Outcome.UNCHANGED))
                continue
            api.patch_namespaced_ingress_status(name, namespace, {"status": {"loadBalancer": desired}})
        except ApiException as exc:
            if exc.status == 404:
                out.append(StatusWrite(member, Outcome.MISSING))
                continue
            raise IngressStatusError(f"writing status.loadBalancer of Ingress {member}: HTTP {exc.status} {exc.reason}") from None
        except HTTPError as exc:  # the API server cannot be reached (after the client's own retries)
            raise IngressStatusError(f"writing status.loadBalancer of Ingress {member}: {type(exc).__name__}: {exc}") from None
        out.append(StatusWrite(member, Outcome.UPDATED))
    return out
