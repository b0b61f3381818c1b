from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The national 好差评 scale (国办发〔2019〕51号); 1 and 2 are bad ratings (差评)."""

    VERY_SATISFIED = 5, _("Very satisfied (非常满意)")
    SATISFIED = 4, _("Satisfied (满意)")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied (基本满意)")
    DISSATISFIED = 2, _("Dissatisfied (不满意)")
    VERY_DISSATISFIED = 1, _("Very dissatisfied (非常不满意)")


class Resolution(models.TextChoices):
    RECTIFIED = "rectified", _("Rectified")
    EXPLAINED = "explained", _("Explained")
