"""README's benchmark summary is what bench/readme.py writes from bench/results.json: a figure edited
by hand, or results.json re-measured without `make bench-readme`, fails here."""

from __future__ import annotations

import copy
import json

from bench import readme


def _results() -> dict:
    return json.loads(readme.RESULTS.read_text(encoding="utf-8"))


def test_readme_block_is_written_from_results_json():
    in_readme = readme.block_in(readme.README.read_text(encoding="utf-8"))
    assert in_readme == readme.summary(_results()), "README's benchmark summary is stale: run `make bench-readme`"


def test_a_changed_figure_changes_the_block():
    results = _results()
    changed = copy.deepcopy(results)
    changed["load"]["errors"] = 7
    assert readme.summary(changed) != readme.summary(results)
    assert "7 errors" in readme.summary(changed)
