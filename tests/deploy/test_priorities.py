"""Two-phase renumbering (pure): property test that no intermediate state repeats a priority on a
listener, whatever order CloudFormation runs the updates of one change set in."""

from __future__ import annotations

import copy
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from ingress2cfn.deploy.priorities import MAX_PRIORITY, phases, rule_priorities, transition_conflicts


def template(rules: dict[str, tuple[str, int]]) -> dict:
    return {
        "Resources": {
            lid: {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {"ListenerArn": {"Ref": listener}, "Priority": priority}}
            for lid, (listener, priority) in rules.items()
        }
    }


@st.composite
def renumberings(draw):
    """Old and new rule sets on one or two listeners: rules kept (maybe renumbered), removed, added;
    priorities unique per listener in each, as the controller numbers them."""
    names = draw(st.lists(st.sampled_from([f"R{i}" for i in range(12)]), min_size=1, max_size=12, unique=True))
    old_ids = [n for n in names if draw(st.booleans())]
    new_ids = [n for n in names if n not in old_ids or draw(st.booleans())]
    listeners = ("L80", "L443")

    def numbered(ids):
        out = {}
        for listener in listeners:
            mine = [i for i in ids if draw(st.sampled_from(listeners)) == listener]
            priorities = draw(st.permutations(list(range(1, len(ids) + 3))))
            out.update((lid, (listener, priority)) for lid, priority in zip(mine, priorities))
        return out

    return numbered(old_ids), numbered(new_ids)


@settings(max_examples=400, deadline=None)
@given(renumberings())
def test_no_intermediate_state_repeats_a_priority(case):
    old_rules, new_rules = case
    old, new = template(old_rules), template(new_rules)
    steps = phases(old, new)
    assert steps[-1] == new
    sequence = [rule_priorities(old), *(rule_priorities(t) for t in steps)]
    for before, after in itertools.pairwise(sequence):
        assert transition_conflicts(before, after) == []
        for state in (before, after):
            assert len(set(state.values())) == len(state)  # unique (listener, priority) in every state
        assert all(1 <= p <= MAX_PRIORITY for _, p in after.values())
    if len(steps) == 2:  # the interim differs from the final only in priorities
        interim = copy.deepcopy(steps[0])
        for lid in interim["Resources"]:
            interim["Resources"][lid]["Properties"]["Priority"] = new["Resources"][lid]["Properties"]["Priority"]
        assert interim == new


def test_an_insertion_before_existing_rules_needs_two_phases():
    old = template({"A": ("L", 1), "B": ("L", 2)})
    new = template({"N": ("L", 1), "A": ("L", 2), "B": ("L", 3)})
    assert transition_conflicts(rule_priorities(old), rule_priorities(new))
    interim, final = phases(old, new)
    assert final == new
    moved = {lid: p for lid, (_, p) in rule_priorities(interim).items() if p != rule_priorities(new)[lid][1]}
    assert moved and all(p > 3 for p in moved.values())


def test_appending_a_rule_is_one_phase():
    old = template({"A": ("L", 1)})
    new = template({"A": ("L", 1), "B": ("L", 2)})
    assert phases(old, new) == (new,)
    assert phases(None, new) == (new,)


def test_the_band_avoids_priorities_used_before_and_after():
    old = template({"A": ("L", 1), "B": ("L", MAX_PRIORITY)})
    new = template({"B": ("L", 1), "A": ("L", 2)})
    interim, _ = phases(old, new)
    band = rule_priorities(interim)["B"][1]
    assert band not in (1, 2, MAX_PRIORITY)
