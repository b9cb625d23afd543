"""Names vulture (dead-code finder) cannot see being used: read by a library or by the data format.
`vulture ingress2cfn tools/vulture_whitelist.py --min-confidence 60` reports nothing
(tests/unit/test_architecture.py)."""

# ruff: noqa: B018, F821
from ingress2cfn.input.vpc import SecurityGroup
from ingress2cfn.lint.cfnlint_rules import _base
from ingress2cfn.model.stack import TargetType
from ingress2cfn.render.serialise import _Dumper

SecurityGroup.group_name  # the VPC description's GroupName, kept for messages and vpc export
TargetType.IP  # built by value: TargetType("ip")
_base.Ingress2cfnRule.config_definition  # read by cfn-lint to accept --configure-rule
_Dumper.ignore_aliases  # PyYAML's hook
__getattr__  # module-level hooks of ingress2cfn.lint.cfnlint_rules, called by importlib
__dir__
Metadata  # troposphere resource attributes, set on the objects
Transforms
from ingress2cfn.cli import vpc as cli_vpc  # noqa: E402

cli_vpc.export  # a click command, registered by its decorator
from ingress2cfn.sync.engine import Outcome  # noqa: E402

Outcome.applied  # read by callers and tests: the round reached AWS for this binding
from ingress2cfn.cli import annotations, app, bindings, demo, deploy, destroy, lint, sync  # noqa: E402

# the commands, loaded by name from app.COMMANDS by click's lazy group (its two hooks)
annotations.annotations_command
bindings.bindings_command
demo.demo
deploy.deploy
destroy.destroy
lint.lint
sync.sync
app.LazyGroup.list_commands
app.LazyGroup.get_command
from ingress2cfn.render.pipeline import Mapper  # noqa: E402

Mapper.__call__  # a Protocol's signature: what serial_map and cli.batch.shared_map provide
