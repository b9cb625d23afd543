"""cfn-lint custom rules wrapping ingress2cfn's checks (`ingress2cfn.lint.checks`), for any ALB template:

    cfn-lint --append-rules "$(python -m ingress2cfn.lint.cfnlint_rules)" -t template.yaml
    cfn-lint --append-rules ingress2cfn.lint.cfnlint_rules -t template.yaml      # same, by module path

`python -m ingress2cfn.lint.cfnlint_rules` prints the directory to pass. Rule ids: our `I2C<f>0<nn>`
becomes `<E|W|I>9<f><nn>` (cfn-lint reserves 9xxx for user rules; the letter is the severity).
Quota rules take `--configure-rule E9101:limit=200`."""

import importlib
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent


def rules_dir() -> str:
    return str(RULES_DIR)


def __getattr__(name: str):
    # the rule classes, for `--append-rules ingress2cfn.lint.cfnlint_rules` (cfn-lint imports the
    # package and instantiates every rule class among its members); loaded on first use only, so
    # that `python -m ingress2cfn.lint.cfnlint_rules` does not import cfn-lint
    if name.startswith("__"):
        raise AttributeError(name)
    alb = importlib.import_module(__name__ + ".alb")
    try:
        return getattr(alb, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    alb = importlib.import_module(__name__ + ".alb")
    return sorted(set(globals()) | set(alb.__all__))
