"""The README's annotation table is generated from the registry: fail when it is stale."""

from tools.readme import ROOT, with_table


def test_readme_annotation_table_is_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_table(readme) == readme, "README.md annotation table is stale: run `make readme`"


def test_readme_names_the_two_commands_and_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    from ingress2cfn import cli

    for code in (cli.EXIT_OK, cli.EXIT_INVALID, cli.EXIT_CHANGES_PENDING, cli.EXIT_USAGE):
        assert f"| {code} |" in readme
