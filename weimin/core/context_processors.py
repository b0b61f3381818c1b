from django.utils import timezone

from weimin.core import clock as clock_module


def clock(request):
    """Every page shows the instant it was rendered for, and says so when the clock is simulated."""
    return {
        "now": timezone.localtime(clock_module.now()),
        "clock_simulated": clock_module.is_simulated(),
    }
