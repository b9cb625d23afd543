"""model.metadata is the one reader of `Metadata.ingress2cfn`; lint, policy, the check context and
`--split-by-quota` read through it. A template is untrusted input (`lint --template`): every
malformed shape reads as "absent", never as an exception."""

from __future__ import annotations

import kit
import pytest

from ingress2cfn.build.split import read_previous
from ingress2cfn.lint.api import blame
from ingress2cfn.lint.checks.context import TemplateIndex
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.policy import Policy, check_policy, parse_policy
from ingress2cfn.model import metadata

MALFORMED = [
    None,
    [],
    "text",
    {"Metadata": []},
    {"Metadata": "x"},
    {"Metadata": {"ingress2cfn": []}},
    {"Metadata": {"ingress2cfn": {"members": "a/b", "group": 3, "shard": "1", "units": {"a": 1}, "stackTags": []}}},
    {"Resources": []},
    {"Resources": {"Lb": []}},
    {"Resources": {"Lb": {"Metadata": {"ingress2cfn": {"sources": "ns/a", "ingress": 1, "rule": []}}}}},
]


@pytest.mark.parametrize("template", MALFORMED)
def test_readers_never_raise_on_a_malformed_template(template):
    top = metadata.read_template(template)
    assert top.members == () and top.group is None and top.shard is None and top.units == ()
    res = metadata.read_template_resource(template, "Lb")
    assert res.ingress is None and res.sources == () and res.rule is None and res.blamed_ingress is None
    assert blame(template, Finding("X1", Severity.ERROR, "m", stack="s", logical_id="Lb")) == ((), ())
    assert blame(template, Finding("X1", Severity.ERROR, "m", stack="s")) == ((), ())
    index = TemplateIndex(template)
    assert index.members() == () and index.group_of() is None


def test_template_block_reads_back_what_the_writer_wrote():
    written = {"Metadata": metadata.group_template_metadata("prod", "web", "k8s-prod-web", ("a/x", "b/y"), shard=2, units=("u1", "u2"))}
    meta = metadata.read_template(written)
    assert (meta.cluster, meta.group, meta.stack_name, meta.members, meta.shard, meta.units) == ("prod", "web", "k8s-prod-web", ("a/x", "b/y"), 2, ("u1", "u2"))
    assert dict(meta.stack_tags) == metadata.stack_tags("prod", "web")
    assert meta.present


def test_resource_block_reads_back_and_blames_the_only_source():
    body = {"Metadata": metadata.resource_metadata("web", ["a/x"], rule="spec.rules[0]")}
    meta = metadata.read_resource(body)
    assert meta.present and meta.group == "web" and meta.sources == ("a/x",) and meta.rule == "spec.rules[0]"
    assert meta.blamed_ingress == "a/x"
    two = metadata.read_resource({"Metadata": metadata.resource_metadata("web", ["a/x", "b/y"])})
    assert two.blamed_ingress is None
    assert not metadata.read_resource({}).present


def test_blame_prefers_the_resource_ingress_then_sources_then_the_first_member():
    template = {
        "Metadata": metadata.group_template_metadata("c", "web", "s", ("a/first", "b/second")),
        "Resources": {
            "Rule": {"Metadata": metadata.resource_metadata("web", ["a/first"], ingress="b/second", rule="spec.rules[1]")},
            "Tg": {"Metadata": metadata.resource_metadata("web", ["a/first", "b/second"])},
        },
    }

    def of(lid):
        return blame(template, Finding("X1", Severity.ERROR, "m", stack="s", logical_id=lid))

    assert of("Rule") == (("b/second",), ("spec.rules[1]",))
    assert of("Tg") == (("a/first", "b/second"), ())
    assert of(None) == (("a/first",), ())


def test_policy_skips_templates_without_our_metadata_and_reads_members_when_present():
    policy: Policy = parse_policy("groups:\n  web:\n    namespaces: [a]\n", "policy.yaml")
    for template in MALFORMED:
        assert check_policy(template, policy, stack="s") == []
    template = {"Metadata": metadata.group_template_metadata("c", "web", "s", ("a/x", "b/y"))}
    (finding,) = check_policy(template, policy, stack="s")
    assert finding.ingresses == ("b/y",)
    assert finding.property_path == ("Metadata", metadata.KEY, "members", 1)


def test_split_reads_previous_shards_and_ignores_malformed_files(tmp_path):
    (tmp_path / "bad.yaml").write_text("Metadata: [1, 2]\n", encoding="utf-8")
    (tmp_path / "worse.yaml").write_text("Metadata:\n  ingress2cfn:\n    shard: yes\n    units: [a]\n", encoding="utf-8")
    (tmp_path / "list.yaml").write_text("- 1\n", encoding="utf-8")
    good = {"Metadata": metadata.group_template_metadata("c", "web", "s", ("a/x",), shard=3, units=("u1", "u2"))}
    import yaml

    (tmp_path / "good.yaml").write_text(yaml.safe_dump(good), encoding="utf-8")
    assert read_previous(tmp_path) == {"web": {"u1": 3, "u2": 3}}


def test_a_rendered_template_reads_as_ours():
    tpl = kit.template(kit.ingress(), kit.service())
    meta = metadata.read_template(tpl)
    assert meta.present and meta.members == ("default/web",)
    index = TemplateIndex(tpl)
    assert index.has_metadata() and index.members() == ("default/web",)
