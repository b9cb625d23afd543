"""`--format text` (the default): findings grouped by manifest file, one line each,

    shop.yaml:12: error I2C9001 Ingress blog/blog joins IngressGroup web, ... [Ingress blog/blog]

further places of the same finding (the other Ingress of a shadowed rule) indented below it, and
a count at the end. Findings that point nowhere in a file (a template-level cfn-lint match) are
listed under their stack. ANSI colour only when asked (the CLI asks unless NO_COLOR is set or the
output is not a terminal). Text from the input is escaped (`input.printable`): one finding, one line."""

from __future__ import annotations

from ingress2cfn.input.location import SourceLocation
from ingress2cfn.input.printable import escape, no_workflow_commands
from ingress2cfn.lint.findings import Finding, Severity
from ingress2cfn.lint.formats.report import Report, summary_line, who

MAX_ALSO = 5
_COLOURS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _where(report: Report, loc: SourceLocation) -> str:
    out = escape(report.relative(loc))
    if loc.line is not None:
        out += f":{loc.line}"
    return out


def _ingresses(f: Finding, first_only: bool) -> str:
    if not f.ingresses:
        return ""
    if first_only or len(f.ingresses) == 1:
        return escape(f" [{who(f)}]")
    shown = ", ".join(f.ingresses[:3])
    if len(f.ingresses) > 3:
        shown += f" +{len(f.ingresses) - 3} more"
    return escape(f" [Ingress {shown}]")


def _template_path(f: Finding) -> str:
    parts = (["Resources", f.logical_id] if f.logical_id else []) + [str(p) for p in f.property_path]
    return escape("/".join(parts))


def render(report: Report, *, colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    by_file: dict[str, list[Finding]] = {}
    unlocated: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.locations:
            by_file.setdefault(report.relative(f.locations[0]), []).append(f)
        else:
            unlocated.setdefault(f.stack or "<template>", []).append(f)

    blocks: list[list[str]] = []
    for name in sorted(by_file):
        lines = []
        for f in sorted(by_file[name], key=lambda f: (f.locations[0].line or 0, -f.severity.rank, f.rule_id, f.message)):
            head = paint(_BOLD, _where(report, f.locations[0]))
            sev = paint(_COLOURS[f.severity], f.severity.value)
            lines.append(f"{head}: {sev} {f.rule_id} {escape(f.message)}{_ingresses(f, len(f.locations) > 1)}")
            for i, loc in enumerate(f.locations[1 : MAX_ALSO + 1], start=1):
                other = escape(f" [{who(f, i)}]") if i < len(f.ingresses) else ""
                lines.append(paint(_DIM, f"    also {_where(report, loc)}{other}"))
            if len(f.locations) > MAX_ALSO + 1:
                lines.append(paint(_DIM, f"    and {len(f.locations) - MAX_ALSO - 1} more places"))
        blocks.append(lines)
    for stack in sorted(unlocated):
        lines = []
        for f in sorted(unlocated[stack], key=lambda f: (-f.severity.rank, f.rule_id, _template_path(f), f.message)):
            path = _template_path(f)
            where = escape(f"{stack} {path}" if path else stack)
            sev = paint(_COLOURS[f.severity], f.severity.value)
            lines.append(f"{paint(_BOLD, where)}: {sev} {f.rule_id} {escape(f.message)}{_ingresses(f, False)}")
        blocks.append(lines)

    out = "\n\n".join("\n".join(b) for b in blocks)
    tail = summary_line(report) if report.findings else f"no findings in {len(report.stacks)} template{'' if len(report.stacks) == 1 else 's'}"
    checked = f"cfn-lint {report.cfn_lint_version} + ingress2cfn checks" if report.cfn_lint_version else "ingress2cfn checks"
    return no_workflow_commands((out + "\n\n" if out else "") + f"{tail} ({checked})\n")
