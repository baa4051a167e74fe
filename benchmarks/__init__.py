"""Side-by-side benchmarks of netral-rules: run ``python -m benchmarks.run`` (see docs/performance.md)."""
