from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_caseevent_kind_from_action'),
    ]

    operations = [
        # A default first, so that undoing the removal can add the column back to existing rows
        # (0004 then fills it in).
        migrations.AlterField(
            model_name='caseevent',
            name='action',
            field=models.CharField(default='', max_length=30),
        ),
        migrations.RemoveField(
            model_name='caseevent',
            name='action',
        ),
    ]
