"""Manifest text on a terminal or CI log: control characters and newlines escaped, and no output
line begins with a GitHub Actions workflow command (`::…` or `##[…`)."""

from __future__ import annotations

import json

import pytest
from kit import P, ingress, path, rule, service
from lint_support import CLUSTER, VPC

from ingress2cfn.cli import main
from ingress2cfn.input.printable import escape, safe_lines

INJECTED = "web\n::error title=pwned::owned\r\n##[add-mask]x\x1b[2J\u202e"


@pytest.mark.parametrize(
    "text, shown",
    [
        ("a\nb", "a\\nb"),
        ("::error::x", "\\::error::x"),
        ("  ::warning::x", "  \\::warning::x"),
        ("##[error]x", "\\##[error]x"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("tab\there", "tab\\there"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("line\u2028sep", "line\\u2028sep"),
        ("plain ünïcode / ok", "plain ünïcode / ok"),
    ],
)
def test_escape(text, shown):
    assert escape(text) == shown


def test_safe_lines_keeps_our_newlines_and_neutralises_each_line():
    assert safe_lines("first\n::error::x\nthird\x07") == "first\n\\::error::x\nthird\\x07"


def lines_are_safe(text: str) -> None:
    for line in text.splitlines():
        assert not line.lstrip().startswith(("::", "##[")), line
        assert "\x1b" not in line and "\r" not in line and "\u202e" not in line, line


def write(tmp_path, objects) -> str:
    import yaml

    f = tmp_path / "m.yaml"
    f.write_text(yaml.safe_dump_all(objects))
    return str(f)


@pytest.mark.parametrize(
    "field",
    ["name", "namespace", "group.name", "annotation key", "tags", "host"],
)
def test_no_workflow_command_reaches_stderr_or_the_lint_report(tmp_path, capsys, monkeypatch, field):
    monkeypatch.setenv("NO_COLOR", "1")
    kw: dict = {"annotations": {P + "scheme": "internet-facing"}}
    name, namespace, host = "web", "shop", "shop.example.com"
    if field == "name":
        name = INJECTED
    elif field == "namespace":
        namespace = INJECTED
    elif field == "group.name":
        kw["annotations"][P + "group.name"] = INJECTED
    elif field == "annotation key":
        kw["annotations"][P + INJECTED] = "x"
    elif field == "tags":
        kw["annotations"][P + "tags"] = f"Team={INJECTED}"
    else:
        host = INJECTED
    objects = [
        ingress(name, namespace=namespace, rules=[rule(host, path("/", "Prefix", "app", 80))], **kw),
        service("app", namespace=namespace),
    ]
    source = write(tmp_path, objects)
    for args in (
        ["render", "-f", source, "--vpc", VPC, "--cluster", CLUSTER],
        ["lint", "-f", source, "--vpc", VPC, "--cluster", CLUSTER, "--format", "text"],
    ):
        main(args)
        out, err = capsys.readouterr()
        lines_are_safe(err)
        if args[0] == "lint":
            lines_are_safe(out)
        if args[0] == "lint" and field != "host":  # the report names the value, escaped
            assert escape(INJECTED).replace("\\::", "::") in err + out


def test_a_file_named_like_a_workflow_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "::error title=x::pwned.yaml").write_text("kind: [unclosed\n")
    main(["render", "-f", ".", "--vpc", VPC, "--cluster", CLUSTER])
    err = capsys.readouterr().err
    assert "pwned.yaml" in err
    lines_are_safe(err)


def test_multi_line_values_stay_on_one_template_line(tmp_path, capsys):
    body = json.dumps({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "200", "messageBody": "ok\n::error title=x::pwned"}})
    objects = [
        ingress("web", annotations={P + "actions.canned": body}, rules=[rule("a.example.com", path("/", "Prefix", "canned", "use-annotation"))]),
    ]
    source = write(tmp_path, objects)
    assert main(["render", "-f", source, "--vpc", VPC, "--cluster", CLUSTER]) == 0
    out = capsys.readouterr().out
    assert '"ok\\n::error title=x::pwned"' in out
    lines_are_safe(out)


@pytest.mark.parametrize("n", range(985, 1010, 3))
def test_a_long_value_is_not_folded_onto_a_line_of_its_own(tmp_path, capsys, n):
    """PyYAML folds a long value at a space: a manifest could place `::error` right after it."""
    body = json.dumps({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "200", "messageBody": "a" * n + " ::error title=x::pwned b"}})
    objects = [ingress("web", annotations={P + "actions.canned": body}, rules=[rule("a.example.com", path("/", "Prefix", "canned", "use-annotation"))])]
    source = write(tmp_path, objects)
    assert main(["render", "-f", source, "--vpc", VPC, "--cluster", CLUSTER]) == 0
    out = capsys.readouterr().out
    assert "a" * n + " ::error title=x::pwned b" in out
    lines_are_safe(out)
