"""`--format github`: GitHub Actions workflow commands, one annotation per finding,

    ::error file=shop.yaml,line=12,col=5,title=I2C9001 policy-group-namespace::Ingress blog/blog joins ...

(info findings are `::notice`). Findings with no place in a file are annotations without file."""

from __future__ import annotations

from ingress2cfn.lint.findings import Severity
from ingress2cfn.lint.formats.report import Report, inside, who

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, *, colour: bool = False) -> str:
    lines = []
    for f in report.findings:
        props = []
        message = f.message
        if f.locations and not f.locations[0].file.startswith("<"):
            loc = f.locations[0]
            props.append(f"file={escape_property(report.relative(loc) if inside(report, loc) else loc.file)}")
            if loc.line is not None:
                props.append(f"line={loc.line}")
                if loc.col is not None:
                    props.append(f"col={loc.col}")
        elif f.logical_id:
            message += f" ({f.stack} {f.logical_id})"
        rule = report.rule(f.rule_id)
        title = f"{f.rule_id} {rule.name}" if rule is not None and rule.name != f.rule_id else f.rule_id
        props.append(f"title={escape_property(title)}")
        if f.ingresses:
            more = f" +{len(f.ingresses) - 1} more" if len(f.ingresses) > 1 else ""
            message += f" [{who(f)}{more}]"
        also = [f"{report.relative(loc)}:{loc.line}" for loc in f.locations[1:4] if loc.line is not None]
        if also:
            message += f" (also {', '.join(also)})"
        lines.append(f"::{COMMANDS[f.severity]} {','.join(props)}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
