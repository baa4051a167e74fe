"""Hypothesis profiles, the slow marker of the property suite, and the language of messages.

* ``dev`` (default): the hypothesis defaults, a little faster.
* ``ci`` (selected when ``CI=true``): bounded examples, no deadline (shared CI runners stall), no example
  database, derandomised so that a red build is reproducible from its log.
* ``thorough``: many examples, for local runs before a release (``HYPOTHESIS_PROFILE=thorough``).

``HYPOTHESIS_PROFILE`` overrides the choice.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=25, deadline=None, database=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow],
)

# Messages follow NETRAL_RULES_LANG, else netral-rules.toml, else the locale. The suite pins English so that a
# developer's or CI's locale cannot change what the tests read; tests of Indonesian messages ask for them (the
# `lang` fixture, or NETRAL_RULES_LANG=id in a command's environment).
os.environ["NETRAL_RULES_LANG"] = "en"

# The command line keeps read packs in a cache folder (law/packcache.py), by default the user's. The suite's
# commands use a folder of this run instead, removed at its end: what a developer's commands cached is not
# read by the tests, and the thousands of packs the tests write are not kept in the developer's cache.
_CACHE = tempfile.mkdtemp(prefix="netral-rules-test-cache-")
os.environ["NETRAL_RULES_CACHE"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

_default = "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))


@pytest.fixture(params=["id", "en"])
def lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each language of the messages in turn (NETRAL_RULES_LANG), for tests that compare messages in both."""
    monkeypatch.setenv("NETRAL_RULES_LANG", request.param)
    return str(request.param)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the property-based suite as slow (``-m "not slow"`` is the developer's fast set; CI runs all)."""
    for item in items:
        if "property" in item.path.parts:
            item.add_marker(pytest.mark.slow)


def pytest_report_header() -> list[str]:
    """Say at the top of the run whether the durable backend is tested here (it is not on Python 3.13)."""
    import sys

    from netral_rules.backends.durable import unavailable_reason

    reason = unavailable_reason()
    version = ".".join(map(str, sys.version_info[:3]))
    if reason is None:
        return [f"netral-rules: Python {version}, both backends tested (native, durable)"]
    return [f"netral-rules: Python {version}, durable backend NOT tested ({reason}); native backend tested"]


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English, for tests written against the English wording."""
    monkeypatch.setenv("NETRAL_RULES_LANG", "en")
