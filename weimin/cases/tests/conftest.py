import pytest

from weimin.core import clock
from weimin.tickets import actions as ticket_actions

ADULT = "34052419800101001X"
COMPANY = "91440300MA5F3X1231"  # the check character is right


@pytest.fixture
def at_window(hall, window, item, clerk):
    """A ticket called to window 5 by the clerk, on the article's Friday evening."""
    ticket_actions.issue_ticket(hall, item, clock.now())
    return ticket_actions.call_next(clerk, window, clock.now())


def checks(**states):
    """checks(申报表="present", ...) keyed by the start of the material's name."""
    from weimin.cases.actions import MaterialCheck

    names = {"form": "建设工程消防验收申报表", "product": "消防产品质量合格证明文件", "proxy": "委托书"}
    return [MaterialCheck(names[key], state) for key, state in states.items()]
