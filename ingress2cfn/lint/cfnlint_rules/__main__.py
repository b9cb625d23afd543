"""`python -m ingress2cfn.lint.cfnlint_rules`: print the directory to pass to `cfn-lint --append-rules`."""

from ingress2cfn.lint.cfnlint_rules import rules_dir

if __name__ == "__main__":
    print(rules_dir())
