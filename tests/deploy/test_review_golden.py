"""Golden Markdown review of an IngressGroup change: examples/ingress-group as deployed, then the
same manifests with a path added to shop/cart and blog/blog's /rss.xml path removed. The review
must show the rule table with each rule's Ingress provenance and its marker. Rewrite with
`pytest --update-golden tests/deploy` and read the diff before committing."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from ingress2cfn.deploy.review import StackChange, build_review, render_json, render_markdown, render_text
from ingress2cfn.deploy.review.render_json import schema
from ingress2cfn.input.loader import parse_text
from ingress2cfn.input.vpc import parse_vpc
from ingress2cfn.model.quotas import DEFAULT_LIMITS
from ingress2cfn.model.settings import Settings
from ingress2cfn.render.pipeline import render_documents

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "ingress-group"
GOLDEN = ROOT / "tests" / "golden" / "review" / "ingress-group.md"

CART_PATHS = """          - path: /cart/checkout
            pathType: Exact
            backend:
              service:
                name: checkout
                port:
                  name: http          # named Service port
"""
GIFT_PATH = """          - path: /cart/gift-cards
            pathType: Prefix
            backend:
              service:
                name: cart
                port:
                  number: 8080
"""
RSS_PATH = """          - path: /rss.xml
            pathType: Exact
            backend:
              service:
                name: feeds
                port:
                  number: 80
"""


def _render(manifests: str) -> tuple[dict, dict, str, str]:
    """→ (group template, cluster template, group stack name, cluster stack name)"""
    vpc = parse_vpc(parse_text((EXAMPLE / "vpc.yaml").read_text(encoding="utf-8"), "vpc.yaml"), None)
    result = render_documents(parse_text(manifests, "manifests.yaml"), vpc, Settings(cluster="my-cluster"))
    (group,) = result.groups
    return yaml.safe_load(group.template), yaml.safe_load(result.cluster_template), group.stack_name, result.cluster_stack_name


def _review():
    deployed = (EXAMPLE / "manifests.yaml").read_text(encoding="utf-8")
    assert CART_PATHS in deployed and RSS_PATH in deployed
    edited = deployed.replace(CART_PATHS, CART_PATHS + GIFT_PATH).replace(RSS_PATH, "")
    old_group, old_cluster, group_stack, cluster_stack = _render(deployed)
    new_group, new_cluster, _, _ = _render(edited)
    changes = [
        StackChange(group_stack, "web", "update", old_group, new_group, ()),
        StackChange(cluster_stack, None, "update", old_cluster, new_cluster, ()),
    ]
    return build_review(changes, DEFAULT_LIMITS)


def test_markdown_review_of_a_group_change(update_golden):
    markdown = render_markdown(_review())
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(markdown, encoding="utf-8")
    assert markdown == GOLDEN.read_text(encoding="utf-8"), "the Markdown review changed: run `pytest --update-golden tests/deploy` and read the diff"


def test_the_group_change_in_the_model():
    """What the golden file shows, asserted on the model: the added path, the removed rule, the
    rules the insertion renumbered, each with the Ingress it came from."""
    review = _review()
    assert review.has_changes and review.dangers == () and review.blockers == ()
    cluster, group = review.stacks
    assert cluster.group is None  # the cluster stack comes first, as it is deployed
    (listener,) = group.listeners
    rows = {(r.marker, r.ingress, r.rule, r.conditions[-1]) for r in listener.rules if r.marker != "unchanged" and not r.default}
    assert rows == {
        ("added", "shop/cart", "spec.rules[0].http.paths[2]", "path /cart/gift-cards | /cart/gift-cards/*"),
        ("moved", "shop/cart", "spec.rules[0].http.paths[0]", "path /cart | /cart/*"),
        ("moved", "blog/blog", "spec.rules[0].http.paths[0]", "path /api/v?/*"),
        ("removed", "blog/blog", "spec.rules[1].http.paths[1]", "path /rss.xml"),
    }
    assert [r.logical_id for r in cluster.resources] == ["NodeIngressTcp30400"]  # the feeds NodePort is no longer needed


def test_json_review_validates_against_its_schema():
    data = yaml.safe_load(render_json(_review()))
    jsonschema.validate(data, schema())


def test_text_review_has_the_same_rows():
    text = render_text(_review(), colour=False)
    assert "/cart/gift-cards" in text and "/rss.xml" in text and "\x1b" not in text


def test_readme_excerpt_is_the_golden_review():
    """README.md quotes rows of the golden review: they must be its rows, verbatim."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### The review: what `plan` and `deploy` show", 1)[1].split("\n## ", 1)[0]
    quoted = [line for line in section.splitlines() if line.startswith("| ")]
    assert len(quoted) >= 5
    golden = GOLDEN.read_text(encoding="utf-8").splitlines()
    assert [line for line in quoted if line not in golden] == []


TEXT_GOLDEN = ROOT / "tests" / "golden" / "review" / "scheme-change-fixed-name.txt"


def test_text_review_of_a_blocked_alb_replacement(update_golden):
    """The terminal review of a scheme change on an ALB with a fixed name (annotation
    load-balancer-name): the danger banner, the blocker with its way out, the replaced rows."""
    from review_support import shop, update

    fixed = {"load-balancer-name": "shop-alb", "listen-ports": '[{"HTTP": 80}]', "certificate-arn": "", "wafv2-acl-arn": ""}
    review = build_review([update(shop(paths=("/a", "/b"), **fixed), shop(paths=("/a", "/b"), scheme="internal", **fixed))], DEFAULT_LIMITS)
    text = render_text(review, colour=False)
    if update_golden:
        TEXT_GOLDEN.write_text(text, encoding="utf-8")
    assert text == TEXT_GOLDEN.read_text(encoding="utf-8"), "the text review changed: run `pytest --update-golden tests/deploy` and read the diff"
