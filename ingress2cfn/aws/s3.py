"""S3: upload a template too big for an inline TemplateBody (as `aws cloudformation deploy --s3-bucket`)."""

from __future__ import annotations

import hashlib

from ingress2cfn.aws.clients import AwsClients, calling


def template_key(prefix: str | None, stack_name: str, body: str) -> str:
    """Content-addressed, so a re-upload of the same template is the same object."""
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    return "/".join(p.strip("/") for p in (prefix or "", f"{stack_name}-{digest}.template.json") if p.strip("/"))


def upload_template(clients: AwsClients, bucket: str, prefix: str | None, stack_name: str, body: str) -> str:
    """Put the body into s3://bucket/prefix/… and return the TemplateURL CloudFormation reads."""
    key = template_key(prefix, stack_name, body)
    s3 = clients.client("s3")
    calling(f"uploading the template of stack {stack_name} to s3://{bucket}/{key}", lambda: s3.put_object(Bucket=bucket, Key=key, Body=body.encode("utf-8")))
    region = clients.session.region_name or "us-east-1"
    return f"https://{bucket}.s3.{region}.amazonaws.com/{key}"
