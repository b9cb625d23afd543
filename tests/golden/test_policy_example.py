"""examples/policy/: a pull request that tries each bypass of issue 9, and the lint output that
stops it (examples/policy/expected/<case>.txt; `pytest --update-golden` rewrites them). Every
case but the baseline exits 1, and no output line can start a CI workflow command."""

from __future__ import annotations

import shlex

import pytest

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from tools.regenerate_templates import ROOT

EXAMPLE = "examples/policy"
PR = f"{EXAMPLE}/pull-request"
EXPECTED = ROOT / EXAMPLE / "expected"
TRUSTED = ["--vpc", "examples/ingress-group/vpc.yaml", "--cluster", "my-cluster", "--policy", f"{EXAMPLE}/policy.yaml"]
NAMESPACES = ["--namespaces", f"{EXAMPLE}/namespaces.yaml"]


def _manifests(*extra: str) -> list[str]:
    return ["lint", "-f", f"{EXAMPLE}/main.yaml", *(a for f in extra for a in ("-f", f)), *TRUSTED, *NAMESPACES]


CASES = {
    "baseline": (_manifests(), EXIT_OK),
    **{
        name: (_manifests(f"{PR}/{name}.yaml"), EXIT_INVALID)
        for name in (
            "join-group",
            "frontend-nlb",
            "namespace-label",
            "lookalike-group",
            "slash-namespace",
            "resolve",
            "workflow-command",
        )
    },
    # without the cluster's labels a selector cannot be satisfied, and says why
    "namespace-label-without-namespaces": (
        ["lint", "-f", f"{EXAMPLE}/main.yaml", "-f", f"{PR}/namespace-label.yaml", *TRUSTED],
        EXIT_INVALID,
    ),
    "edited-template-alone": (["lint", "--template", f"{PR}/edited-template.yaml", "--policy", f"{EXAMPLE}/policy.yaml"], EXIT_INVALID),
    "edited-template": (
        ["lint", "--template", f"{PR}/edited-template.yaml", "-f", f"{EXAMPLE}/main.yaml", "-f", f"{PR}/join-group.yaml", *TRUSTED, *NAMESPACES],
        EXIT_INVALID,
    ),
}


def test_every_pull_request_file_has_a_case():
    on_disk = {p.stem for p in (ROOT / PR).glob("*.yaml")}
    assert on_disk <= set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_policy_example(case, capsys, monkeypatch, update_golden):
    args, expected_code = CASES[case]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(args)
    out, err = capsys.readouterr()
    for line in (out + err).splitlines():
        assert not line.lstrip().startswith(("::", "##[")), line
    assert code == expected_code
    text = f"$ ingress2cfn {shlex.join(args[0:])}\n# exit {code}\n# stdout\n{out}# stderr\n{err}"
    path = EXPECTED / f"{case}.txt"
    if update_golden:
        EXPECTED.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run pytest --update-golden and read the diff"
