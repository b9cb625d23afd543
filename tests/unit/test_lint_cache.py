"""The lint cache: a second lint of unchanged templates is served from the cache (cfn-lint and our
checks not run again, same report); changing one template, our checks' version or cfn-lint's
version invalidates exactly what it should. The pool gives the same findings as one process."""

from __future__ import annotations

import json

import kit
import pytest

import ingress2cfn.lint.api as api
import ingress2cfn.lint.cache as cache_module
from ingress2cfn.cli import main
from ingress2cfn.lint.api import LintOptions, lint_rendered, lint_template
from ingress2cfn.lint.cache import LintCache


@pytest.fixture
def counted(monkeypatch):
    """Stacks cfn-lint and our checks ran on, in this process."""
    calls = {"cfn-lint": [], "checks": []}
    real_cfn, real_checks = api.run_cfn_lint, api.run_our_checks

    def cfn(template, *, stack, **kw):
        calls["cfn-lint"].append(stack)
        return real_cfn(template, stack=stack, **kw)

    def checks(template, *, stack, **kw):
        calls["checks"].append(stack)
        return real_checks(template, stack=stack, **kw)

    monkeypatch.setattr(api, "run_cfn_lint", cfn)
    monkeypatch.setattr(api, "run_our_checks", checks)
    return calls


def _objects(path_b: str = "/b"):
    """Two IngressGroups (two group stacks + the cluster stack) with findings (a: internet-facing
    HTTP without redirect; b: spec.tls without certificate); `path_b` changes only group b."""
    return (
        kit.ingress("a", annotations={"group.name": "a", "scheme": "internet-facing"}, rules=[kit.rule("a.example.com", kit.path("/a", "Prefix", "svc", 80))]),
        kit.ingress(
            "b", annotations={"group.name": "b"}, rules=[kit.rule("b.example.com", kit.path(path_b, "Prefix", "svc", 80))], tls=[{"hosts": ["b.example.com"]}]
        ),
        kit.service("svc", type_="NodePort", ports=[{"port": 80, "targetPort": 8080, "nodePort": 30080}]),
    )


def _lint(objects, cache: LintCache | None, **kw):
    result = kit.render(*objects, vpc_data=kit.lint_vpc())
    return result, lint_rendered(result, _ingresses(objects), LintOptions(cache=cache, **kw))


def _ingresses(objects):
    from ingress2cfn.input.kube import parse_manifests

    return {ing.key: ing for ing in parse_manifests(kit.docs(*objects), "default").ingresses}


def _shown(outcome):
    return [(f, f.locations) for f in outcome.findings], outcome.rules, outcome.stacks


def test_second_lint_of_unchanged_templates_comes_from_the_cache(tmp_path, counted):
    cache = LintCache(tmp_path)
    result, first = _lint(_objects(), cache)
    stacks = [g.stack_name for g in result.groups] + [result.cluster_stack_name]
    assert len(stacks) == 3
    assert sorted(counted["cfn-lint"]) == sorted(stacks)
    assert (cache.hits, cache.misses) == (0, 3)
    assert first.findings, "the fixture should have findings, so that serving them from the cache is shown"

    counted["cfn-lint"].clear()
    counted["checks"].clear()
    again = LintCache(tmp_path)
    _, second = _lint(_objects(), again)
    assert counted == {"cfn-lint": [], "checks": []}
    assert (again.hits, again.misses) == (3, 0)
    assert _shown(second) == _shown(first)  # findings, their manifest locations, rules, stacks


def test_changing_one_template_lints_that_template_only(tmp_path, counted):
    _lint(_objects(), LintCache(tmp_path))
    counted["cfn-lint"].clear()
    result, changed = _lint(_objects(path_b="/other"), LintCache(tmp_path))
    (stack_b,) = [g.stack_name for g in result.groups if g.group_id == "b"]
    assert counted["cfn-lint"] == [stack_b]
    _, fresh = _lint(_objects(path_b="/other"), None)
    assert _shown(changed) == _shown(fresh)


@pytest.mark.parametrize("version", ["checks_version", "cfn_lint_version"])
def test_a_new_version_of_our_checks_or_of_cfn_lint_lints_everything_again(tmp_path, counted, monkeypatch, version):
    _lint(_objects(), LintCache(tmp_path))
    counted["cfn-lint"].clear()
    monkeypatch.setattr(cache_module, version, lambda: "another-version")
    cache = LintCache(tmp_path)
    _lint(_objects(), cache)
    assert len(counted["cfn-lint"]) == 3
    assert (cache.hits, cache.misses) == (0, 3)


def test_other_options_are_other_entries(tmp_path, counted):
    _lint(_objects(), LintCache(tmp_path))
    counted["cfn-lint"].clear()
    _lint(_objects(), LintCache(tmp_path), regions=("eu-west-1",))
    assert len(counted["cfn-lint"]) == 3


def test_checks_version_is_a_digest_of_the_lint_code():
    cache_module.checks_version.cache_clear()
    first = cache_module.checks_version()
    assert len(first) == 16 and first == cache_module.checks_version()


def test_a_corrupt_entry_is_a_miss(tmp_path, counted):
    _lint(_objects(), LintCache(tmp_path))
    for entry in (tmp_path / cache_module.FORMAT).rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    counted["cfn-lint"].clear()
    cache = LintCache(tmp_path)
    _, outcome = _lint(_objects(), cache)
    assert len(counted["cfn-lint"]) == 3 and cache.misses == 3
    _, fresh = _lint(_objects(), None)
    assert _shown(outcome) == _shown(fresh)


def test_template_file_lint_is_cached_with_its_file_locations(tmp_path, counted):
    text = kit.render(*_objects()[::2], vpc_data=kit.lint_vpc()).groups[0].template
    first = lint_template(text, "t.yaml", LintOptions(cache=LintCache(tmp_path)))
    counted["cfn-lint"].clear()
    second = lint_template(text, "t.yaml", LintOptions(cache=LintCache(tmp_path)))
    assert counted["cfn-lint"] == []
    assert _shown(second) == _shown(first)
    assert all(loc.file == "t.yaml" and loc.line for f in second.findings for loc in f.locations)


def test_worker_processes_give_the_same_findings_as_one_process():
    _, one = _lint(_objects(), None, jobs=1)
    _, pool = _lint(_objects(), None, jobs=2)
    assert _shown(pool) == _shown(one)


def test_cli_second_run_reports_the_cache_and_the_same_result(tmp_path, capsys):
    files = tmp_path / "in"
    files.mkdir()
    (files / "m.yaml").write_text(_dump(_objects()), encoding="utf-8")
    (files / "vpc.yaml").write_text(_dump([kit.lint_vpc()]), encoding="utf-8")
    args = [
        "lint",
        "-f",
        str(files / "m.yaml"),
        "--vpc",
        str(files / "vpc.yaml"),
        "--cluster",
        kit.CLUSTER,
        "--format",
        "json",
        "--cache-dir",
        str(tmp_path / "c"),
    ]
    first_code = main(args)
    first_out, first_err = capsys.readouterr()
    second_code = main(args)
    second_out, second_err = capsys.readouterr()
    assert first_code == second_code
    assert json.loads(second_out) == json.loads(first_out)
    assert "unchanged since a previous lint" not in first_err
    assert "3 of 3 templates unchanged since a previous lint" in second_err
    main([*args[:-2], "--no-cache"])
    assert "unchanged" not in capsys.readouterr().err


def _dump(objects) -> str:
    import yaml

    return "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objects)
