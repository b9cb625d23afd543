"""Issue 8 §4: no hang, bounded memory. Each hostile input of the issue, with its outcome and the
work done counted (documents constructed, nodes walked, comparisons, bytes allocated), never timed:
speed is measured in bench/ as ratios."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest
import yaml

from ingress2cfn.build import rule_optimizer
from ingress2cfn.build.split import read_previous
from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.input import loader
from ingress2cfn.input.errors import InputError
from ingress2cfn.lint.checks import globs
from ingress2cfn.rules.annotations import parse_string_map
from tools.regenerate_templates import ROOT

SAMPLE = ROOT / "examples/2048/2048_full.yaml"
VPC = str(ROOT / "examples/2048/vpc.yaml")

# 9 levels of 9 aliases: 9**9 = 387 million leaves once expanded, 681 bytes written
BOMB = "".join(f"  {chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 9) if i else ', '.join(['x'] * 9)}]\n" for i in range(9))


def _count_constructed(monkeypatch) -> list[int]:
    """Documents walked and constructed (by the walk itself, or by SafeConstructor when it must)."""
    calls = [0]
    original = loader._document

    def counting(node, filename, index):
        calls[0] += 1
        return original(node, filename, index)

    monkeypatch.setattr(loader, "_document", counting)
    return calls


def test_alias_bomb_in_a_skipped_configmap_is_never_expanded(monkeypatch):
    constructed = _count_constructed(monkeypatch)
    text = SAMPLE.read_text() + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n" + BOMB
    tracemalloc.start()
    docs = loader.parse_text(text, "in.yaml", kinds=loader_kinds())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [d.data["kind"] for d in docs] == ["Namespace", "Service", "Ingress"]
    assert constructed[0] == 3  # the Deployment and the ConfigMap were never constructed
    assert peak < 20_000_000


def test_alias_bomb_in_an_ingress_is_refused_after_a_bounded_walk():
    text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n" + BOMB
    tracemalloc.start()
    with pytest.raises(InputError, match="more than 250,000 YAML nodes"):
        loader.parse_text(text, "in.yaml", kinds=loader_kinds())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 100_000_000  # the walk stops at MAX_NODES; the expansion would need gigabytes


def loader_kinds():
    from ingress2cfn.input.kube import READ_KINDS

    return READ_KINDS


def test_skipped_kinds_are_parsed_but_not_constructed(monkeypatch):
    """50 MB of Deployments used to be composed, constructed and kept (2.7 GB): now only parsed."""
    constructed = _count_constructed(monkeypatch)
    deployment = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1, template: {spec: {containers: [{name: c, image: i}]}}}\n"
    docs = loader.parse_text(SAMPLE.read_text() + deployment * 2000, "in.yaml", kinds=loader_kinds())
    assert len(docs) == 3 and constructed[0] == 3


def test_lint_reads_its_input_once(monkeypatch, capsys):
    """`lint -f -` parsed everything twice (render, then locations)."""
    calls = []
    original = loader.parse_text
    monkeypatch.setattr(loader, "parse_text", lambda text, name, kinds=None: calls.append(name) or original(text, name, kinds))
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["lint", "-f", str(SAMPLE), "--vpc", VPC, "--cluster", "my-cluster"])
    capsys.readouterr()
    assert code == EXIT_OK
    assert calls.count(str(SAMPLE)) == 1


def test_string_map_parser_is_one_pass():
    """`tags: k=` + 1 MB was quadratic (a slice of the rest of the value at every comma): the
    parser now slices the value at most once."""
    sliced = []

    class Watched(str):
        def __getitem__(self, key):
            if isinstance(key, slice):
                sliced.append(key)
            return str.__getitem__(self, key)

    raw = "k=v," * 100_000
    assert len(parse_string_map(Watched(raw))) == 1  # the same key 100,000 times
    assert len(sliced) <= 1  # at most the tail after the last comma, once


def test_an_annotation_value_is_parsed_once_however_many_readers(monkeypatch):
    """`tags` was parsed again by every target group, listener and rule that reads it."""
    import kit

    from ingress2cfn.rules import annotations

    calls = []
    original = annotations.PARSERS[annotations.ValueType.STRING_MAP]
    monkeypatch.setitem(annotations.PARSERS, annotations.ValueType.STRING_MAP, lambda raw: calls.append(raw) or original(raw))
    annotations._parse_once.cache_clear()
    tags = "team=shop,cost-center=" + "x" * 200  # within AWS's 256 characters per tag value
    paths = [kit.path(f"/p{i}", "Prefix", f"s{i}", 80) for i in range(20)]
    services = [kit.service(f"s{i}", ports=[{"port": 80, "targetPort": 8080}], type_="ClusterIP") for i in range(20)]
    (stack,) = kit.build(kit.ingress(annotations={"tags": tags, "target-type": "ip"}, rules=[kit.rule(None, *paths)]), *services)[0]
    assert len(stack.target_groups) == 20
    assert all({t.key: t.value for t in tg.tags}.get("team") == "shop" for tg in stack.target_groups)
    assert calls == [tags]
    annotations._parse_once.cache_clear()


def test_rule_optimizer_compares_only_with_redirect_rules(monkeypatch):
    """10,000 host rules spent 25 s in the optimizer (every rule against every earlier rule); now a
    rule is compared only with the earlier redirect rules."""
    calls = [0]
    original = rule_optimizer.is_superset

    def counting(lhs, rhs):
        calls[0] += 1
        return original(lhs, rhs)

    monkeypatch.setattr(rule_optimizer, "is_superset", counting)
    from ingress2cfn.model.stack import Condition, Forward, Protocol

    items = [(n, ((Condition("host-header", (f"h{n}.example.com",)),), (Forward(("tg",)),))) for n in range(10_000)]
    kept = rule_optimizer.optimize(80, Protocol.HTTP, items)
    assert len(kept) == 10_000
    assert calls[0] == 0


def test_ten_thousand_host_rules_end_in_the_quota_error(tmp_path, capsys):
    docs = [d for d in yaml.safe_load_all(SAMPLE.read_text()) if d]
    ing = next(d for d in docs if d["kind"] == "Ingress")
    p = ing["spec"]["rules"][0]["http"]["paths"][0]
    ing["spec"]["rules"] = [{"host": f"h{n}.example.com", "http": {"paths": [p]}} for n in range(10_000)]
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump_all(docs))
    code = main(["render", "-f", str(source), "--vpc", VPC, "--cluster", "my-cluster"])
    _, err = capsys.readouterr()
    assert code == EXIT_INVALID
    assert "has 10000 listener rules, more than quota rules-per-alb 100" in err


@pytest.mark.parametrize("length", [128, 400, 700])
def test_glob_inclusion_is_bounded_by_work(length):
    """Two wildcard paths of 400 characters took 39 s in lint, 700 took 215 s."""
    a = ("/" + "*a" * length)[:length]
    b = ("/" + "a*" * length)[: length - 2] + "?b"
    result, work = globs.covers_counted(a, b)
    assert work <= globs._MAX_WORK + 10_000  # the last state's step may pass the bound once
    if length > globs.MAX_PATTERN:
        assert (result, work) == (False, 0)  # ALB refuses it anyway: no search at all


def test_split_read_back_skips_devices_and_links_to_them(tmp_path):
    """A symlink to /dev/zero in the --split-by-quota read-back directory used 3 GB in 2 s."""
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    (tmp_path / "i2c-c-zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "i2c-c-list.yaml").write_text("Metadata: []\n")
    (tmp_path / "i2c-c-big.yaml").write_bytes(b"#" * 2_000_000)
    assert read_previous(Path(tmp_path)) == {}
