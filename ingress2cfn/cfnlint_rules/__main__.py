"""`python -m ingress2cfn.cfnlint_rules`: print the directory to pass to `cfn-lint --append-rules`."""
from . import rules_dir

if __name__ == "__main__":
    print(rules_dir())
