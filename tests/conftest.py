"""Hypothesis profiles (and nothing else).

* ``dev`` (default): the hypothesis defaults, a little faster.
* ``ci`` (selected when ``CI=true``): bounded examples, no deadline (shared CI runners stall), no example
  database, derandomised so that a red build is reproducible from its log.
* ``thorough``: many examples, for local runs before a release (``HYPOTHESIS_PROFILE=thorough``).

``HYPOTHESIS_PROFILE`` overrides the choice.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=25, deadline=None, database=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow],
)

_default = "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))
