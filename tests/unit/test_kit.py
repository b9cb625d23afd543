"""The shared test helpers are only worth their asserts if they can fail: cfn_lint must report a
broken template, and lint_vpc must give templates cfn-lint accepts."""

from __future__ import annotations

import kit
import yaml


def test_cfn_lint_reports_a_broken_template_with_rule_and_line():
    broken = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      NoSuchProperty: x\n"
    findings = kit.cfn_lint(broken)
    assert findings and all(f.split(" ", 1)[0][0] in "EWI" for f in findings)
    assert any("NoSuchProperty" in f and f.endswith("(line 5)") for f in findings), findings


def test_lint_vpc_renders_a_template_cfn_lint_accepts():
    result = kit.render(kit.ingress(annotations={"scheme": "internet-facing"}), kit.service(), vpc_data=kit.lint_vpc())
    (group,) = result.groups
    lb = yaml.safe_load(group.template)["Resources"]["LoadBalancer"]["Properties"]
    assert lb["Subnets"] == list(kit.LINT_PUBLIC_SUBNETS)
    assert kit.cfn_lint(group.template) == []
    assert kit.cfn_lint(result.cluster_template) == []


def test_lint_vpc_is_a_fresh_copy():
    first = kit.lint_vpc()
    first["subnets"].clear()
    assert kit.lint_vpc()["subnets"]
