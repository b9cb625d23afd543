"""ALB and CloudFormation limits, checked on the model/template before anything is sent.
THE one place for these numbers. Names are ours (`--quota rules-per-alb=200`); `aws_name` is the
Name in `elbv2 describe-account-limits`, for `--quotas-from-aws`."""

from __future__ import annotations

import msgspec


class Quota(msgspec.Struct, frozen=True):
    name: str
    default: int
    doc: str
    aws_name: str | None = None


QUOTAS: tuple[Quota, ...] = (
    Quota("rules-per-alb", 100, "listener rules per ALB, all listeners together, default actions not counted", "rules-per-application-load-balancer"),
    Quota("target-groups-per-alb", 100, "target groups per ALB", "target-groups-per-application-load-balancer"),
    Quota("listeners-per-alb", 50, "listeners per ALB", "listeners-per-application-load-balancer"),
    Quota("certificates-per-alb", 25, "certificates per ALB, default certificates not counted", "certificates-per-application-load-balancer"),
    Quota("condition-values-per-rule", 5, "condition values per rule", "condition-values-per-alb-rule"),
    Quota("condition-wildcards-per-rule", 5, "wildcards (* or ?) per rule", "condition-wildcards-per-alb-rule"),
    Quota("target-groups-per-action", 5, "target groups per forward action", "target-groups-per-action-on-application-load-balancer"),
    Quota("name-length", 32, "ALB / target group / NLB name length"),
    Quota("template-body-bytes", 51_200, "TemplateBody passed inline; larger needs an S3 upload"),
    Quota("template-url-bytes", 1_000_000, "template size from S3"),
    Quota("resources-per-stack", 500, "resources per CloudFormation stack"),
    Quota("outputs-per-stack", 200, "outputs per CloudFormation stack"),
    Quota("parameters-per-stack", 200, "parameters per CloudFormation stack"),
)

BY_NAME = {q.name: q for q in QUOTAS}


class Limits(msgspec.Struct, frozen=True):
    """Effective values: defaults, raised by --quota or read from AWS."""

    values: tuple[tuple[str, int], ...] = tuple((q.name, q.default) for q in QUOTAS)

    def __getitem__(self, name: str) -> int:
        return dict(self.values)[name]

    def with_values(self, overrides: dict[str, int]) -> Limits:
        unknown = sorted(set(overrides) - set(BY_NAME))
        if unknown:
            raise KeyError(", ".join(unknown))
        merged = dict(self.values)
        merged.update(overrides)
        return msgspec.structs.replace(self, values=tuple(sorted(merged.items(), key=lambda kv: list(BY_NAME).index(kv[0]))))


DEFAULT_LIMITS = Limits()


def parse_override(text: str) -> tuple[str, int]:
    """`rules-per-alb=200` → ("rules-per-alb", 200); ValueError with a readable reason."""
    if "=" not in text:
        raise ValueError(f"--quota {text!r}: want NAME=NUMBER, e.g. rules-per-alb=200")
    name, raw = text.split("=", 1)
    name = name.strip()
    if name not in BY_NAME:
        raise ValueError(f"--quota {text!r}: unknown quota {name!r}; known: {', '.join(BY_NAME)}")
    if not raw.strip().isdigit() or int(raw) < 1:
        raise ValueError(f"--quota {text!r}: {raw!r} is not a positive whole number")
    return name, int(raw)


def from_account_limits(limits: list[dict]) -> dict[str, int]:
    """`elbv2 describe-account-limits` Limits → our names (unknown AWS names are ignored)."""
    by_aws = {q.aws_name: q.name for q in QUOTAS if q.aws_name}
    out = {}
    for item in limits:
        name = by_aws.get(str(item.get("Name")))
        if name is not None and str(item.get("Max", "")).isdigit():
            out[name] = int(item["Max"])
    return out
