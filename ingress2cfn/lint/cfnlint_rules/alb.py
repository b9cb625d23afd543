"""ingress2cfn's ALB checks as cfn-lint custom rules (ids E9xxx / W9xxx / I9xxx), one class per
check of ingress2cfn.lint.checks.registry. cfn-lint loads this file with

    cfn-lint --append-rules "$(python -m ingress2cfn.lint.cfnlint_rules)" -t template.yaml

(or `--append-rules ingress2cfn.lint.cfnlint_rules`, the module path). Absolute imports only: cfn-lint
imports this file as a top-level module, not as part of the package."""

from ingress2cfn.lint.cfnlint_rules._base import rule_classes

_classes = rule_classes(__name__)
globals().update(_classes)
__all__ = sorted(_classes)
