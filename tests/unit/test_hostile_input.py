"""Issue 8 §3: inputs that used to end in a Python traceback end in a located error, exit 1, with
nothing written. Each case mutates the 2048 sample (examples/2048) in one place."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from tools.regenerate_templates import ROOT

SAMPLE = ROOT / "examples/2048/2048_full.yaml"
VPC = str(ROOT / "examples/2048/vpc.yaml")
BASE = [d for d in yaml.safe_load_all(SAMPLE.read_text()) if d]
DEEP = "[" * 1000 + "]" * 1000


def _objects(mutate: Callable[[dict], object], kind: str) -> list[dict]:
    docs = copy.deepcopy(BASE)
    mutate(next(d for d in docs if d["kind"] == kind))
    return docs


def ingress(mutate: Callable[[dict], object]) -> list[dict]:
    return _objects(mutate, "Ingress")


def service(mutate: Callable[[dict], object]) -> list[dict]:
    return _objects(mutate, "Service")


def annotation(key: str, value: object) -> list[dict]:
    return ingress(lambda i: i["metadata"]["annotations"].__setitem__(f"alb.ingress.kubernetes.io/{key}", value))


def port(field: str, value: object) -> list[dict]:
    return service(lambda s: s["spec"]["ports"][0].__setitem__(field, value))


def text_of(objects: list[dict]) -> str:
    return "".join("---\n" + yaml.safe_dump(o) for o in objects)


def render(tmp_path: Path, capsys, text: str | bytes, *args: str, stdin: bool = False, monkeypatch=None) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    if stdin:
        raw = text if isinstance(text, bytes) else text.encode()
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
        source = "-"
    else:
        source = str(tmp_path / "in.yaml")
        Path(source).write_bytes(text if isinstance(text, bytes) else text.encode())
    code = main(["render", "-f", source, "--vpc", VPC, "--cluster", "my-cluster", "--out", str(out), *args])
    _, err = capsys.readouterr()
    return code, err, out


SAMPLE_TEXT = SAMPLE.read_text()


def _deep_action(i: dict) -> None:
    i["metadata"]["annotations"]["alb.ingress.kubernetes.io/actions.fwd"] = DEEP
    i["spec"]["rules"][0]["http"]["paths"][0]["backend"] = {"service": {"name": "fwd", "port": {"name": "use-annotation"}}}


CASES = [
    # nesting about 1,000 deep anywhere
    pytest.param(
        SAMPLE_TEXT + f"\n---\nkind: Ingress\napiVersion: networking.k8s.io/v1\nmetadata: {{name: x}}\nspec: {DEEP}\n", "nesting depth", id="deep-yaml"
    ),
    pytest.param(text_of(annotation("listen-ports", DEEP)), "nested more than 100 levels", id="deep-json-listen-ports"),
    pytest.param(text_of(annotation("conditions.service-2048", DEEP)), "nested more than 100 levels", id="deep-json-conditions"),
    pytest.param(text_of(ingress(_deep_action)), "nested more than 100 levels", id="deep-json-actions"),
    # ports out of range, and zero ports
    *(pytest.param(text_of(port(f, v)), "must be within [1, 65535]", id=f"{f}-{v}") for f in ("port", "targetPort", "nodePort") for v in (70000, -5, 0)),
    *(pytest.param(text_of(port(f, 1e30)), "must be an integer", id=f"{f}-1e30") for f in ("port", "nodePort")),
    pytest.param(text_of(port("targetPort", 1e30)), "must be an integer or a string", id="targetPort-1e30"),
    pytest.param(text_of(port("targetPort", "")), "must not be empty", id="targetPort-empty"),
    *(pytest.param(text_of(annotation("healthcheck-port", v)), "must be within [1, 65535]", id=f"healthcheck-port-{v}") for v in ("99999", "0")),
    # load balancer names AWS refuses
    *(
        pytest.param(text_of(annotation("load-balancer-name", v)), "not a valid load balancer name", id=f"lb-name-{v or 'empty'}")
        for v in ("", "-1", "ünïcode", "a_b", "internal-x")
    ),
    # empty backend Service name
    pytest.param(
        text_of(ingress(lambda i: i["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"].__setitem__("name", ""))),
        "must not be empty",
        id="backend-name-empty",
    ),
    # mappings and lists where strings go, integers where mappings go
    *(
        pytest.param(text_of(ingress(lambda i, v=v: i.__setitem__("apiVersion", v))), "apiVersion must be a string", id=f"apiVersion-{type(v).__name__}")
        for v in ({"a": 1}, [1])
    ),
    *(pytest.param(text_of(ingress(lambda i, v=v: i.__setitem__("kind", v))), "kind must be a string", id=f"kind-{type(v).__name__}") for v in ({"a": 1}, [1])),
    *(
        pytest.param(text_of(ingress(lambda i, v=v: i["metadata"].__setitem__("name", v))), "must be a string", id=f"name-{type(v).__name__}")
        for v in ({"a": 1}, [1], 5)
    ),
    *(
        pytest.param(text_of(ingress(lambda i, v=v: i["metadata"].__setitem__("labels", {"a": v}))), "value must be a string", id=f"label-{type(v).__name__}")
        for v in ({"a": 1}, [1])
    ),
    *(pytest.param(text_of(annotation("scheme", v)), "value must be a string", id=f"annotation-{type(v).__name__}") for v in ({"a": 1}, [1], 5)),
    *(
        pytest.param(text_of(ingress(lambda i, v=v: i.__setitem__("metadata", v))), "metadata: must be a mapping", id=f"metadata-{type(v).__name__}")
        for v in ([1], 5)
    ),
    pytest.param(text_of(service(lambda s: s.__setitem__("spec", 5))), "spec: must be a mapping", id="service-spec-int"),
    pytest.param(text_of(ingress(lambda i: i["spec"].__setitem__("tls", [5]))), "spec.tls[0]: must be a mapping", id="tls-item-int"),
    # a key written twice (issue 9 §3): both lines
    pytest.param(
        SAMPLE_TEXT.replace(
            "alb.ingress.kubernetes.io/scheme: internet-facing",
            "alb.ingress.kubernetes.io/scheme: internal\n    alb.ingress.kubernetes.io/scheme: internet-facing",
        ),
        "duplicate key 'alb.ingress.kubernetes.io/scheme': first at line 55, again at line 56",
        id="duplicate-annotation",
    ),
    pytest.param(
        SAMPLE_TEXT.replace("  name: ingress-2048\n", "  name: ingress-2048\n  namespace: other\n"), "duplicate key 'namespace'", id="duplicate-namespace"
    ),
]


CASES += [
    # YAML that parses but cannot be constructed: located at the value, not `in "<unicode string>"`
    pytest.param(
        SAMPLE_TEXT.replace("name: ingress-2048", "name: !!python/object:os.system x"),
        "in.yaml:53 [doc 4]: not valid YAML/JSON: could not determine a constructor",
        id="python-tag",
    ),
    pytest.param(
        SAMPLE_TEXT.replace("  name: ingress-2048\n", "  name: ingress-2048\n  labels:\n    ? [a]\n    : b\n"), "found unhashable key", id="unhashable-key"
    ),
    pytest.param(
        SAMPLE_TEXT.replace("  name: ingress-2048\n", "  name: ingress-2048\n  creationTimestamp: !!timestamp nope\n"),
        "a tagged value cannot be read",
        id="bad-timestamp",
    ),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_bad_input_is_a_located_error_and_writes_nothing(tmp_path, capsys, text, expected):
    code, err, out = render(tmp_path, capsys, text)
    assert code == EXIT_INVALID, err
    assert "Traceback" not in err
    assert expected in err
    assert err.startswith("error: ") and " [doc " in err  # located: file:line [doc N]
    assert not out.exists() or not any(out.iterdir())


def test_non_utf8_stdin_is_a_located_error(tmp_path, capsys, monkeypatch):
    code, err, _ = render(tmp_path, capsys, SAMPLE_TEXT.encode() + b"\n# caf\xe9\n", stdin=True, monkeypatch=monkeypatch)
    assert code == EXIT_INVALID
    assert "<stdin>:" in err and "not UTF-8: byte 0xe9" in err


def test_the_sample_itself_still_renders(tmp_path, capsys):
    code, err, out = render(tmp_path, capsys, SAMPLE_TEXT)
    assert code == EXIT_OK, err
    assert len(list(out.iterdir())) == 3


def test_a_cluster_stack_over_cloudformation_limits_is_refused_before_troposphere(tmp_path, capsys):
    """`--quota rules-per-alb=1000` lets 600 rules through the ALB check; CloudFormation's 500
    resources per stack then refuse it, with the group named (troposphere's own ValueError before)."""

    def many_paths(i):
        p = i["spec"]["rules"][0]["http"]["paths"][0]
        i["spec"]["rules"] = [{"host": f"h{n}.example.com", "http": {"paths": [p]}} for n in range(600)]

    code, err, out = render(tmp_path, capsys, text_of(ingress(many_paths)), "--quota", "rules-per-alb=1000")
    assert code == EXIT_INVALID
    assert "IngressGroup game-2048/ingress-2048 needs 60" in err and "more than the 500 CloudFormation allows in one stack (resources-per-stack)" in err
    assert not out.exists() or not any(out.iterdir())


def test_a_huge_list_in_a_warning_is_cut_with_a_count(tmp_path, capsys):
    """1 M spec.tls hosts made one 20.9 MB stderr line."""
    hosts = [f"h{n}.example.com" for n in range(5000)]
    code, err, _ = render(tmp_path, capsys, text_of(ingress(lambda i: i["spec"].__setitem__("tls", [{"hosts": hosts}]))))
    assert code == EXIT_OK, err
    (line,) = [line for line in err.splitlines() if "spec.tls" in line]
    assert "h0.example.com" in line and "… and 4,990 more" in line
    assert len(line) < 1000


def test_lint_of_a_group_over_cloudformation_limits_is_the_stack_size_error(tmp_path, capsys):
    """lint renders without enforcing the ALB quotas; 1,000 Ingresses in one group then hit
    troposphere's "Maximum number of resources 500 reached" before any quota finding."""
    docs: list[dict] = []
    for n in range(1000):
        docs.append(
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"s{n}", "namespace": "shop"}, "spec": {"ports": [{"port": 80, "targetPort": 8080}]}}
        )
        docs.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {
                    "name": f"i{n}",
                    "namespace": "shop",
                    "annotations": {"alb.ingress.kubernetes.io/group.name": "big", "alb.ingress.kubernetes.io/target-type": "ip"},
                },
                "spec": {
                    "ingressClassName": "alb",
                    "rules": [
                        {
                            "host": f"h{n}.example.com",
                            "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": f"s{n}", "port": {"number": 80}}}}]},
                        }
                    ],
                },
            }
        )
    source = tmp_path / "big.yaml"
    source.write_text(text_of(docs))
    code = main(["lint", "-f", str(source), "--vpc", VPC, "--cluster", "my-cluster"])
    _, err = capsys.readouterr()
    assert code == EXIT_INVALID
    assert "IngressGroup big needs" in err and "more than the 500 CloudFormation allows in one stack (resources-per-stack): render with --split-by-quota" in err


@pytest.mark.parametrize(
    "metadata, field",
    [
        ([1], "Metadata"),
        (None, "Metadata"),
        ({"cfn-lint": 5}, "Metadata.cfn-lint"),
        ({"cfn-lint": {"config": []}}, "Metadata.cfn-lint.config"),
        ({"cfn-lint": {"config": {"ignore_checks": [[1]]}}}, "Metadata.cfn-lint.config.ignore_checks"),
    ],
)
@pytest.mark.parametrize("where", ["template", "resource"])
def test_lint_template_refuses_metadata_cfn_lint_would_crash_on(tmp_path, capsys, metadata, field, where):
    """cfn-lint reads Metadata.cfn-lint.config of the template and of each resource unguarded."""
    template = yaml.safe_load((ROOT / "templates/2048/i2c-my-cluster-game-2048-ingress-2048-c6734a95.yaml").read_text())
    if where == "template":
        template["Metadata"] = metadata
    else:
        template["Resources"]["LoadBalancer"]["Metadata"] = metadata
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(template))
    code = main(["lint", "--template", str(path)])
    _, err = capsys.readouterr()
    assert code == EXIT_INVALID
    prefix = "" if where == "template" else "Resources.LoadBalancer."
    assert f"template {prefix}{field}: must be" in err


@pytest.mark.parametrize("depth", [150, 1000])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_deeply_nested_policy_file_is_a_located_error(tmp_path, capsys, depth, suffix):
    policy = tmp_path / f"policy{suffix}"
    policy.write_text('{"groups": {"web": {"namespaces": ' + "[" * depth + "]" * depth + "}}}")
    code = main(["lint", "-f", str(SAMPLE), "--vpc", VPC, "--cluster", "my-cluster", "--policy", str(policy)])
    _, err = capsys.readouterr()
    assert code == EXIT_INVALID
    assert err.startswith(f"error: {policy}") and ("nest" in err or "depth" in err)
