"""--split-by-quota (issue 4): over-quota groups fail render and lint with a hint; with the flag
they become shards within every quota; the assignment is stable across renders."""

from __future__ import annotations

from pathlib import Path

import kit
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingress2cfn.build.split import Unit, assign, read_previous
from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.lint.checks import run_checks
from ingress2cfn.lint.findings import Severity

ROOT = Path(__file__).resolve().parents[2]
VPC = ROOT / "examples/ingress-group/vpc.yaml"  # real-looking ids: cfn-lint checks their format


def big_group(hosts: int = 50, paths: int = 3) -> list[dict]:
    """`hosts` Ingresses in group big, one host each, `paths` Prefix rules each → hosts×paths rules."""
    objs: list[dict] = [kit.service(f"svc{i:02d}", ports=[{"port": 80, "targetPort": 8080}], type_="ClusterIP") for i in range(hosts)]
    for i in range(hosts):
        objs.append(
            kit.ingress(
                f"app{i:02d}",
                annotations={"group.name": "big", "target-type": "ip", "scheme": "internet-facing"},
                rules=[kit.rule(f"app{i:02d}.example.com", *[kit.path(f"/p{j}", "Prefix", f"svc{i:02d}", 80) for j in range(paths)])],
            )
        )
    return objs


def write(path: Path, objs: list[dict]) -> str:
    path.write_text("".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objs))
    return str(path)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_render_refuses_an_over_quota_group_and_suggests_the_flag(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", big_group())
    code, out, err = cli(capsys, "render", "-f", files, "--vpc", str(VPC), "--cluster", "my-cluster", "--out", str(tmp_path / "out"))
    assert code == EXIT_INVALID and not (tmp_path / "out").exists()
    assert "IngressGroup big has 150 listener rules, more than quota rules-per-alb 100" in err
    assert "--split-by-quota" in err


def test_lint_reports_the_quota_naming_the_group_and_suggesting_the_flag(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", big_group())
    code, out, err = cli(capsys, "lint", "-f", files, "--vpc", str(VPC), "--cluster", "my-cluster", "--format", "json")
    assert code == EXIT_INVALID
    report = yaml.safe_load(out)
    quota = [f for f in report["findings"] if f["ruleId"] == "I2C1001"]
    assert len(quota) == 1
    assert "IngressGroup big" in quota[0]["message"] and "--split-by-quota" in quota[0]["message"]


def test_split_emits_two_stacks_each_within_every_quota_and_lint_clean(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", big_group())
    out_dir = tmp_path / "out"
    code, _, err = cli(capsys, "render", "-f", files, "--vpc", str(VPC), "--cluster", "my-cluster", "--split-by-quota", "--out", str(out_dir))
    assert code == EXIT_OK, err
    shards = sorted(p for p in out_dir.glob("*-s[0-9].yaml"))
    assert [p.name[-8:] for p in shards] == ["-s1.yaml", "-s2.yaml"]
    assert err.count("split: IngressGroup big shard") == 2
    hosts_seen: list[str] = []
    names = set()
    for path in shards:
        text = path.read_text()
        tpl = yaml.safe_load(text)
        meta = tpl["Metadata"]["ingress2cfn"]
        hosts_seen += meta["units"]
        assert [f for f in run_checks(tpl, stack=path.stem, template_text=text) if f.severity is Severity.ERROR] == []
        assert kit.cfn_lint(text) == []
        rules = [r for r in tpl["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::ListenerRule"]
        assert 0 < len(rules) <= 100
        assert sorted(r["Properties"]["Priority"] for r in rules) == list(range(1, len(rules) + 1))
        names.add(tpl["Resources"]["LoadBalancer"]["Properties"]["Name"])
        names.add(tpl["Resources"]["ManagedSecurityGroup"]["Properties"]["GroupName"])
    assert len(names) == 4  # each shard its own ALB and frontend SG (names are unique per account / VPC)
    assert sorted(hosts_seen) == [f"app{i:02d}.example.com" for i in range(50)]  # every host on exactly one ALB


def test_split_notes_one_line_per_shard_and_the_hosts_with_verbose(capsys, tmp_path):
    """Issue 8 §7: every host of every shard went to stderr (150 lines for 150 hosts)."""
    files = write(tmp_path / "m.yaml", big_group())
    args = ["render", "-f", files, "--vpc", str(VPC), "--cluster", "my-cluster", "--split-by-quota", "--out", str(tmp_path / "out")]
    code, _, err = cli(capsys, *args)
    assert code == EXIT_OK, err
    notes = [line for line in err.splitlines() if line.startswith("split: ")]
    assert len(notes) == 2
    counts = [int(line.split(": ")[-1].split(" host")[0]) for line in notes]
    assert sum(counts) == 50 and all(line.endswith(f"{n} hosts, {n} Ingresses") for line, n in zip(notes, counts, strict=True))
    assert "example.com" not in err
    code, _, err = cli(capsys, *args, "-v")
    assert err.count("serves hosts: ") == 2 and err.count(".example.com") == 50


def test_a_split_group_without_out_is_named_as_shards_of_one_group(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", big_group())
    code, _, err = cli(capsys, "render", "-f", files, "--vpc", str(VPC), "--cluster", "my-cluster", "--split-by-quota")
    assert code == EXIT_INVALID
    assert "the input makes 2 shards of IngressGroup big (--split-by-quota): use --out DIR" in err


def test_rule_order_within_a_unit_is_kept():
    objs = big_group(hosts=40, paths=3)
    stacks, _, _ = kit.build(*objs, split_by_quota=True)
    for stack in stacks:
        for listener in stack.listeners:
            by_ingress: dict[str, list[str]] = {}
            for rule in sorted(listener.rules, key=lambda r: r.priority):
                by_ingress.setdefault(rule.source, []).append(rule.conditions[-1].values[0])
            for paths in by_ingress.values():
                assert paths == ["/p0", "/p1", "/p2"]


def test_hosts_sharing_an_ingress_stay_together():
    objs = big_group(hosts=40, paths=3)
    # one Ingress spanning two hosts ties their units together
    objs.append(
        kit.ingress(
            "bridge",
            annotations={"group.name": "big", "target-type": "ip"},
            rules=[kit.rule("app00.example.com", kit.path("/x", "Exact", "svc00", 80)), kit.rule("app39.example.com", kit.path("/x", "Exact", "svc39", 80))],
        )
    )
    stacks, _, _ = kit.build(*objs, split_by_quota=True)
    (home,) = [s for s in stacks if "app00.example.com" in s.shard_units]
    assert "app39.example.com" in home.shard_units and "default/bridge" in home.members


def test_a_unit_bigger_than_an_alb_is_a_clear_error():
    objs = [
        kit.service("svc", ports=[{"port": 80, "targetPort": 8080}], type_="ClusterIP"),
        kit.ingress(
            "huge",
            annotations={"group.name": "big", "target-type": "ip"},
            rules=[kit.rule("one.example.com", *[kit.path(f"/p{j}", "Exact", "svc", 80) for j in range(101)])],
        ),
    ]
    with pytest.raises(Exception, match="alone has 101 rules"):
        kit.build(*objs, split_by_quota=True)


# ---------------------------------------------------------------- stability (property)


def _units(sizes: dict[str, int]) -> list[Unit]:
    return [Unit(h, (h,), frozenset({h}), n, 1) for h, n in sorted(sizes.items())]


def _previous(assignment: dict[str, int]) -> dict[str, int]:
    return dict(assignment)


HOST = st.from_regex(r"[a-z]{1,8}\.example\.(com|org)", fullmatch=True)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(HOST, st.integers(1, 30), min_size=1, max_size=25), st.lists(st.tuples(st.booleans(), HOST, st.integers(1, 30)), min_size=1, max_size=15)
)
def test_no_unit_moves_unless_its_alb_overflowed(initial, steps):
    capacity = (100, 100)
    sizes = dict(initial)
    assignment = assign(_units(sizes), capacity)
    for insert, host, size in steps:
        if insert:
            sizes[host] = size
        else:
            sizes.pop(host, None)
            if not sizes:
                continue
        new = assign(_units(sizes), capacity, _previous(assignment))
        load: dict[int, int] = {}
        for h, shard in new.items():
            load[shard] = load.get(shard, 0) + sizes[h]
        for h, shard in new.items():
            assert load[shard] <= capacity[0]  # every ALB within quota
            old = assignment.get(h)
            if old is not None and old != shard:
                # it moved: its old ALB could not take it any more
                assert load.get(old, 0) + sizes[h] > capacity[0], (h, old, shard)
        assignment = new


def test_first_assignment_does_not_depend_on_name_order():
    sizes = {f"h{i}.example.com": 7 for i in range(40)}
    forward = assign(_units(sizes), (100, 100))
    backward = assign(list(reversed(_units(sizes))), (100, 100))
    assert forward == backward


def test_assignment_is_read_back_from_the_previous_templates(capsys, tmp_path):
    files = write(tmp_path / "m.yaml", big_group())
    out_dir = tmp_path / "out"
    args = ["render", "-f", files, "--vpc", str(VPC), "--cluster", "my-cluster", "--split-by-quota", "--out", str(out_dir)]
    assert cli(capsys, *args)[0] == EXIT_OK
    before = read_previous(out_dir)["big"]
    # a new host whose name sorts first must not move anyone
    objs = big_group() + [
        kit.service("svcnew", ports=[{"port": 80, "targetPort": 8080}], type_="ClusterIP"),
        kit.ingress("aaa", annotations={"group.name": "big", "target-type": "ip"}, rules=[kit.rule("aaa.example.com", kit.path("/", "Prefix", "svcnew", 80))]),
    ]
    write(tmp_path / "m.yaml", objs)
    assert cli(capsys, *args)[0] == EXIT_OK
    after = read_previous(out_dir)["big"]
    assert {h: s for h, s in after.items() if h in before} == before
    assert "aaa.example.com" in after
    # and --check on the fresh directory is clean
    code, _, err = cli(capsys, "render", "-f", files, "--vpc", str(VPC), "--cluster", "my-cluster", "--split-by-quota", "--check", str(out_dir))
    assert code == EXIT_OK, err


@pytest.mark.parametrize(
    "annotation, message",
    [
        pytest.param({"load-balancer-name": "fixed"}, "load-balancer-name 'fixed': remove it to split", id="explicit-name"),
        pytest.param({"enable-frontend-nlb": "true"}, "cannot split a group with enable-frontend-nlb", id="frontend-nlb"),
    ],
)
def test_what_cannot_be_split_is_a_clear_error(annotation, message):
    objs = big_group()
    objs[-1]["metadata"]["annotations"].update({kit.P + k: v for k, v in annotation.items()})
    with pytest.raises(Exception, match=message):
        kit.build(*objs, split_by_quota=True)
