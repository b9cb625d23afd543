"""The collector is kept out of one-shot commands and restored afterwards; output does not depend on it."""

from __future__ import annotations

import gc

import kit

from ingress2cfn.cli.batch import collector_paused


def _render_text() -> str:
    result = kit.render(kit.ingress(), kit.service())
    return "".join(text for _, text in result.files())


def test_collector_is_off_inside_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0  # what existed at entry is out of every collection
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_restores_a_disabled_collector_as_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_restored_even_when_the_block_fails():
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_same_output_with_and_without_the_collector():
    plain = _render_text()
    with collector_paused():
        paused = _render_text()
    assert paused == plain
