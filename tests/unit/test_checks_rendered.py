"""ingress2cfn.lint.checks on templates rendered by the pipeline (tests/kit.py) and on the committed
example outputs in templates/: the Metadata names the Ingresses, the examples have no errors, and
no template shape makes a check raise."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kit
import pytest
import yaml

from ingress2cfn.lint.checks import run_checks
from ingress2cfn.lint.findings import Severity

ROOT = Path(__file__).resolve().parents[2]
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7"


def _load(text: str) -> dict:
    return yaml.load(text, Loader=Loader)


def _group(name: str, **more: str) -> dict:
    return {"group.name": name, "target-type": "ip", **more}


def test_150_rules_in_one_group_exceed_rules_per_alb_and_name_the_group():
    ingresses = [
        kit.ingress(
            f"app{i:02d}", annotations=_group("big"), rules=[kit.rule(f"app{i:02d}.example.com", *[kit.path(f"/p{j}", "Prefix", "svc", 80) for j in range(3)])]
        )
        for i in range(50)
    ]
    result = kit.render(*ingresses, kit.service(), enforce_alb_quotas=False)  # as lint renders (render itself refuses)
    (group,) = result.groups
    findings = run_checks(_load(group.template), stack=group.stack_name, template_text=group.template)
    (f,) = [f for f in findings if f.rule_id == "I2C1001"]
    assert f.severity is Severity.ERROR
    assert "IngressGroup big" in f.message and "150 listener rules" in f.message and "100" in f.message
    assert "--split-by-quota" in f.message
    assert f.logical_id == "LoadBalancer" and f.stack == group.stack_name
    assert len(f.ingresses) == 50 and f.ingresses[0] == "default/app00"  # three rules each: ties by name
    # 50 target groups stay within 100; the template needs an S3 upload
    assert {x.rule_id for x in findings} == {"I2C1001", "I2C5001"}


def _shadow_group(path_a: str, path_b: str, host_a: str | None = None, host_b: str | None = None):
    return kit.render(
        kit.ingress("a", annotations=_group("shop"), rules=[kit.rule(host_a, kit.path(path_a, "Prefix", "svc", 80))]),
        kit.ingress("b", annotations=_group("shop"), rules=[kit.rule(host_b, kit.path(path_b, "Prefix", "svc", 80))]),
        kit.service(),
    )


def test_catch_all_of_one_ingress_shadows_another_ingress_in_the_group():
    (group,) = _shadow_group("/", "/api").groups
    (f,) = [f for f in run_checks(_load(group.template), stack=group.stack_name) if f.rule_id == "I2C4006"]
    assert f.severity is Severity.WARNING
    assert f.ingresses == ("default/b", "default/a")
    assert f.rule_fields == ("spec.rules[0].http.paths[0]", "spec.rules[0].http.paths[0]")
    assert "Ingress default/b" in f.message and "Ingress default/a" in f.message
    assert "priority 2" in f.message and "priority 1" in f.message
    assert "path /*" in f.message and "/api|/api/*" in f.message


@pytest.mark.parametrize(
    "path_a, path_b, host_a, host_b",
    [
        pytest.param("/api", "/", None, None, id="narrow-first"),
        pytest.param("/", "/api", "a.example.com", "b.example.com", id="other-host"),
        pytest.param("/", "/api", "a.example.com", None, id="earlier-host-later-any"),
    ],
)
def test_no_shadowing(path_a, path_b, host_a, host_b):
    (group,) = _shadow_group(path_a, path_b, host_a, host_b).groups
    assert [f for f in run_checks(_load(group.template), stack="t") if f.rule_id == "I2C4006"] == []


def test_wildcard_host_shadows_a_concrete_host_of_another_ingress():
    (group,) = _shadow_group("/", "/", "*.example.com", "shop.example.com").groups
    (f,) = [f for f in run_checks(_load(group.template), stack="t") if f.rule_id == "I2C4006"]
    assert f.ingresses == ("default/b", "default/a")


def test_duplicate_priority_names_both_ingresses_from_metadata():
    (group,) = _shadow_group("/x", "/y").groups
    tpl = _load(group.template)
    rules = sorted((k for k, v in tpl["Resources"].items() if v["Type"].endswith("ListenerRule")), key=lambda k: tpl["Resources"][k]["Properties"]["Priority"])
    tpl["Resources"][rules[1]]["Properties"]["Priority"] = 1
    (f,) = run_checks(tpl, stack="t")
    assert f.rule_id == "I2C2001" and f.ingresses == ("default/b", "default/a") and f.logical_id == rules[1]


def test_tls_hosts_without_certificate():
    tls = [{"hosts": ["shop.example.com"], "secretName": "ignored"}]
    result = kit.render(kit.ingress("web", tls=tls), kit.service())
    assert any("spec.tls" in str(w) for w in result.warnings)  # the render pipeline still warns on its own
    (group,) = result.groups
    tpl = _load(group.template)
    (f,) = run_checks(tpl, stack="t", tls_hosts={"default/web": ("shop.example.com",), "other/ns": ("x.example.com",)})
    assert f.rule_id == "I2C6001" and f.ingresses == ("default/web",) and f.rule_fields == ("spec.tls",)
    assert "shop.example.com" in f.message
    assert run_checks(tpl, stack="t") == []  # templates alone: nothing to compare


def test_tls_hosts_with_certificate_pass():
    annotations = {"certificate-arn": CERT, "listen-ports": '[{"HTTPS": 443}]'}
    (group,) = kit.render(kit.ingress("web", annotations=annotations, tls=[{"hosts": ["shop.example.com"]}]), kit.service()).groups
    assert run_checks(_load(group.template), stack="t", tls_hosts={"default/web": ("shop.example.com",)}) == []


def _committed_templates() -> list[Path]:
    return sorted(p for p in (ROOT / "templates").rglob("*.yaml") if not p.name.endswith(".bindings.yaml") and p.name != "vpc.yaml")


@pytest.mark.parametrize("path", _committed_templates(), ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_committed_templates_have_no_error_findings(path):
    text = path.read_text(encoding="utf-8")
    findings = run_checks(_load(text), stack=path.stem, template_text=text)
    assert [f"{f.rule_id} {f.message}" for f in findings if f.severity is Severity.ERROR] == []


# ------------------------------------------------------------------ no template shape makes a check raise

ODD_VALUES: tuple[Any, ...] = (None, "abc", -1, {}, {"Fn::If": ["C", 1, 2]}, [None, {"Ref": "X"}], True)


def _paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield prefix + (k,)
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield prefix + (i,)
            yield from _paths(v, prefix + (i,))


def _node(tpl: dict, path: tuple) -> Any:
    node = tpl
    for key in path[:-1]:
        node = node[key]
    return node


def _fuzz_sources() -> list[dict]:
    from test_checks_table import BASE

    annotations = {"certificate-arn": CERT, "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]', "scheme": "internet-facing"}
    rendered = kit.template(kit.ingress("web", annotations=annotations), kit.service())
    return [copy.deepcopy(BASE), rendered]


def test_odd_values_anywhere_never_raise():
    for tpl in _fuzz_sources():
        for path in list(_paths(tpl)):
            if "Tags" in path or path[0] in ("Outputs", "Metadata") or "Metadata" in path:
                continue
            parent = _node(tpl, path)
            original = parent[path[-1]]
            for value in ODD_VALUES:
                parent[path[-1]] = value  # in place, put back below
                run_checks(tpl, stack="fuzz", tls_hosts={"default/web": ("a.example.com",)})
            parent[path[-1]] = original
    for odd in ({}, {"Resources": []}, {"Resources": {"X": None}}, {"Resources": {"X": {"Type": 5}}}, [], "text"):
        assert run_checks(odd, stack="odd") == []  # type: ignore[arg-type]
