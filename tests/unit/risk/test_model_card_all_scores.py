"""The model card of a model that gives every training row one score, and its left-out
columns and WoE figures."""

from __future__ import annotations

import copy
import re

from autolend.web.model_card import standalone_card
from tests.unit.web.test_model_card import _meta


def test_a_card_whose_scores_are_all_equal_shows_one_band_of_all_scores() -> None:
    meta = copy.deepcopy(_meta())
    meta["card"]["psi_baseline"] = {"edges": [], "shares": [1.0]}
    html = standalone_card(meta, "en")
    assert re.search(r"<tr><td>All scores</td><td class=\"num\">100.0%</td></tr>", html)


def test_columns_left_out_automatically_are_shown_with_their_reason() -> None:
    html = standalone_card(_meta(), "en")
    left_out = re.search(r"<td data-left-out-columns>(.*?)</td>", html, re.S)
    assert left_out is not None and "<code>contract_no</code> (" in left_out.group(1)


def test_woe_is_written_with_four_decimals() -> None:
    html = standalone_card(_meta(), "en")
    woes = re.findall(r'<td class="num">(-?\d+\.\d+)</td><td class="num">[-\d.]+</td></tr>', html)
    assert woes and all(len(w.split(".")[1]) == 4 for w in woes)
