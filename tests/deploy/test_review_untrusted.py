"""A deployed template comes back from get_template and may have been edited by hand; change
lists come from an API. The review reads whatever shape they have without an exception."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_support import shop

from ingress2cfn.deploy.review import StackChange, build_review, render_json, render_markdown, render_text
from ingress2cfn.deploy.review.render_json import schema
from ingress2cfn.model.quotas import DEFAULT_LIMITS

MALFORMED = [
    {"Resources": []},
    {"Resources": {"A": None, "B": {"Type": 3}, "C": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": "x"}}},
    {
        "Resources": {
            "R": {
                "Type": "AWS::ElasticLoadBalancingV2::ListenerRule",
                "Metadata": {"ingress2cfn": ["not", "a", "mapping"]},
                "Properties": {
                    "ListenerArn": {"Ref": "L"},
                    "Priority": {"Ref": "P"},
                    "Conditions": "host",
                    "Actions": [None, {"Type": "forward", "ForwardConfig": 5}],
                },
            },
            "L": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "LB"}, "Port": "eighty", "DefaultActions": {}}},
            "LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Name": ["x"], "Scheme": None}},
            "SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [1, {"CidrIp": "0.0.0.0/0", "FromPort": "x"}]}},
        }
    },
]
CHANGES = [
    (),
    ({"ResourceChange": None},),
    ({"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "R", "Details": [None, {"Target": 1}]}},),
]


@pytest.mark.parametrize("old", [*MALFORMED, shop(paths=("/a",))], ids=["list", "bad-bodies", "bad-properties", "rendered"])
@pytest.mark.parametrize("new", [*MALFORMED, shop(paths=("/a",))], ids=["list", "bad-bodies", "bad-properties", "rendered"])
@pytest.mark.parametrize("changes", CHANGES, ids=["none", "no-resource-change", "bad-details"])
def test_malformed_templates_and_changes(old, new, changes):
    review = build_review([StackChange("s", "g", "update", old, new, changes)], DEFAULT_LIMITS)
    jsonschema.validate(json.loads(render_json(review)), schema())
    render_text(review, colour=True)
    render_markdown(review)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["Ref", "AWS::ElasticLoadBalancingV2::ListenerRule", "0.0.0.0/0"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8) | st.sampled_from(["Type", "Properties", "Ref"]), children, max_size=3)
    ),
    max_leaves=20,
)


TYPES = [
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::ListenerCertificate",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::WAFv2::WebACLAssociation",
]
PROPERTIES = [
    "Name",
    "Scheme",
    "Port",
    "Priority",
    "ListenerArn",
    "LoadBalancerArn",
    "Conditions",
    "Actions",
    "DefaultActions",
    "Certificates",
    "SecurityGroupIngress",
    "GroupId",
    "CidrIp",
]
bodies = st.fixed_dictionaries(
    {"Type": st.sampled_from(TYPES), "Properties": st.dictionaries(st.sampled_from(PROPERTIES), json_values, max_size=4)},
    optional={"Metadata": json_values, "DeletionPolicy": json_values},
)
templates = st.fixed_dictionaries({"Resources": st.dictionaries(st.sampled_from(["A", "B", "L", "LB"]), bodies | json_values, max_size=4)})


@settings(max_examples=80, deadline=None)
@given(old=templates, new=templates, action=st.sampled_from(["create", "update", "remove", "no-changes"]))
def test_any_json_is_read_without_an_exception(old, new, action):
    review = build_review([StackChange("s", "g", action, old, new, ())], DEFAULT_LIMITS)
    jsonschema.validate(json.loads(render_json(review)), schema())
    render_markdown(review)
