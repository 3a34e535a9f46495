"""``bench eod``: the command prints the figures the issue names (no timing asserted)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from autolend.cli_bench import bench_app


def test_bench_eod_prints_the_figures_as_json_over_several_partitions() -> None:
    result = CliRunner().invoke(
        bench_app, ["eod", "--loans", "3000", "--partition-size", "1000", "--per-loan", "50",
                    "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["loans"] == 3000 and figures["partitions"] == 3
    assert figures["seconds"] > 0 and figures["loans_per_second"] > 0
    assert figures["bandwidth_ratio"] > 0 and figures["per_loan"]["loans"] == 50


def test_bench_eod_prints_a_sentence_for_people() -> None:
    result = CliRunner().invoke(bench_app, ["eod", "--loans", "500", "--per-loan", "20"])
    assert result.exit_code == 0 and "500 loans in" in result.output
