"""Family 5: CloudFormation limits of the template as a whole — its size (inline TemplateBody vs.
an S3 TemplateURL) and its resource, output and parameter counts."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ingress2cfn.lint.checks.context import CheckContext, as_dict
from ingress2cfn.lint.findings import Finding


def template_bytes(ctx: CheckContext) -> tuple[int, str]:
    """Size in bytes, and how it was measured: the text as given, else compact JSON (the smallest
    form the template can be sent in, so a size over a limit is over it in every form)."""
    if ctx.template_text is not None:
        return len(ctx.template_text.encode("utf-8")), "as written"

    def compact() -> int:
        return len(json.dumps(ctx.template, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8"))

    return ctx.index.cached("compact_json_bytes", compact), "as compact JSON"


def template_body_size(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    size, how = template_bytes(ctx)
    if limit < size <= ctx.limits["template-url-bytes"]:
        yield ctx.finding(
            f"template is {size:,} bytes ({how}), over the {limit:,} bytes CloudFormation accepts inline as TemplateBody: "
            "it must be uploaded to S3 and passed as TemplateURL",
        )


def template_url_size(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.limit()
    size, how = template_bytes(ctx)
    if size > limit:
        yield ctx.finding(
            f"template is {size:,} bytes ({how}), over the {limit:,} bytes CloudFormation accepts even from S3; split the group into several stacks",
        )


def _section_count(ctx: CheckContext, section: str, what: str) -> Iterator[Finding]:
    limit = ctx.limit()
    count = len(as_dict(ctx.template.get(section)))
    if count > limit:
        assert ctx.check is not None
        yield ctx.finding(
            f"template has {count} {what}, more than the {limit} a CloudFormation stack may have (quota {ctx.check.quota}); split the group into several stacks",
            path=(section,),
        )


def resources_per_stack(ctx: CheckContext) -> Iterator[Finding]:
    yield from _section_count(ctx, "Resources", "resources")


def outputs_per_stack(ctx: CheckContext) -> Iterator[Finding]:
    yield from _section_count(ctx, "Outputs", "outputs")


def parameters_per_stack(ctx: CheckContext) -> Iterator[Finding]:
    yield from _section_count(ctx, "Parameters", "parameters")
