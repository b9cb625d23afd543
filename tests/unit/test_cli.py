"""The command line: inputs (-f file/dir/-, List, namespaces), outputs (stdout, --out, json),
exit codes."""

from __future__ import annotations

import io
import json

import kit
import pytest
import yaml

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from tools.regenerate_templates import ROOT

VPC = str(ROOT / "examples/2048/vpc.yaml")
SAMPLE = str(ROOT / "examples/2048/2048_full.yaml")


def run(capsys, *args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(path, *objects):
    path.write_text("".join("---\n" + yaml.safe_dump(o) for o in objects))
    return str(path)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["render"], id="missing-required-options"),
        pytest.param(["render", "-f", SAMPLE, "--vpc", VPC, "--cluster", "c", "--bogus"], id="unknown-option"),
        pytest.param(["render", "-f", SAMPLE, "--vpc", VPC, "--cluster", "c", "--format", "xml"], id="bad-choice"),
        pytest.param(["nope"], id="unknown-command"),
    ],
)
def test_usage_errors_exit_64(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == EXIT_USAGE
    assert out == ""
    assert "Traceback" not in err and err.strip()


def test_help_teaches_with_an_example(capsys):
    code, out, _ = run(capsys, "render", "--help")
    assert code == EXIT_OK
    assert "ingress2cfn render -f examples/2048/2048_full.yaml" in out
    code, out, _ = run(capsys, "--help")
    assert "Exit codes" in out


def test_stdin_and_file_give_the_same_template(capsys, monkeypatch):
    _, from_file, _ = run(capsys, "render", "-f", SAMPLE, "--vpc", VPC, "--cluster", "my-cluster")
    with open(SAMPLE) as fh:
        text = fh.read()
    code, from_stdin, _ = run(capsys, "render", "-f", "-", "--vpc", VPC, "--cluster", "my-cluster", stdin=text, monkeypatch=monkeypatch)
    assert code == EXIT_OK and from_stdin == from_file


def test_directory_recurses_and_kind_list_is_unpacked(capsys, tmp_path):
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    write(sub / "svc.yml", kit.service())
    listed = {"apiVersion": "v1", "kind": "List", "items": [kit.ingress(), {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}]}
    (tmp_path / "ing.json").write_text(json.dumps(listed))
    (tmp_path / "notes.txt").write_text("not a manifest: ignored by suffix")
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    code, out, err = run(capsys, "render", "-f", str(tmp_path / "deep"), "-f", str(tmp_path / "ing.json"), "--vpc", str(vpc), "--cluster", kit.CLUSTER)
    assert code == EXIT_OK, err
    tpl = yaml.safe_load(out)
    assert any(r["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule" for r in tpl["Resources"].values())


def test_namespace_flag_applies_to_objects_without_namespace(capsys, tmp_path):
    ing = kit.ingress()
    svc = kit.service()
    del ing["metadata"]["namespace"], svc["metadata"]["namespace"]
    files = write(tmp_path / "m.yaml", ing, svc)
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    code, out, err = run(capsys, "render", "-f", files, "--vpc", str(vpc), "--cluster", kit.CLUSTER, "-n", "team-a")
    assert code == EXIT_OK, err
    assert "team-a/web" in yaml.safe_load(out)["Metadata"]["ingress2cfn"]["members"]


def test_several_groups_need_out_and_out_writes_every_stack(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", kit.ingress("a"), kit.ingress("b"), kit.service())
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    code, out, err = run(capsys, "render", "-f", files, "--vpc", str(vpc), "--cluster", kit.CLUSTER)
    assert code == EXIT_INVALID and out == ""
    assert "--out" in err and "default/a" in err and "default/b" in err
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "render", "-f", files, "--vpc", str(vpc), "--cluster", kit.CLUSTER, "--out", str(out_dir), "--format", "json")
    assert code == EXIT_OK, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert len(names) == 5  # 2 × (stack + bindings) + cluster stack
    assert all(n.endswith(".json") for n in names)
    for p in out_dir.iterdir():
        json.loads(p.read_text())


def test_no_owned_ingress_is_an_error(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", kit.ingress(class_name="nginx"), kit.ingress_class("nginx", controller="k8s.io/ingress-nginx"))
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    code, out, err = run(capsys, "render", "-f", files, "--vpc", str(vpc), "--cluster", kit.CLUSTER)
    assert code == EXIT_INVALID and out == ""
    assert "ingress class 'alb'" in err


def test_out_with_no_owned_ingress_writes_nothing_and_says_which_were_skipped_and_why(capsys, tmp_path, monkeypatch):
    """Issue 8 §7: it used to exit 0 writing only a cluster stack, silently."""
    monkeypatch.setenv("NO_COLOR", "1")
    files = write(
        tmp_path / "m.yaml",
        kit.ingress("a", class_name="nginx"),
        kit.ingress_class("nginx", controller="k8s.io/ingress-nginx"),
        kit.ingress("b", annotations=None, class_name=None),
        kit.ingress("c", class_name="traefik"),
        kit.ingress("d", annotations={"kubernetes.io/ingress.class": "nginx"}, class_name=None),
    )
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "render", "-f", files, "--vpc", str(vpc), "--cluster", kit.CLUSTER, "--out", str(out_dir))
    assert code == EXIT_OK and out == ""
    assert not out_dir.exists()
    assert f"no Ingress belongs to ingress class 'alb': nothing written to {out_dir}" in err
    assert "skipped Ingress default/a: IngressClass nginx has controller 'k8s.io/ingress-nginx', not ingress.k8s.aws/alb" in err
    assert "skipped Ingress default/b: no class: neither spec.ingressClassName" in err
    assert "skipped Ingress default/c: class 'traefik' is another controller's (not --ingress-class 'alb')" in err
    assert "skipped Ingress default/d: annotation kubernetes.io/ingress.class: 'nginx' is another class than 'alb'" in err


def test_warnings_go_to_stderr_without_colour_under_no_color(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    files = write(tmp_path / "m.yaml", kit.ingress(tls=[{"hosts": ["a.example.com"]}]), kit.service())
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    code, out, err = run(capsys, "render", "-f", files, "--vpc", str(vpc), "--cluster", kit.CLUSTER)
    assert code == EXIT_OK
    assert err.startswith("warning: ") and "\x1b[" not in err
    assert "spec.tls" in err
    yaml.safe_load(out)


def test_errors_write_nothing(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", kit.ingress("a"), kit.ingress("b", annotations={"scheme": "bogus"}), kit.service())
    vpc = tmp_path / "vpc.yaml"
    vpc.write_text(yaml.safe_dump(kit.lint_vpc()))
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "render", "-f", files, "--vpc", str(vpc), "--cluster", kit.CLUSTER, "--out", str(out_dir))
    assert code == EXIT_INVALID
    assert not out_dir.exists()
    assert "unknown scheme" in err and "Ingress default/b" in err


def test_binding_networking_is_opt_in_and_needs_the_backend_sg(tmp_path):
    """The cluster stack owns the node SG rules: render's bindings carry `networking` only with --binding-networking."""
    import yaml

    from ingress2cfn.cli import EXIT_OK, EXIT_USAGE, main

    base = ["render", "-f", "examples/2048/2048_full.yaml", "--vpc", "examples/2048/vpc.yaml", "--cluster", "my-cluster", "--out"]
    assert main(base + [str(tmp_path / "a"), "--backend-security-group-id", "sg-0123456789abcdef0"]) == EXIT_OK
    assert main(base + [str(tmp_path / "b"), "--backend-security-group-id", "sg-0123456789abcdef0", "--binding-networking"]) == EXIT_OK
    assert main(base + [str(tmp_path / "c"), "--binding-networking"]) == EXIT_USAGE

    def spec(d):
        (f,) = (tmp_path / d).glob("*.bindings.yaml")
        return next(yaml.safe_load_all(f.read_text()))["spec"]

    assert "networking" not in spec("a")
    assert spec("b")["networking"]["ingress"][0]["from"] == [{"securityGroup": {"groupID": "sg-0123456789abcdef0"}}]
