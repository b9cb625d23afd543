"""render.yaml_emit writes exactly PyYAML's bytes (serialise.pyyaml_dump) for the data it accepts,
and what it writes reads back as the same data with PyYAML's loader and cfn-lint's."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cfnlint.decode import cfn_yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingress2cfn.render import yaml_emit
from ingress2cfn.render.serialise import dump_yaml, pyyaml_dump

ROOT = Path(__file__).resolve().parents[2]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _committed_documents() -> list[tuple[str, object]]:
    out = []
    for path in sorted((ROOT / "templates").rglob("*.yaml")):
        for i, doc in enumerate(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_LOADER)):
            if doc is not None:
                out.append((f"{path.relative_to(ROOT)}[{i}]", doc))
    return out


COMMITTED = _committed_documents()


def test_there_are_committed_documents():
    assert len(COMMITTED) > 20


@pytest.mark.parametrize("name,doc", COMMITTED, ids=[n for n, _ in COMMITTED])
def test_every_committed_template_is_emitted_as_pyyaml_does(name, doc):
    assert yaml_emit.emit(doc) == pyyaml_dump(doc)  # no fallback: the goldens are in the subset


# Characters chosen to hit every branch of the quoting decision: indicators, spaces, quotes, digits
# and letters that spell YAML 1.1 booleans/nulls/numbers/timestamps, non-ASCII, and what libyaml
# escapes or treats as line breaks (those must fall back).
ALPHABET = st.sampled_from(list(" -:#?,[]{}&*!|>'\"%@`.~=<+_/0123456789eExXbBoOnNyYtTfFlLuUsaZ\u00e9\u00a0\u2028\ufeff\t\n\x85\U0001f600"))
TEXT = st.text(ALPHABET, max_size=12) | st.sampled_from(["yes", "No", "on", "OFF", "null", "~", "", "1_000", "0x1F", "1:20", "2024-01-01", ".inf", "<<", "=", "- a", "a: b", "a #b", "---", "...x", "'", "0o7"])
SCALAR = TEXT | st.integers(-(10**12), 10**12) | st.booleans() | st.none()
KEY = st.text(ALPHABET, max_size=10) | st.text("ab", min_size=120, max_size=140)
DOC = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4), max_leaves=25)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
@example("a: b")
@example("key #not a comment")
def test_any_string_is_quoted_as_pyyaml_does(text):
    for doc in ({"Key": text}, [text], {text: 1}, {"A": [{"B": text}]}):
        assert dump_yaml(doc) == pyyaml_dump(doc)
        assert yaml.load(dump_yaml(doc), Loader=_LOADER) == doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC)
def test_any_document_is_emitted_as_pyyaml_does(doc):
    assert dump_yaml(doc) == pyyaml_dump(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text("Kk", min_size=1, max_size=5), SCALAR | st.lists(SCALAR, max_size=3), min_size=1, max_size=5))
def test_cfn_lint_reads_back_the_same_data(doc):
    assert cfn_yaml.loads(dump_yaml({"Resources": doc})) == {"Resources": doc}


WORDS = st.tuples(st.lists(st.text("ab'#: ", min_size=1, max_size=30), min_size=30, max_size=90), st.sampled_from(["", " ", "  "])).map(
    lambda t: " ".join(t[0]) + t[1]  # a trailing space past the width: libyaml never breaks a quoted scalar's last space
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(WORDS, st.integers(0, 3))
@example("a" * 1005 + " ", 0)  # last character of a quoted scalar: never a break
@example("a" * 1005 + " b", 0)  # plain: a break
@example("'" + "a" * 1005 + "  b", 1)  # two spaces: no break
def test_long_lines_are_folded_where_libyaml_folds_them(text, depth):
    doc: object = text
    for _ in range(depth):
        doc = {"Description": [doc]}
    doc = {"Description": doc}
    assert dump_yaml(doc) == pyyaml_dump(doc)
    assert yaml.load(dump_yaml(doc), Loader=_LOADER) == doc


@pytest.mark.parametrize("value", [1.5, b"x", {1: "a"}, "line\nbreak", "tab\there", "\U0001f600", {"k" * 129: 1}])
def test_outside_the_subset_falls_back(value):
    doc = {"Key": value} if not isinstance(value, dict) else value
    with pytest.raises(yaml_emit.Unsupported):
        yaml_emit.emit(doc)
    assert dump_yaml(doc) == pyyaml_dump(doc)
