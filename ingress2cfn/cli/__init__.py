"""The command line: the only place that prints, prompts or picks exit codes.

Exit codes: 0 success, 1 bad input or failed validation (lint: errors found; render --check:
stale), 2 changes pending (plan, later), 3 lint --fail-on warning found warnings only, 64 usage
error. Heavy imports (troposphere, boto3, cfn-lint) happen inside commands only."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_CHANGES_PENDING = 2
EXIT_WARNINGS = 3  # lint --fail-on warning: warnings but no errors
EXIT_USAGE = 64

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
LINT_FORMATS = ("text", "json", "sarif", "junit", "github")  # ingress2cfn/formats/, one module each


def _colour() -> bool:
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()


def warn(message: str) -> None:
    prefix = click.style("warning:", fg="yellow", bold=True) if _colour() else "warning:"
    click.echo(f"{prefix} {message}", err=True)


def fail(message: str) -> None:
    prefix = click.style("error:", fg="red", bold=True) if _colour() else "error:"
    click.echo(f"{prefix} {message}", err=True)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="ingress2cfn")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn Kubernetes Ingress manifests (AWS Load Balancer Controller annotations) into
    CloudFormation stacks for Application Load Balancers.

    \b
    Start with:
      ingress2cfn render -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster

    \b
    Exit codes: 0 success, 1 bad input or failed validation (lint: errors; render --check:
    stale files), 2 changes pending (plan), 3 warnings only (lint --fail-on warning),
    64 usage error. Set NO_COLOR to disable colour.
    """
    ctx.obj = {"debug": debug}


QUOTA_OPTION = click.option(
    "--quota", "quotas", multiple=True, metavar="NAME=N",
    help="Raise (or lower) a quota, e.g. rules-per-alb=200 (README: quotas). Repeatable; wins over --quotas-from-aws.")


def _limits(quotas: tuple[str, ...]):
    from ingress2cfn.model.quotas import DEFAULT_LIMITS, parse_override

    overrides = {}
    for text in quotas:
        try:
            name, value = parse_override(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--quota") from None
        overrides[name] = value
    return DEFAULT_LIMITS.with_values(overrides)


def render_inputs(required: bool = True):
    """The options `render` and `lint` share: the manifests and how to read them. One list, so the
    two commands cannot drift apart; `lint` makes -f/--vpc/--cluster optional (it also takes
    --template) and checks them itself."""
    options = [
        click.option("-f", "--filename", "filenames", multiple=True, required=required, metavar="PATH",
                     help="Manifest file, directory (recursing *.yaml, *.yml, *.json) or - for stdin. Repeatable."),
        click.option("--vpc", "vpc_file", required=required, type=click.Path(dir_okay=False), metavar="FILE",
                     help="VPC description: `aws ec2 describe-vpcs/describe-subnets/describe-security-groups` output merged with `jq -s add`, or the compact form (README)."),
        click.option("--cluster", required=required, help="EKS cluster name: enters names, tags and subnet filtering."),
        click.option("-n", "--namespace", default="default", show_default=True, help="Namespace for objects that have none, as kubectl."),
        click.option("--ingress-class", default="alb", show_default=True, help="As the controller's --ingress-class flag."),
        click.option("--vpc-id", default=None, help="The cluster's VPC, when the description holds several."),
        click.option("--node-security-group", default=None, metavar="SG_ID",
                     help="Worker node security group (default: the one tagged kubernetes.io/cluster/<cluster>)."),
        click.option("--backend-security-group-id", default=None, metavar="SG_ID",
                     help="Deployed backend SG id, to fill the bindings' networking rules."),
        click.option("--hash-service-uid", is_flag=True,
                     help="Hash Service metadata.uid into target group names exactly as the controller (to adopt its target groups)."),
        click.option("--oidc-secret-prefix", default=None, metavar="PREFIX", callback=lambda ctx, param, value: _secret_prefix(value),
                     help="OIDC auth: Secrets Manager secret <PREFIX><namespace>/<secretName> holds clientID and clientSecret "
                          "(default ingress2cfn/<cluster>/; README: OIDC client secrets)."),
        click.option("--split-by-quota", is_flag=True,
                     help="Bin-pack a group over the per-ALB quotas (rules, target groups) onto several ALBs and stacks "
                          "<stack>-s1, -s2, ...; every host stays on one ALB. The assignment is read back from the templates "
                          "in --out/--check DIR, so a host moves only when its ALB overflows (README: splitting)."),
        click.option("--discover-certificates", is_flag=True,
                     help="Look certificates up in ACM, as the controller does, for HTTPS ports without certificate-arn: "
                          "ISSUED certificates whose names cover the Ingress's hosts (AWS credentials, AWS_REGION). "
                          "Prints which host got which certificate."),
    ]

    def decorate(fn):
        for option in reversed(options):
            fn = option(fn)
        return fn

    return decorate


def _render_request(inputs: dict, fmt: str = "yaml"):
    from ingress2cfn.render.serialise import Format
    from ingress2cfn.render.pipeline import RenderRequest

    return RenderRequest(
        sources=tuple(inputs["filenames"]), vpc_file=inputs["vpc_file"], cluster=inputs["cluster"], namespace=inputs["namespace"],
        ingress_class=inputs["ingress_class"], vpc_id=inputs["vpc_id"], node_security_group=inputs["node_security_group"],
        hash_service_uid=inputs["hash_service_uid"], backend_security_group_id=inputs["backend_security_group_id"], fmt=Format(fmt),
        oidc_secret_prefix=inputs["oidc_secret_prefix"], discover_certificates=inputs["discover_certificates"],
        split_by_quota=inputs["split_by_quota"],
    )


@cli.command(context_settings=CONTEXT)
@render_inputs(required=True)
@click.option("-o", "--out", "out_dir", default=None, type=click.Path(file_okay=False), metavar="DIR",
              help="Write every stack and the bindings to DIR. Without it the one group's template goes to stdout.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True, help="Template format.")
@QUOTA_OPTION
@click.option("--check", "check_dir", default=None, type=click.Path(file_okay=False), metavar="DIR",
              help="Render in memory and compare with the committed files in DIR (as --out would write them): print a unified "
                   "diff and exit 1 when they are stale (missing, extra or different files), 0 when fresh. Writes nothing.")
@click.pass_context
def render(ctx: click.Context, out_dir, fmt, check_dir, quotas, **inputs) -> None:
    """Render one CloudFormation stack per IngressGroup.

    Reads Ingress, Service, IngressClass, IngressClassParams and Namespace objects; every other
    kind is skipped, so `kustomize build | ingress2cfn render -f - ...` works.

    \b
    Without --out exactly one group is expected and its template is printed:
      ingress2cfn render -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster
    With --out DIR, for each group <stack>.yaml and <stack>.bindings.yaml, plus the cluster stack:
      ingress2cfn render -f examples/ingress-group --vpc examples/ingress-group/vpc.yaml --cluster my-cluster --out out/

    Stack names: i2c-<cluster>-<group>-<hash8>; the cluster stack (backend security group and the
    node rules) is i2c-<cluster>-cluster-<hash8>. Group stacks take its BackendSecurityGroupId
    output as a parameter.

    \b
    In CI, fail when the committed templates are stale (exit 1, with a diff):
      ingress2cfn render -f k8s/ --vpc vpc.yaml --cluster prod --check cfn/
    """
    from ingress2cfn.render.pipeline import render_files

    if check_dir is not None and out_dir is not None:
        raise click.UsageError("--check DIR compares with DIR, --out DIR writes to it: give one of them")
    filenames, ingress_class = inputs["filenames"], inputs["ingress_class"]
    from dataclasses import replace

    request = replace(_render_request(inputs, fmt), limits=_limits(quotas), previous_dir=check_dir or out_dir)
    result = render_files(request)
    for note in result.notes:
        click.echo(note, err=True)
    for message in result.warnings:
        warn(message)
    if out_dir is None and check_dir is None:
        if len(result.groups) == 0:
            shown = ", ".join("<stdin>" if f == "-" else f for f in filenames)
            raise _Invalid(
                f"no Ingress in {shown} belongs to ingress class {ingress_class!r}: give it spec.ingressClassName {ingress_class} "
                "(or an IngressClass of the input with controller ingress.k8s.aws/alb), the annotation kubernetes.io/ingress.class, "
                "or run with --ingress-class"
            )
        if len(result.groups) > 1:
            names = ", ".join(g.group_id for g in result.groups)
            raise _Invalid(f"the input makes {len(result.groups)} IngressGroups ({names}): use --out DIR to write one stack each")
        click.echo(result.groups[0].template, nl=False)
        return
    if check_dir is not None:
        from ingress2cfn.render.freshness import compare

        stale = compare(result.files(), Path(check_dir))
        if stale.diff:
            click.echo(stale.diff, nl=False)
        if stale:
            fail(f"{check_dir} is stale: {stale.summary()}; re-run with --out {check_dir} and commit the result")
            ctx.exit(EXIT_INVALID)
        click.echo(f"{check_dir} is up to date ({len(result.files())} files)", err=True)
        return
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in result.files():
        (target / name).write_text(text, encoding="utf-8")
    for name, _ in result.files():
        click.echo(str(target / name), err=True)


@cli.command(context_settings=CONTEXT)
@render_inputs(required=False)
@click.option("--template", "template_file", default=None, type=click.Path(dir_okay=False), metavar="FILE",
              help="Lint an already rendered template instead of rendering manifests (places are then lines of FILE).")
@click.option("--format", "fmt", type=click.Choice(LINT_FORMATS), default="text", show_default=True,
              help="Report format: text (colour unless NO_COLOR or not a terminal), json, sarif (2.1.0), junit, "
                   "github (workflow-command annotations).")
@click.option("--output", "output", default=None, type=click.Path(dir_okay=False), metavar="FILE",
              help="Write the report to FILE (default: stdout); a one-line summary goes to stderr.")
@click.option("--fail-on", type=click.Choice(["warning", "error"]), default="error", show_default=True,
              help="Lowest severity that fails: error → exit 1 on errors; warning → also exit 3 on warnings only.")
@QUOTA_OPTION
@click.option("--quotas-from-aws", is_flag=True,
              help="Read the account's ELBv2 limits (elbv2 describe-account-limits; AWS credentials, AWS_REGION or the first "
                   "--regions).")
@click.option("--policy", "policy_file", default=None, type=click.Path(dir_okay=False), metavar="FILE",
              help="Policy YAML: which namespaces may join which IngressGroup, and which may be internet-facing (README: lint).")
@click.option("--regions", "regions", multiple=True, metavar="REGION[,REGION]",
              help="Regions cfn-lint checks against (default us-east-1). Comma-separated or repeated.")
@click.pass_context
def lint(ctx: click.Context, template_file, fmt, output, fail_on, quotas, quotas_from_aws, policy_file, regions, **inputs) -> None:
    """Lint: cfn-lint (Python API) plus ingress2cfn's ALB checks and the policy, on every template
    that `render` would produce (same options), or on one rendered --template FILE. Every finding
    names the manifest file and line, the Ingress and, for a listener rule, its path entry.

    \b
      ingress2cfn lint -f examples/ingress-group --vpc examples/ingress-group/vpc.yaml --cluster my-cluster
      ingress2cfn lint -f k8s/ --vpc vpc.yaml --cluster prod --policy policy.yaml --format sarif --output results.sarif
      ingress2cfn lint --template out/i2c-prod-web-d5288f03.yaml --quota rules-per-alb=200

    \b
    Exit codes: 0 nothing at or above --fail-on; 1 errors found (or bad input); 3 warnings but
    no errors, with --fail-on warning; 64 usage error.
    """
    from ingress2cfn.lint import formats
    from ingress2cfn.lint.api import LintOptions, lint_rendered, lint_template
    from ingress2cfn.model.quotas import BY_NAME, DEFAULT_LIMITS, parse_override

    filenames = inputs["filenames"]
    if template_file is not None and filenames:
        raise click.UsageError("give either -f manifests (rendered in memory) or --template FILE, not both")
    if template_file is None and not filenames:
        raise click.UsageError("nothing to lint: give -f manifests (with --vpc and --cluster, as for render) or --template FILE")
    if filenames and (not inputs["vpc_file"] or not inputs["cluster"]):
        raise click.UsageError("linting manifests renders them first: --vpc and --cluster are required with -f (as for render)")
    region_list = tuple(r.strip() for value in regions for r in value.split(",") if r.strip()) or ("us-east-1",)

    overrides: dict[str, int] = {}
    for text in quotas:
        try:
            name, value = parse_override(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--quota") from None
        overrides[name] = value
    origin = {q: "default" for q in BY_NAME}
    limits = DEFAULT_LIMITS
    if quotas_from_aws:
        from ingress2cfn.aws.clients import account_limits
        from ingress2cfn.model.quotas import from_account_limits

        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or region_list[0]
        live = from_account_limits(account_limits(region))
        limits = limits.with_values(live)
        origin.update({name: "aws" for name in live})
    limits = limits.with_values(overrides)
    origin.update({name: "--quota" for name in overrides})

    policy = None
    if policy_file is not None:
        from ingress2cfn.lint.policy import load_policy

        policy = load_policy(policy_file)
    options = LintOptions(regions=region_list, limits=limits, policy=policy)

    if template_file is not None:
        try:
            text = Path(template_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _Invalid(f"{template_file}: cannot read template: {exc}") from None
        outcome = lint_template(text, template_file, options)
    else:
        from ingress2cfn.input.kube import parse_manifests
        from ingress2cfn.input.loader import load_sources
        from ingress2cfn.render.pipeline import render_files

        stdin_text = sys.stdin.read() if "-" in filenames else None
        from dataclasses import replace

        request = replace(_render_request(inputs), limits=limits, enforce_alb_quotas=False,
                          previous_dir=None)
        result = render_files(request, stdin_text)
        for note in result.notes:
            click.echo(note, err=True)
        for message in result.warnings:
            warn(message)
        manifests = parse_manifests(load_sources(request.sources, stdin_text), request.namespace)
        outcome = lint_rendered(result, {ing.key: ing for ing in manifests.ingresses}, options)

    from importlib.metadata import version

    report = outcome.report(tool_version=version("ingress2cfn"), limits=tuple((n, v, origin[n]) for n, v in limits.values))
    colour = fmt == "text" and output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    rendered = formats.render(fmt, report, colour=colour)
    if output is not None:
        try:
            Path(output).write_text(rendered, encoding="utf-8")
        except OSError as exc:
            raise _Invalid(f"{output}: cannot write the report: {exc}") from None
    else:
        click.echo(rendered, nl=False)
    if output is not None or fmt != "text":
        click.echo(f"ingress2cfn lint: {formats.summary_line(report)}" + (f" → {output}" if output else ""), err=True)
    ctx.exit(lint_exit_code(outcome.findings, fail_on))


def lint_exit_code(findings, fail_on: str) -> int:
    """0 nothing at or above --fail-on; 1 errors; 3 warnings only and --fail-on warning."""
    from ingress2cfn.lint.findings import Severity

    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return EXIT_INVALID
    if fail_on == "warning" and Severity.WARNING in severities:
        return EXIT_WARNINGS
    return EXIT_OK


@cli.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def annotations(fmt: str) -> None:
    """List every alb.ingress.kubernetes.io/* annotation: type, default, where it is read, how a
    group merges it, and whether ingress2cfn supports it (or why not yet).

    \b
      ingress2cfn annotations --format markdown
    """
    from ingress2cfn.rules import docs as annotation_docs

    render_fn = {"text": annotation_docs.text, "markdown": annotation_docs.markdown, "json": annotation_docs.as_json}[fmt]
    click.echo(render_fn(), nl=False)


def _secret_prefix(value: str | None) -> str | None:
    import re

    if value is not None and not re.fullmatch(r"[A-Za-z0-9/_+=.@-]*", value):
        raise click.BadParameter(f"{value!r}: a Secrets Manager name holds only A-Z a-z 0-9 / _ + = . @ -")
    return value


class _Invalid(click.ClickException):
    exit_code = EXIT_INVALID

    def show(self, file=None) -> None:
        fail(self.message)


def main(argv: list[str] | None = None) -> int:
    from ingress2cfn.input.errors import Ingress2CfnError

    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        # non-standalone click returns ctx.exit(n)'s n instead of raising Exit (commands return None)
        code = cli.main(args=argv, prog_name="ingress2cfn", standalone_mode=False)
    except click.exceptions.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        fail("aborted")
        return EXIT_INVALID
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except Ingress2CfnError as exc:
        if debug:
            raise
        for line in str(exc).splitlines():
            fail(line)
        return EXIT_INVALID
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
