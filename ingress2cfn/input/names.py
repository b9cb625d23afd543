"""Names as the Kubernetes API server validates them (apimachinery `validation.IsDNS1123Label`,
`IsDNS1123Subdomain`, `IsDNS1035Label`). A manifest from a pull request never met an API server:
without these checks a zero-width space or a homoglyph makes a lookalike security-group name, a
`/` in a namespace is judged as another namespace by the policy, and a 10,000-character name makes
tag values AWS rejects. Patterns are matched whole (`re.fullmatch`: Python's `$` also matches
before a trailing newline)."""

from __future__ import annotations

import ipaddress
import re

_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_LABEL = re.compile(_LABEL)
DNS1123_SUBDOMAIN = re.compile(rf"{_LABEL}(\.{_LABEL})*")
DNS1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?")
LABEL_MAX = 63
SUBDOMAIN_MAX = 253


def dns1123_label(value: str) -> str | None:
    """Why `value` is not a DNS-1123 label (namespaces), or None."""
    if len(value) > LABEL_MAX:
        return f"must be no more than {LABEL_MAX} characters (got {len(value)})"
    if not DNS1123_LABEL.fullmatch(value):
        return (
            f"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
            f"with an alphanumeric character (got {value!r})"
        )
    return None


def dns1123_subdomain(value: str) -> str | None:
    """Why `value` is not a DNS-1123 subdomain (Ingress, IngressClass names), or None."""
    if len(value) > SUBDOMAIN_MAX:
        return f"must be no more than {SUBDOMAIN_MAX} characters (got {len(value)})"
    if not DNS1123_SUBDOMAIN.fullmatch(value):
        return (
            f"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
            f"and end with an alphanumeric character (got {value!r})"
        )
    return None


def dns1035_label(value: str) -> str | None:
    """Why `value` is not a DNS-1035 label (Service names, and the Service an Ingress backend names), or None."""
    if len(value) > LABEL_MAX:
        return f"must be no more than {LABEL_MAX} characters (got {len(value)})"
    if not DNS1035_LABEL.fullmatch(value):
        return (
            f"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
            f"and end with an alphanumeric character (got {value!r})"
        )
    return None


def rule_host(value: str) -> str | None:
    """Why `value` is not a valid Ingress rule host (validateIngressRules: a DNS-1123 subdomain,
    or `*.` and one, never an IP address), or None."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        return f"must be a DNS name, not an IP address (got {value!r})"
    name = value[2:] if value.startswith("*.") else value
    if len(value) > SUBDOMAIN_MAX:
        return f"must be no more than {SUBDOMAIN_MAX} characters (got {len(value)})"
    if not DNS1123_SUBDOMAIN.fullmatch(name):
        wildcard = " or a wildcard DNS-1123 subdomain ('*.' and one)" if "*" in value else ""
        return (
            f"must be a lowercase RFC 1123 subdomain{wildcard}: lower case alphanumeric characters, '-' or '.', starting and "
            f"ending with an alphanumeric character (got {value!r})"
        )
    return None


# metadata.name of each kind we read, as its API validates it
NAME_RULES = {
    "Ingress": dns1123_subdomain,
    "IngressClass": dns1123_subdomain,
    "IngressClassParams": dns1123_subdomain,
    "Service": dns1035_label,
    "Namespace": dns1123_label,
}
