"""Every audit action the code records has a name on the audit page, in both languages
(the page showed the codes alone: ``session.start``, ``loan.reverse_repayment``)."""

from __future__ import annotations

import re
from pathlib import Path

import autolend

SOURCE = Path(autolend.__file__).parent
MACROS = SOURCE / "web" / "templates" / "macros.html"
# Written with a variable part: the servicing service's money events and the checker's
# answer to a fee waiver.
COMPOSED = {f"loan.{kind}" for kind in ("repayment", "prepayment", "payoff", "refund", "write_off")}
COMPOSED |= {"approval.fee_waiver_approved", "approval.fee_waiver_rejected"}
LITERAL = re.compile(r'(?:action=|_audit\(uow, \w+, )"([a-z_]+\.[a-z_]+)"')


def recorded_actions() -> set[str]:
    found = set(COMPOSED)
    for path in SOURCE.rglob("*.py"):
        found |= set(LITERAL.findall(path.read_text(encoding="utf-8")))
        found |= set(re.findall(r'"(user\.(?:enable|disable))"', path.read_text(encoding="utf-8")))
    return found


def named_actions() -> set[str]:
    text = MACROS.read_text(encoding="utf-8")
    block = text[text.index("macro audit_action_name") :]
    return set(re.findall(r'^  "([a-z_]+\.[a-z_]+)": _\("', block, flags=re.MULTILINE))


def test_every_recorded_audit_action_has_a_name_on_the_audit_page() -> None:
    recorded = recorded_actions()
    assert {"session.start", "loan.reverse_repayment", "bureau.query"} <= recorded
    assert recorded - named_actions() == set()


def test_every_money_event_kind_has_a_name_on_the_loan_page() -> None:
    """The loan page's transactions showed ``fee`` as it is on Chinese pages: the event
    kind differs from the entry kind it posts (``fee_charge``)."""
    from autolend.config import Settings
    from autolend.services.projection import REPLAYED_KINDS
    from autolend.web.render import Renderer

    env = Renderer(Settings(demo=True))._envs["zh_CN"]
    macros = env.get_template("_loan_macros.html").module
    for kind in (*REPLAYED_KINDS, "disbursement"):
        shown = str(macros.kind_name(kind)).strip()  # type: ignore[attr-defined]
        assert shown != kind and re.search(r"[\u4e00-\u9fff]", shown), (kind, shown)
