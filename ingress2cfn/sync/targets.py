"""Targets and plans: the values the pure part of sync computes with."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingress2cfn.aws.targets import MAX_TARGETS_PER_CALL


@dataclass(frozen=True, order=True)
class Target:
    """A target is identified by (id, port), as AWS keys it; the AvailabilityZone (`all` for an IP
    outside the VPC) rides along but is not part of the identity."""

    id: str
    port: int
    az: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.id}:{self.port}"

    @property
    def key(self) -> str:
        return f"{self.id}:{self.port}"


def parse_key(text: str) -> Target | None:
    """`id:port` (as written in the ownership record) → Target; None when malformed."""
    ident, sep, port = text.strip().rpartition(":")
    if not sep or not ident or not port.isdigit():
        return None
    return Target(ident, int(port))


@dataclass(frozen=True)
class Observed:
    """One entry of describe_target_health."""

    target: Target
    state: str  # initial | healthy | unhealthy | unused | draining | unavailable | unhealthy.draining

    @property
    def draining(self) -> bool:
        return self.state in ("draining", "unhealthy.draining")


@dataclass(frozen=True)
class Plan:
    """What one round does to one target group: register first, then deregister (make-before-break).
    `owned_after` is the ownership record to keep for a multi-cluster target group (None: exclusive)."""

    binding: str  # namespace/name
    target_group: str  # ARN (or the name, in a dry run that could not resolve it)
    register: tuple[Target, ...] = ()
    deregister: tuple[Target, ...] = ()
    owned_before_register: frozenset[Target] | None = None
    owned_after: frozenset[Target] | None = None

    @property
    def empty(self) -> bool:
        return not self.register and not self.deregister


@dataclass(frozen=True)
class Step:
    """One AWS mutation of a plan: ('register' | 'deregister', batch of at most BATCH targets)."""

    action: str
    target_group: str
    targets: tuple[Target, ...]


BATCH = MAX_TARGETS_PER_CALL  # ELBv2 register/deregister_targets: at most 200 targets per call (§12)


def batches(targets: tuple[Target, ...], size: int = BATCH) -> list[tuple[Target, ...]]:
    return [targets[i : i + size] for i in range(0, len(targets), size)]


def steps(plan: Plan, size: int = BATCH) -> list[Step]:
    """The calls of a plan in the only order apply uses: every register batch, then every deregister batch."""
    out = [Step("register", plan.target_group, b) for b in batches(plan.register, size)]
    out += [Step("deregister", plan.target_group, b) for b in batches(plan.deregister, size)]
    return out
