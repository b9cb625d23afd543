"""The command line: the only place that prints, prompts or picks exit codes. One module per
command; heavy imports (troposphere, boto3, cfn-lint) happen inside commands only."""

from ingress2cfn.cli.app import cli, main, run
from ingress2cfn.cli.exits import EXIT_CHANGES_PENDING, EXIT_INVALID, EXIT_OK, EXIT_USAGE, EXIT_WARNINGS
from ingress2cfn.cli.lint import LINT_FORMATS

__all__ = ["cli", "main", "run", "EXIT_OK", "EXIT_INVALID", "EXIT_CHANGES_PENDING", "EXIT_WARNINGS", "EXIT_USAGE", "LINT_FORMATS"]
