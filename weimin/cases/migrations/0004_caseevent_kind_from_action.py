# Existing events: the composed action becomes kind + detail, and back.
#   decided:<decision>   → kind decided,   detail["decision"]
#   status:<concluded|ready> → kind concluded / ready
#   delivered:<method>   → kind delivered, detail["method"]
#   anything else        → the kind of that name
# The conversion is written out here, not imported: a migration must not change when the code does.

from django.db import migrations

KINDS = {
    "opened", "decided", "resubmission_ticket", "supplied", "concluded", "ready", "extended", "paused",
    "resumed", "delivered", "withdrawn", "handed_over",
}  # fmt: skip
PREFIXED = {"decided": "decision", "delivered": "method"}  # kind → the detail key its action carried


def kind_and_detail(action: str, detail: dict) -> tuple[str, dict]:
    head, _sep, tail = action.partition(":")
    if head in PREFIXED:
        return head, {PREFIXED[head]: tail, **detail}
    kind = tail if head == "status" else action
    if kind not in KINDS:
        raise ValueError(f"case event action {action!r} has no kind")
    return kind, detail


def action_of(kind: str, detail: dict) -> tuple[str, dict]:
    if kind in PREFIXED:
        rest = {k: v for k, v in detail.items() if k != PREFIXED[kind]}
        return f"{kind}:{detail.get(PREFIXED[kind], '')}", rest
    if kind in ("concluded", "ready"):
        return f"status:{kind}", detail
    return kind, detail


def forwards(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    changed = []
    for event in CaseEvent.objects.only("id", "action", "detail").iterator(chunk_size=2000):
        event.kind, event.detail = kind_and_detail(event.action, event.detail or {})
        changed.append(event)
        if len(changed) >= 2000:
            CaseEvent.objects.bulk_update(changed, ["kind", "detail"])
            changed = []
    CaseEvent.objects.bulk_update(changed, ["kind", "detail"])


def backwards(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    changed = []
    for event in CaseEvent.objects.only("id", "kind", "detail").iterator(chunk_size=2000):
        event.action, event.detail = action_of(event.kind, event.detail or {})
        changed.append(event)
        if len(changed) >= 2000:
            CaseEvent.objects.bulk_update(changed, ["action", "detail"])
            changed = []
    CaseEvent.objects.bulk_update(changed, ["action", "detail"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_caseevent_kind'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
