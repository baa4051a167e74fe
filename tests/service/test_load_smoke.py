"""The load test's quick run, so that its code cannot rot: a real server, 8 clients for 3 s, a reload in
the middle. No speed is asserted (a quick run on a shared machine measures nothing); what is asserted is
what must hold at any speed: every answer is the library's decision, none failed, none was lost, and after
the reload returned every answer came from the new packs."""

from __future__ import annotations

import pytest

from benchmarks import load


def test_quick_load_run_loses_nothing_across_a_reload(capsys: pytest.CaptureFixture[str]) -> None:
    assert load.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "failed       0; lost 0" in out and "0 old after the reload returned" in out
    result = load.run(seconds=2, clients=8, n_facts=20)
    assert result["failed"] == 0 and result["lost"] == 0 and result["requests"] == result["sent"] > 0
    assert result["reload"]["status"] == 200 and result["reload"]["logged"]
    assert result["answers_new_packs"] > 0 and result["old_packs_after_reload"] == 0
