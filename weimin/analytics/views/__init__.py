"""The analytics pages (大数据分析), one module per page family: the dashboards and the report
(``dashboards``), the extended-service effect (``effect``), the demand analysis (``demand``)."""

from weimin.analytics.views.dashboards import district_dashboard, hall_dashboard, hall_live, report
from weimin.analytics.views.demand import demand_page
from weimin.analytics.views.effect import effect

__all__ = ["demand_page", "district_dashboard", "effect", "hall_dashboard", "hall_live", "report"]
