"""The review as a pull-request comment (GitHub Markdown): the danger banner first, a summary
table, then one collapsible <details> section per stack with its rule tables, resources and
quota gauges. Every string that comes from manifests or templates goes through escape.markdown."""

from __future__ import annotations

from typing import Any

from ingress2cfn.deploy.review import present
from ingress2cfn.deploy.review.escape import markdown as md
from ingress2cfn.deploy.review.model import Review

TITLE = "### ingress2cfn plan"
MARKER_BADGES = {"added": "🟢 added", "removed": "🔴 removed", "changed": "🟡 changed", "moved": "🔵 moved", "replaced": "🔴 replaced", "unchanged": ""}


def _code(text: str) -> str:
    return f"<code>{md(text)}</code>"


def _cell(lines: list[str]) -> str:
    return "<br>".join(md(line) for line in lines) or "-"


def _banner(data: dict[str, Any]) -> list[str]:
    out: list[str] = []
    dangers, blockers = data["dangers"], data["blockers"]
    if dangers:
        n = len(dangers)
        out += [
            "> [!CAUTION]",
            f"> **{n} dangerous change{'s' if n > 1 else ''}** to what already exists; `deploy` refuses them without `--allow-replacement`:",
        ]
        out += [f"> - **{md(d['kind'])}** in {_code(d['stack'])}: {md(d['message'])}" for d in dangers]
        out.append("")
    if blockers:
        n = len(blockers)
        out += ["> [!WARNING]", f"> **{n} change{'s' if n > 1 else ''} CloudFormation cannot execute**:"]
        out += [f"> - {_code(b['stack'])} {_code(b['logicalId'])}: {md(b['message'])}<br>Way out: {md(b['wayOut'])}" for b in blockers]
        out.append("")
    if not dangers and not blockers:
        out += ["No dangerous changes." if data["hasChanges"] else "No changes.", ""]
    return out


def _summary(data: dict[str, Any]) -> list[str]:
    out = ["| Stack | IngressGroup | Action | Add | Modify | Remove | Replace |", "|---|---|---|--:|--:|--:|--:|"]
    for s in data["stacks"]:
        c = s["counts"]
        group = md(s["group"]) if s["group"] is not None else "(cluster)"
        action = present.ACTION_WORDS.get(s["action"], s["action"])
        out.append(f"| {_code(s['stackName'])} | {group} | {md(action)} | {c['add']} | {c['modify']} | {c['remove']} | {c['replace']} |")
    return out + [""]


def _listener(listener: dict[str, Any]) -> list[str]:
    marker = present.MARKER_WORDS[listener["marker"]]
    where = f"{listener['protocol']}:{listener['port']}" if listener.get("protocol") and listener.get("port") is not None else "listener"
    out = [f"**Listener {md(where)}** {_code(listener['logicalId'])}" + (f" ({marker})" if marker else ""), ""]
    out += ["| Change | Priority | Conditions | Action | Ingress | Rule |", "|---|---|---|---|---|---|"]
    for r in listener["rules"]:
        conditions = _cell(r["conditions"])
        actions = _cell(present.actions_text(r["actions"]))
        if r["previous"] is not None:
            if r["previous"]["conditions"] != r["conditions"]:
                conditions += "<br><del>" + _cell(r["previous"]["conditions"]) + "</del>"
            was = present.actions_text(r["previous"]["actions"])
            if was != present.actions_text(r["actions"]):
                actions += "<br><del>" + _cell(was) + "</del>"
        ingress = md(r["ingress"]) if r.get("ingress") else _cell(r.get("sources") or [])
        rule = _code(r["rule"]) if r.get("rule") else ""
        out.append(f"| {MARKER_BADGES[r['marker']]} | {md(present.priority_text(r))} | {conditions} | {actions} | {ingress} | {rule} |")
    return out + [""]


def _resources(stack: dict[str, Any]) -> list[str]:
    if not stack["resources"]:
        return []
    out = ["**Resources**", "", "| Action | Type | Logical ID | Replacement | Note |", "|---|---|---|---|---|"]
    for r in stack["resources"]:
        replacement = md(present.replacement_text(r))
        if r["replacement"] == "yes":
            replacement = f"**{replacement}**"
        out.append(f"| {md(r['action'])} | {md(r['type'])} | {_code(r['logicalId'])} | {replacement} | {md(present.resource_notes(r))} |")
    return out + [""]


def _gauges(stack: dict[str, Any]) -> list[str]:
    if not stack["gauges"]:
        return []
    out = ["**Quotas**", "", "| ALB | Quota | Used | Before |", "|---|---|---|---|"]
    for gauge in stack["gauges"]:
        for quota, used, was in present.gauge_lines(gauge):
            out.append(f"| {md(present.gauge_title(gauge))} | {quota} | {used} | {md(was)} |")
    return out + [""]


def _stack(stack: dict[str, Any]) -> list[str]:
    summary = f"<strong>{md(present.stack_title(stack))}</strong>: {md(present.stack_line(stack))}"
    out = ["<details>", f"<summary>{summary}</summary>", ""]
    out += [f"_{md(note)}_" for note in stack["notes"]] + ([""] if stack["notes"] else [])
    for listener in stack["listeners"]:
        out += _listener(listener)
    out += _resources(stack) + _gauges(stack)
    return out + ["</details>", ""]


def render_markdown(review: Review) -> str:
    data = review.to_json()
    lines = [TITLE, ""] + _banner(data) + _summary(data)
    for stack in data["stacks"]:
        lines += _stack(stack)
    return "\n".join(lines).rstrip("\n") + "\n"
