"""Every existing case gets an access hash: a random one, whose token nobody was shown. Its applicant
looks the case up by number and full ID number until the next notice brings a QR code with a token."""

import secrets

from django.db import migrations


def give_each_case_a_key(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for case in Case.objects.filter(access_hash__isnull=True).only("pk").iterator():
        Case.objects.filter(pk=case.pk).update(access_hash=secrets.token_hex(32))


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_access_hash")]

    operations = [migrations.RunPython(give_each_case_a_key, migrations.RunPython.noop)]
