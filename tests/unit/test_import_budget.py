"""Import budget: the render path must not pull in the AWS SDK or cfn-lint, and the CLI module
must not import troposphere until a command needs it (cli.py: "heavy imports happen inside
commands only"). Each case runs in a fresh interpreter, since this test process has already
imported everything."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent

AWS_AND_LINT = ("boto3", "botocore", "cfnlint", "moto")


def _modules_loaded(body: str, roots: tuple[str, ...]) -> list[str]:
    """Run `body` in a fresh interpreter; → the loaded modules whose top-level package is in `roots`."""
    code = (
        textwrap.dedent(
            f"""
        import json, sys
        sys.path.insert(0, {str(TESTS)!r})
        """
        )
        + textwrap.dedent(body)
        + textwrap.dedent(
            f"""
        roots = {roots!r}
        print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in roots)))
        """
        )
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_render_path_imports_neither_aws_sdk_nor_cfn_lint():
    loaded = _modules_loaded(
        """
        import ingress2cfn.cli
        from ingress2cfn.render.pipeline import render_documents
        import kit
        result = render_documents(kit.docs(kit.ingress(), kit.service()), kit.vpc(), kit.settings())
        assert len(result.groups) == 1 and result.groups[0].template, result
        """,
        AWS_AND_LINT,
    )
    assert loaded == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("import ingress2cfn.cli\n", id="import-cli"),
        pytest.param(
            # the console script's path: `ingress2cfn --help` (main() returns, never exits)
            "import contextlib, io\nfrom ingress2cfn.cli import main\nwith contextlib.redirect_stdout(io.StringIO()):\n    assert main(['--help']) == 0\n",
            id="help",
        ),
    ],
)
def test_cli_start_up_does_not_import_troposphere_or_aws(body):
    loaded = _modules_loaded(body, ("troposphere", "cfn_flip") + AWS_AND_LINT)
    assert loaded == []
