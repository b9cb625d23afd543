"""The `ingress2cfn` command group and `main`, which maps every outcome to an exit code."""

from __future__ import annotations

import gc
import importlib
import sys

import click

from ingress2cfn.cli.console import fail
from ingress2cfn.cli.exits import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from ingress2cfn.cli.options import CONTEXT

# name → "module:attribute"; a command's module is imported only when that command runs (or when
# --help lists it), so `render` does not pay for the imports of `demo`, `deploy` or `sync`.
COMMANDS = {
    "render": "ingress2cfn.cli.render:render",
    "lint": "ingress2cfn.cli.lint:lint",
    "plan": "ingress2cfn.cli.plan:plan",
    "deploy": "ingress2cfn.cli.deploy:deploy",
    "destroy": "ingress2cfn.cli.destroy:destroy",
    "sync": "ingress2cfn.cli.sync:sync",
    "bindings": "ingress2cfn.cli.bindings:bindings_command",
    "status": "ingress2cfn.cli.status:status",
    "vpc": "ingress2cfn.cli.vpc:vpc_group",
    "demo": "ingress2cfn.cli.demo:demo",
    "annotations": "ingress2cfn.cli.annotations:annotations_command",
}


class LazyGroup(click.Group):
    """click's documented lazy-loading group: subcommands named in COMMANDS, loaded on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)  # the order of --help: the user's journey, not the alphabet

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(package_name="ingress2cfn")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn Kubernetes Ingress manifests (AWS Load Balancer Controller annotations) into
    CloudFormation stacks for Application Load Balancers.

    \b
    Start with (no AWS account: a local emulator, needs ingress2cfn[local]):
      ingress2cfn demo
    or offline:
      ingress2cfn render -f examples/2048/2048_full.yaml --vpc examples/2048/vpc.yaml --cluster my-cluster

    \b
    Exit codes: 0 success, 1 bad input or failed validation (lint: errors; render --check:
    stale files), 2 changes pending (plan), 3 warnings only (lint --fail-on warning) or changes
    with a danger (plan),
    64 usage error. Set NO_COLOR to disable colour.
    """
    ctx.obj = {"debug": debug, "main": main}  # `demo` runs the other commands through main (no import back here)


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


def run() -> None:
    """The console script: `main`, then exit without the interpreter's last collection over
    everything still alive (measured: a tenth of a 100-rule render). Frozen objects are skipped by
    that collection; atexit handlers and buffered output are unaffected."""
    code = main()
    gc.freeze()
    sys.exit(code)
