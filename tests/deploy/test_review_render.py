"""The three renderers of the one JSON model: JSON valid against review.schema.json in every
shape the review takes, Markdown that untrusted manifest strings cannot break out of, terminal
text without escape sequences unless colour is asked for, and the same output for any order."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest
from kit import ingress, path, rule, service, template
from review_support import create, remove, shop, update
from test_review_dangers import CASES as DANGER_CASES

from ingress2cfn.deploy.review import REVIEW_SCHEMA_VERSION, StackChange, build_review, render_json, render_markdown, render_text
from ingress2cfn.deploy.review.escape import markdown, terminal
from ingress2cfn.deploy.review.render_json import schema
from ingress2cfn.model.quotas import DEFAULT_LIMITS

HOSTILE_HOST = "evil.example.com"
HOSTILE_PATH = "/x|<script>alert(1)</script>*_[a](https://evil.example.com)@team#1`$x$"


def _hostile() -> dict:
    ing = ingress("hostile", "shop", annotations={"target-type": "ip"}, rules=[rule(HOSTILE_HOST, path(HOSTILE_PATH, "ImplementationSpecific", "svc", 80))])
    return template(ing, service("svc", "shop", type_="ClusterIP"))


def test_schema_is_a_valid_json_schema_with_the_current_version():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["properties"]["schemaVersion"] == {"const": REVIEW_SCHEMA_VERSION}


@pytest.mark.parametrize(("change", "expected"), [(c, e) for _, c, e in DANGER_CASES], ids=[i for i, _, _ in DANGER_CASES])
def test_json_validates_for_every_danger_case(change, expected):
    data = json.loads(render_json(build_review([change()], DEFAULT_LIMITS)))
    jsonschema.validate(data, schema())
    assert data["schemaVersion"] == REVIEW_SCHEMA_VERSION
    assert sorted({d["kind"] for d in data["dangers"]}) == expected


def test_json_validates_with_cloudformation_details_and_blockers():
    old = shop()
    new = copy.deepcopy(old)
    tg = next(k for k, v in new["Resources"].items() if v["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup")
    new["Resources"][tg]["Properties"]["VpcId"] = "vpc-other"
    changes = ({"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": tg, "ResourceType": "x", "Replacement": "Conditional"}},)
    data = json.loads(render_json(build_review([update(old, new, changes), create(_hostile(), name="other")], DEFAULT_LIMITS)))
    jsonschema.validate(data, schema())
    assert [b["logicalId"] for b in data["blockers"]] == [tg]
    (row,) = [r for s in data["stacks"] for r in s["resources"] if r["logicalId"] == tg]
    assert row["cloudFormation"] == {"replacement": "Conditional", "causes": []} and row["predicted"] == {"replacement": True, "causes": ["VpcId"]}


def test_schema_rejects_what_the_model_never_produces():
    data = json.loads(render_json(build_review([update(shop(), shop(scheme="internal"))], DEFAULT_LIMITS)))
    data["dangers"][0]["kind"] = "something-else"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_markdown_escapes_manifest_strings():
    md = render_markdown(build_review([create(_hostile())], DEFAULT_LIMITS))
    assert "<script>" not in md and "](https" not in md and "@team" not in md and "https://" not in md and "$x$" not in md
    rule_rows = [line for line in md.splitlines() if "&#60;script&#62;" in line]
    assert len(rule_rows) == 1
    assert rule_rows[0].count(" | ") == 5, "a | in a path must not add a table column"
    # every manifest character is still there, as a character reference
    assert "/x&#124;&#60;script&#62;alert(1)&#60;/script&#62;&#42;&#95;&#91;a&#93;(https&#58;//evil.example.com)&#64;team&#35;1&#96;&#36;x&#36;" in md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain/path-1.2", "plain/path-1.2"),
        ("a|b", "a&#124;b"),
        ("<b>", "&#60;b&#62;"),
        ("line\nbreak", "line break"),
        ("www.example.com", "www&#46;example.com"),
        ("http://x", "http&#58;//x"),
        ("host:8080", "host:8080"),
        ("\x1b[31m", "&#27;&#91;31m"),
    ],
)
def test_markdown_escape(text, escaped):
    assert markdown(text) == escaped


def test_terminal_text_has_no_control_characters_from_manifests():
    assert terminal("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"
    assert terminal("/plain") == "/plain"


def test_colour_only_when_asked():
    review = build_review([update(shop(), shop(scheme="internal"))], DEFAULT_LIMITS)
    plain, coloured = render_text(review, colour=False), render_text(review, colour=True)
    assert "\x1b[" not in plain
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_danger_banner_comes_first_in_text_and_markdown():
    review = build_review([update(shop(), shop(scheme="internal"))], DEFAULT_LIMITS)
    assert render_text(review, colour=False).startswith("DANGER: 3 changes to what already exists")
    md = render_markdown(review).splitlines()
    assert md[2:4] == ["> [!CAUTION]", "> **3 dangerous changes** to what already exists; `deploy` refuses them without `--allow-replacement`:"]
    assert md.index("> [!CAUTION]") < min(i for i, line in enumerate(md) if line.startswith("<details>"))


def test_one_collapsible_section_per_stack():
    review = build_review([update(shop(), shop(paths=("/a",))), remove(shop(), name="gone"), create(_hostile(), name="new")], DEFAULT_LIMITS)
    md = render_markdown(review)
    assert md.count("<details>") == md.count("</details>") == 3


def test_no_changes_review():
    tpl = shop()
    review = build_review([StackChange("s", "web", "no-changes", tpl, tpl, ())], DEFAULT_LIMITS)
    assert render_text(review, colour=False).rstrip().endswith("no changes")
    assert "No changes." in render_markdown(review)


def test_same_review_for_any_stack_order():
    changes = [
        update(shop(), shop(scheme="internal"), name="b"),
        remove(shop(), name="a"),
        create(_hostile(), name="c"),
        StackChange("cl", None, "no-changes", {}, {}, ()),
    ]
    one, other = build_review(changes, DEFAULT_LIMITS), build_review(list(reversed(changes)), DEFAULT_LIMITS)
    assert render_json(one) == render_json(other)
    assert render_markdown(one) == render_markdown(other)
    assert [s.stack_name for s in one.stacks] == ["cl", "a", "b", "c"]


def test_unknown_stack_action_is_refused():
    with pytest.raises(ValueError, match="unknown action 'replace'"):
        build_review([StackChange("s", "web", "replace", None, {}, ())], DEFAULT_LIMITS)
