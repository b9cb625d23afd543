"""The sync plan (ingress2cfn.sync.diff): applying it yields desired ∪ foreign, and no deregistration
comes before the round's registrations."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingress2cfn.sync.diff import plan_target_group
from ingress2cfn.sync.targets import BATCH, Observed, Target, steps

targets = st.builds(Target, st.sampled_from([f"10.0.{i // 250}.{i % 250}" for i in range(600)]), st.sampled_from([80, 8080, 9000]))
sets = st.frozensets(targets, max_size=450)


def fold(active: frozenset[Target], plan) -> frozenset[Target]:
    """What the target group holds after the plan's calls, in their order (register adds, deregister removes)."""
    held = set(active)
    for step in steps(plan):
        if step.action == "register":
            held |= set(step.targets)
        else:
            held -= set(step.targets)
    return frozenset(held)


@settings(max_examples=300, deadline=None)
@given(desired=sets, ours=sets, foreign=sets, draining=sets, multi=st.booleans())
def test_apply_yields_desired_and_foreign(desired, ours, foreign, draining, multi):
    """`ours`: targets this cluster registered (its ownership record); `foreign`: another cluster's.
    Exclusive groups have no foreign targets that survive, by definition (LBC), so there foreign is
    treated as stale and must go unless desired. A target is one pod or one instance, so it belongs to
    one cluster: the two records are disjoint."""
    foreign = foreign - ours
    draining = draining - ours - foreign
    active = ours | foreign
    observed = [Observed(t, "healthy") for t in active] + [Observed(t, "draining") for t in draining]
    plan = plan_target_group("ns/b", "arn", desired, observed, owned=ours if multi else None)
    result = fold(active, plan)
    assert result == (desired | foreign if multi else desired)
    assert set(plan.register).isdisjoint(plan.deregister)
    assert set(plan.register) == desired - active  # desired draining targets are registered again


@settings(max_examples=300, deadline=None)
@given(desired=sets, active=sets, multi=st.booleans())
def test_no_deregistration_before_the_registrations_are_done(desired, active, multi):
    plan = plan_target_group("ns/b", "arn", desired, [Observed(t, "healthy") for t in active], owned=active if multi else None)
    order = [s.action for s in steps(plan)]
    assert order == sorted(order, key=lambda a: a == "deregister")  # every register before every deregister
    assert all(0 < len(s.targets) <= BATCH for s in steps(plan))
    # while the plan runs, the target group never holds fewer desired targets than before it started
    held = set(active)
    kept = len(held & desired)
    for step in steps(plan):
        held = held | set(step.targets) if step.action == "register" else held - set(step.targets)
        assert len(held & desired) >= kept


@settings(max_examples=100, deadline=None)
@given(desired=sets, ours=sets, foreign=sets)
def test_ownership_record(desired, ours, foreign):
    """The record written before registering covers what is about to be registered; the one after is the desired set."""
    foreign = foreign - ours
    plan = plan_target_group("ns/b", "arn", desired, [Observed(t, "healthy") for t in ours | foreign], owned=ours)
    assert plan.owned_before_register is not None and set(plan.register) <= plan.owned_before_register
    assert plan.owned_after == desired
    assert not set(plan.deregister) & (foreign - ours)
