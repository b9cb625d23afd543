"""Exit codes, the same for every command (README: exit codes)."""

EXIT_OK = 0
EXIT_INVALID = 1  # bad input, failed validation (lint: errors; render --check: stale), AWS failure
EXIT_CHANGES_PENDING = 2  # plan: changes to apply
EXIT_WARNINGS = 3  # lint --fail-on warning: warnings but no errors; plan: changes that include a danger
EXIT_USAGE = 64
