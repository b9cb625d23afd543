"""A content-addressed cache of per-template lint results, so that linting the same templates
again (a CI run where two stacks of twenty changed) lints only what changed.

Key: sha256 of the template text, the job's options (stack, regions, quotas, policy, the TLS
hosts and annotations of the template's Ingresses), cfn-lint's version and our checks' version
(a digest of the lint code itself, so an edited check never serves stale findings). Value: the
job's result as JSON, one file per key under `<cache dir>/lint-v2/`. The cache is best effort:
an unreadable or corrupt entry is a miss, a failed write is ignored."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from ingress2cfn.input.diagnostics import Severity
from ingress2cfn.input.location import SourceLocation
from ingress2cfn.lint.findings import Finding
from ingress2cfn.lint.formats import RuleInfo
from ingress2cfn.lint.jobs import JobResult, LintJob
from ingress2cfn.lint.names import NameClaim

FORMAT = "lint-v2"  # the layout of an entry; a new layout gets a new directory
_CODE_ROOT = Path(__file__).resolve().parent.parent  # the ingress2cfn package


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/ingress2cfn, else ~/.cache/ingress2cfn."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ingress2cfn"


@functools.cache
def cfn_lint_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cfn-lint")
    except PackageNotFoundError:  # pragma: no cover
        return ""


@functools.cache
def checks_version() -> str:
    """A digest of the code that decides our findings and their blame: the lint package and the
    Metadata reader. Any edit there is a new version."""
    digest = hashlib.sha256()
    files = sorted((_CODE_ROOT / "lint").rglob("*.py")) + [_CODE_ROOT / "model" / "metadata.py", _CODE_ROOT / "model" / "quotas.py"]
    for path in files:
        digest.update(str(path.relative_to(_CODE_ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def job_key(job: LintJob) -> str:
    options = repr(replace(job, text=""))  # frozen dataclasses of tuples: a stable text
    head = "\0".join((FORMAT, cfn_lint_version(), checks_version(), options)).encode()
    return hashlib.sha256(head + b"\0" + job.text.encode()).hexdigest()


# ── JSON form ─────────────────────────────────────────────────────────────────────────────────


def _location(loc: SourceLocation) -> list[Any]:
    return [loc.file, loc.doc, list(loc.path), loc.line, loc.col]


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule_id,
        "severity": f.severity.value,
        "message": f.message,
        "stack": f.stack,
        "logical_id": f.logical_id,
        "property_path": list(f.property_path),
        "ingresses": list(f.ingresses),
        "rule_fields": list(f.rule_fields),
        "locations": [_location(loc) for loc in f.locations],
        "source": f.source,
    }


def _rule(r: RuleInfo) -> list[Any]:
    return [r.id, r.name, r.description, r.severity.value, r.source, r.help_uri, r.full_description]


def _claim(c: NameClaim) -> list[Any]:
    return [c.kind, c.scope, c.name, c.logical_id, list(c.ingresses), list(c.sources)]


def encode(result: JobResult) -> str:
    return json.dumps(
        {
            "findings": [_finding(f) for f in result.findings],
            "rules": [_rule(r) for r in result.rules],
            "decoded": result.decoded,
            "claims": [_claim(c) for c in result.claims],
        }
    )


def decode(text: str) -> JobResult:
    data = json.loads(text)
    findings = tuple(
        Finding(
            d["rule"],
            Severity(d["severity"]),
            d["message"],
            stack=d["stack"],
            logical_id=d["logical_id"],
            property_path=tuple(d["property_path"]),
            ingresses=tuple(d["ingresses"]),
            rule_fields=tuple(d["rule_fields"]),
            locations=tuple(SourceLocation(file, doc, tuple(path), line, col) for file, doc, path, line, col in d["locations"]),
            source=d["source"],
        )
        for d in data["findings"]
    )
    rules = tuple(RuleInfo(i, name, desc, Severity(sev), source, uri, full) for i, name, desc, sev, source, uri, full in data["rules"])
    claims = tuple(NameClaim(kind, scope, name, lid, tuple(ingresses), tuple(sources)) for kind, scope, name, lid, ingresses, sources in data["claims"])
    return JobResult(findings, rules, bool(data["decoded"]), claims)


# ── the store ─────────────────────────────────────────────────────────────────────────────────


class LintCache:
    """Entries under `directory/lint-v2/<2 hex>/<key>.json`; counts hits and misses."""

    def __init__(self, directory: Path) -> None:
        self.root = Path(directory) / FORMAT
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / (key + ".json")

    def get(self, key: str) -> JobResult | None:
        try:
            result = decode(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: JobResult) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(encode(result))
            os.replace(tmp, path)
        except OSError:
            pass  # best effort: the next run lints this template again
