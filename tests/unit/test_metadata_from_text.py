"""metadata.read_template_text reads the template-level block from a file's text without loading
the rest, and agrees with loading the whole document and reading it (metadata.read_template)."""

from __future__ import annotations

import json
from pathlib import Path

import kit
import pytest
import yaml

from ingress2cfn.model import metadata
from ingress2cfn.render.pipeline import render_documents
from ingress2cfn.render.serialise import Format

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = sorted(p for p in (ROOT / "templates").glob("*/*.yaml") if not p.name.endswith(".bindings.yaml"))


def _full(text: str) -> metadata.TemplateMeta:
    return metadata.read_template(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: str(p.relative_to(ROOT)))
def test_agrees_with_the_whole_document_on_every_committed_template(path):
    text = path.read_text(encoding="utf-8")
    assert metadata.read_template_text(text) == _full(text)
    assert metadata.read_template_text(text).present


def _sharded(fmt: Format) -> list[str]:
    objects = []
    for i in range(6):
        objects.append(
            kit.ingress(
                f"a{i}", annotations={"group.name": "big", "target-type": "ip"}, rules=[kit.rule(f"h{i}.example.com", kit.path("/", "Prefix", f"s{i}", 80))]
            )
        )
        objects.append(kit.service(f"s{i}", type_="ClusterIP"))
    settings = kit.settings(split_by_quota=True, limits=kit.settings().limits.with_values({"rules-per-alb": 2}))
    result = render_documents(kit.docs(*objects), kit.vpc(), settings, fmt)
    return [g.template for g in result.groups]


@pytest.mark.parametrize("fmt", [Format.YAML, Format.JSON])
def test_agrees_on_shard_templates_in_both_formats(fmt):
    texts = _sharded(fmt)
    assert len(texts) >= 3
    for text in texts:
        meta = metadata.read_template_text(text)
        assert meta == _full(text)
        assert meta.shard is not None and meta.units


def test_the_rest_of_the_document_is_not_constructed():
    """Resources with a tag the safe loader cannot construct: loading the whole text fails, reading
    only the Metadata does not."""
    text = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  ingress2cfn: {group: g, shard: 2, units: [a]}\nResources:\n  X: !Ref Y\n"
    with pytest.raises(yaml.YAMLError):
        _full(text)
    meta = metadata.read_template_text(text)
    assert (meta.group, meta.shard, meta.units) == ("g", 2, ("a",))


@pytest.mark.parametrize(
    "text",
    [
        "Resources: {A: {Type: T}}\nMetadata:\n  ingress2cfn: {group: g, shard: 1, units: [u]}\n",  # Metadata last
        "x: &a {ingress2cfn: {group: g, shard: 1, units: [u]}}\nMetadata: *a\n",  # an alias: the whole document
        "Metadata:\n  ingress2cfn: {group: g, shard: 1, units: [u]}\n",
        "Metadata: {ingress2cfn: {shard: '1'}}\n",
        "- 1\n",
        "just text\n",
        "{}\n",
        json.dumps({"Metadata": {"ingress2cfn": {"group": "g", "shard": 4, "units": ["x"]}}}),
    ],
)
def test_agrees_on_unusual_documents(text):
    assert metadata.read_template_text(text) == _full(text)


@pytest.mark.parametrize("text", ["a: [1\n", "? [complex, key]\n: 1\nMetadata: {ingress2cfn: {group: g}}\n"])
def test_what_loading_rejects_raises_as_loading_does(text):
    with pytest.raises(yaml.YAMLError):
        _full(text)
    with pytest.raises(yaml.YAMLError):
        metadata.read_template_text(text)
