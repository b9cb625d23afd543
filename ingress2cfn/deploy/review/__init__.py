"""The review of a deploy: what a reviewer sees before change sets are executed. Pure: the
deployer (ingress2cfn.deploy) collects StackChanges from CloudFormation and calls build_review,
then renders the Review as terminal text, Markdown (a PR comment) or versioned JSON."""

from ingress2cfn.deploy.review.build import build_review
from ingress2cfn.deploy.review.model import (
    REVIEW_SCHEMA_VERSION,
    Blocker,
    Danger,
    Replacement,
    Review,
    StackChange,
    StackReview,
)
from ingress2cfn.deploy.review.render_json import SCHEMA_FILE, render_json
from ingress2cfn.deploy.review.render_markdown import render_markdown
from ingress2cfn.deploy.review.render_text import render_text
from ingress2cfn.deploy.review.replacement import predict_replacements

__all__ = [
    "REVIEW_SCHEMA_VERSION",
    "SCHEMA_FILE",
    "Blocker",
    "Danger",
    "Replacement",
    "Review",
    "StackChange",
    "StackReview",
    "build_review",
    "predict_replacements",
    "render_json",
    "render_markdown",
    "render_text",
]
