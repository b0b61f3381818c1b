"""Case invariants: every decision has its written notice, every acceptance its date."""

from weimin.cases.choices import CaseStatus
from weimin.cases.models import Case


def problems():
    decided = Case.objects.exclude(decision="")
    for case in decided.filter(notices__isnull=True):
        yield {"check": "case_decision_has_notice", "case": case.number, "detail": f"{case.number} has no notice"}
    accepted = Case.objects.filter(status__in=[CaseStatus.PROCESSING, CaseStatus.CONCLUDED, CaseStatus.READY,
                                              CaseStatus.DELIVERED])  # fmt: skip
    for case in accepted.filter(accepted_on__isnull=True):
        yield {"check": "case_accepted_has_date", "case": case.number, "detail": f"{case.number} has no 受理 date"}
