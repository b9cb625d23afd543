"""The AWS edge: one `AwsClients` object (session, profile, region, endpoint, retry mode) made once
by the CLI and passed down, and the AWS calls themselves, one module per service. No logic: what
to do with the answers is decided in build/, deploy/, sync/ and status/. boto3 is imported inside
functions only, so the offline render path never loads it (tests/unit/test_import_budget.py)."""
