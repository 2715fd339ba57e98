"""`make bench`: benchmarks (not tests). Writes bench/results.json and bench/RESULTS.md."""
