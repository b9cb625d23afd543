"""Issue 8 §3: structure-aware fuzzing of everything a user feeds in. Hypothesis mutates the
bundled example manifests, the VPC descriptions, the lint policy file and rendered templates
(`lint --template`): wrong types, missing and extra fields, unicode, huge numbers, deep nesting,
duplicated lines and cut-off text. Every run of the real CLI (in-process) must exit 0 or 1, raise
nothing (so no traceback reaches the user), and write nothing when it fails.

1,000 examples in the suite; more with `I2C_FUZZ_EXAMPLES`, e.g.
`I2C_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest -q -p no:cacheprovider tests/property/test_fuzz_inputs.py`."""

from __future__ import annotations

import copy
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingress2cfn.cli import main
from tools.regenerate_templates import ROOT, load_examples

EXAMPLES = int(os.environ.get("I2C_FUZZ_EXAMPLES", "1000"))
CLUSTER = "my-cluster"
DEEP_LIST: Any = []
for _ in range(150):
    DEEP_LIST = [DEEP_LIST]
DEEP_MAP: Any = {}
for _ in range(150):
    DEEP_MAP = {"a": DEEP_MAP}

SPECIAL_STRINGS = [
    "",
    " ",
    "0",
    "-1",
    "65536",
    "99999",
    "1e30",
    "*",
    "/*",
    "?",
    "true",
    "null",
    "~",
    "use-annotation",
    "ip",
    "instance",
    "internet-facing",
    "internal",
    "Prefix",
    "ImplementationSpecific",
    "HTTP",
    "HTTPS",
    '[{"HTTP": 80}]',
    '[{"HTTPS": -1}]',
    "{",
    "[" * 500 + "]" * 500,
    "k=" + "v," * 2000,
    "a" * 300,
    "ünïcode",
    "💥",
    "\u200b",
    "line\nbreak",
    "\x00",
    "\\",
    "{{resolve:ssm:x}}",
    "subnet-0123",
    "sg-1",
    "10.0.0.0/33",
    "::/0",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(SPECIAL_STRINGS),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=8), SCALARS, max_size=3),
    st.sampled_from([DEEP_LIST, DEEP_MAP]),
).map(copy.deepcopy)  # never share (and so mutate) the module's deep values


def _read(path: Path) -> list[Any]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


@cache
def bases() -> dict[str, list[tuple[str, list[Any], str]]]:
    """kind of input → [(name, documents, the VPC file to render with)]."""
    manifests = [(e.name, [d for s in e.sources for d in _read(ROOT / s)], str(ROOT / e.vpc)) for e in load_examples()]
    vpcs = [(p.name, _read(p), "") for p in sorted({ROOT / e.vpc for e in load_examples()})]
    policies = [("policy.yaml", _read(ROOT / "tests/lint/policy/policy.yaml"), "")]
    templates = [(p.name, _read(p), "") for p in sorted((ROOT / "templates").glob("2048*/i2c-*-game-2048-*.yaml")) if ".bindings." not in p.name][:1]
    return {"manifests": manifests, "vpc": vpcs, "policy": policies, "template": templates}


def _containers(node: Any, path: tuple = ()) -> list[tuple]:
    """Every path into the documents, down to 14 levels (deeper is a mutation's deep nesting)."""
    out = [path]
    if len(path) >= 14:
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            out += _containers(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _containers(v, path + (i,))
    return out


def _at(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated(draw, kind: str) -> tuple[str, str, str]:
    """(file name, text, vpc file) of one base input with 1-3 mutations."""
    name, docs, vpc = draw(st.sampled_from(bases()[kind]))
    docs = copy.deepcopy(docs)
    for _ in range(draw(st.integers(1, 3))):
        paths = _containers(docs)
        if len(paths) == 1:
            break  # every document deleted
        path = draw(st.sampled_from(paths[1:]))
        parent, key = _at(docs, path[:-1]), path[-1]
        op = draw(st.sampled_from(["replace", "delete", "add", "retype"]))
        if op == "replace":
            parent[key] = draw(VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "add":
            target = parent[key]
            if isinstance(target, dict):
                target[draw(st.text(max_size=12) | st.sampled_from(["kind", "apiVersion", "metadata", "spec", "Metadata", "Properties"]))] = draw(VALUES)
            elif isinstance(target, list):
                target.insert(draw(st.integers(0, len(target))), draw(VALUES))
            else:
                parent[key] = draw(VALUES)
        else:  # the same content in another type: "80" ↔ 80, [x] ↔ x, {k: x} ↔ x
            value = parent[key]
            parent[key] = draw(st.sampled_from([str(value), [value], {"value": value}, len(str(value))]))
    as_json = name.endswith(".json") or (draw(st.booleans()) and kind != "template")
    text = json.dumps(docs[0] if len(docs) == 1 else docs, default=str) if as_json and len(docs) == 1 else yaml.safe_dump_all(docs)
    suffix = ".json" if as_json and len(docs) == 1 else ".yaml"
    text_op = draw(st.sampled_from(["none", "none", "none", "duplicate-line", "cut"]))
    lines = text.splitlines(keepends=True)
    if text_op == "duplicate-line" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
        text = "".join(lines)
    elif text_op == "cut" and text:
        text = text[: draw(st.integers(0, len(text)))]
    return "input" + suffix, text, vpc


def _run(argv: list[str]) -> int:
    code = main(argv)  # any exception fails the test: the user would see a traceback
    assert code in (0, 1), argv
    return code


def _example_vpc() -> str:
    return str(ROOT / "examples/2048/vpc.yaml")


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["manifests"] * 14 + ["vpc"] * 3 + ["policy"] * 2 + ["template"]), st.data())
def test_any_input_exits_0_or_1_without_traceback_and_writes_nothing_on_error(tmp_path_factory, capsys, kind, data):
    name, text, vpc = data.draw(mutated(kind))
    tmp = tmp_path_factory.mktemp("fuzz")
    source = tmp / name
    source.write_text(text, encoding="utf-8")
    out = tmp / "out"
    sample = str(ROOT / "examples/2048/2048_full.yaml")
    if kind == "manifests":
        code = _run(["render", "-f", str(source), "--vpc", vpc, "--cluster", CLUSTER, "--out", str(out)])
    elif kind == "vpc":
        code = _run(["render", "-f", sample, "--vpc", str(source), "--cluster", CLUSTER, "--out", str(out)])
    elif kind == "policy":
        code = _run(
            [
                "lint",
                "-f",
                str(ROOT / "tests/lint/policy/manifests.yaml"),
                "--vpc",
                _example_vpc(),
                "--cluster",
                CLUSTER,
                "--policy",
                str(source),
                "--output",
                str(out / "report.txt"),
            ]
        )
    else:
        code = _run(["lint", "--template", str(source), "--output", str(out / "report.txt")])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    if code == 1 and kind in ("manifests", "vpc"):
        assert not out.exists() or not any(out.iterdir())  # nothing written on error
