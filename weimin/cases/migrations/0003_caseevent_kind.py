# The case life cycle (cases/rules.py): CaseEvent.kind, an enumerated step, replaces the composed
# strings in CaseEvent.action. 0004 converts the rows, 0005 removes action.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_alter_case_clerk'),
    ]

    operations = [
        migrations.AddField(
            model_name='caseevent',
            name='kind',
            field=models.CharField(choices=[('opened', 'Case opened'), ('decided', 'Decision at the window'), ('resubmission_ticket', 'Fast-lane ticket for the supplements'), ('supplied', 'Promised materials supplied'), ('concluded', 'Concluded'), ('ready', 'Result ready for pick-up'), ('extended', 'Time limit extended'), ('paused', 'Time limit paused'), ('resumed', 'Time limit resumed'), ('delivered', 'Result delivered'), ('withdrawn', 'Withdrawn'), ('handed_over', 'Handed over')], default='', max_length=24, verbose_name='kind'),
            preserve_default=False,
        ),
    ]
