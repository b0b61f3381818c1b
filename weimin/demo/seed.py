"""Builds (or brings up to date) the demo district. Running it twice creates nothing twice."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from weimin.accounts import actions as account_actions
from weimin.accounts.choices import Role
from weimin.accounts.models import Device, StaffProfile
from weimin.demo import data
from weimin.demo.campaign import seed_campaign
from weimin.demo.rivers import seed_rivers
from weimin.halls.choices import HallKind, Weekday
from weimin.halls.models import (
    Department,
    District,
    Hall,
    ItemCategory,
    Material,
    OpeningSchedule,
    OpeningSession,
    ServiceItem,
    Window,
)
from weimin.shifts.models import LogisticsTemplate, LogisticsTemplateItem


@dataclass
class SeedSummary:
    halls: int
    windows: int
    items: int
    staff: int


def parse_time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@transaction.atomic
def seed_demo() -> SeedSummary:
    district, _ = District.objects.update_or_create(code=data.DISTRICT.code, defaults={"name": data.DISTRICT.name})
    items = seed_catalogue()
    halls = seed_halls(district)
    for hall in halls:
        seed_schedules(hall)
        seed_logistics(hall)
    password_hash = make_password(data.DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
    rng = random.Random(20171208)
    district_hall = halls[0]
    seed_windows_and_staff(district_hall, data.DISTRICT_WINDOWS, data.DISTRICT_STAFF, items, password_hash, rng)
    for hall, size in zip(halls[1:], data.SUBDISTRICT_SIZES, strict=True):
        seed_windows_and_staff(hall, spread_windows(size.windows), size.staff, items, password_hash, rng)
    seed_demo_accounts(halls, password_hash)
    seed_rivers()
    seed_campaign(password_hash)
    return SeedSummary(
        halls=Hall.objects.count(),
        windows=Window.objects.count(),
        items=ServiceItem.objects.count(),
        staff=StaffProfile.objects.count(),
    )


def seed_catalogue() -> dict[str, ServiceItem]:
    departments = {
        spec.code: Department.objects.update_or_create(code=spec.code, defaults={"name": spec.name})[0]
        for spec in data.DEPARTMENTS
    }
    categories = {
        spec.code: ItemCategory.objects.update_or_create(
            code=spec.code, defaults={"name": spec.name, "ticket_prefix": spec.ticket_prefix}
        )[0]
        for spec in data.CATEGORIES
    }
    department_of = {spec.code: departments[spec.department] for spec in data.CATEGORIES}
    items = {}
    for spec in data.ITEMS:
        item, _ = ServiceItem.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "category": categories[spec.category],
                "department": department_of[spec.category],
                "handling_minutes": spec.handling_minutes,
                "promised_days": spec.promised_days,
                "statutory_days": spec.statutory_days,
                "appointment_allowed": spec.appointment_allowed,
                "active": True,
            },
        )
        for position, material in enumerate(spec.materials, start=1):
            Material.objects.update_or_create(
                item=item,
                name=material.name,
                defaults={
                    "position": position,
                    "description": material.description,
                    "required": material.required,
                    "tolerance_eligible": material.tolerance_eligible,
                    "copies": material.copies,
                },
            )
        items[spec.code] = item
    return items


def seed_halls(district: District) -> list[Hall]:
    spec = data.DISTRICT_HALL
    halls = [
        Hall.objects.update_or_create(
            code=spec.code,
            defaults={
                "district": district,
                "name": spec.name,
                "kind": HallKind.DISTRICT,
                "address": spec.address,
                "phone": spec.phone,
                "position": 0,
                "remote_tickets": True,  # the district hall tries numbers taken from the phone
            },
        )[0]
    ]
    for position, spec in enumerate(data.SUBDISTRICT_HALLS, start=1):
        halls.append(
            Hall.objects.update_or_create(
                code=spec.code,
                defaults={
                    "district": district,
                    "name": spec.name,
                    "kind": HallKind.SUBDISTRICT,
                    "address": spec.address,
                    "position": position,
                },
            )[0]
        )
    return halls


def seed_schedules(hall: Hall) -> None:
    extension = date.fromisoformat(data.EXTENSION_STARTS)
    for spec, valid_until in (
        (data.SCHEDULE_BEFORE, date.fromordinal(extension.toordinal() - 1)),
        (data.SCHEDULE_EXTENDED, None),
    ):
        schedule, created = OpeningSchedule.objects.get_or_create(
            hall=hall,
            valid_from=date.fromisoformat(spec.valid_from),
            defaults={"name": spec.name, "valid_until": valid_until},
        )
        if not created:
            continue
        sessions = [
            (weekday, start, end)
            for weekday in range(Weekday.MONDAY, Weekday.SATURDAY)
            for start, end in spec.weekday_sessions
        ]
        sessions += [(Weekday.SATURDAY, start, end) for start, end in spec.saturday_sessions]
        OpeningSession.objects.bulk_create(
            OpeningSession(schedule=schedule, weekday=w, start=parse_time(s), end=parse_time(e)) for w, s, e in sessions
        )


def seed_logistics(hall: Hall) -> None:
    template, created = LogisticsTemplate.objects.get_or_create(hall=hall, name="延时服务后勤保障")
    if created:
        template.items.bulk_create(
            LogisticsTemplateItem(template=template, position=n, text=text)
            for n, text in enumerate(data.LOGISTICS_TASKS)
        )


def spread_windows(count: int) -> dict[str, int]:
    """A subdistrict hall's windows over the categories it offers, one pick-up window kept aside."""
    offered = [spec.code for spec in data.CATEGORIES if spec.at_subdistricts]
    windows = dict.fromkeys(offered, 0)
    for i in range(count - 1):
        windows[offered[i % len(offered)]] += 1
    return windows


def items_for(hall: Hall, category_code: str, items: dict[str, ServiceItem]) -> list[ServiceItem]:
    chosen = [item for item in items.values() if item.category.code == category_code]
    if hall.kind == HallKind.SUBDISTRICT:
        chosen = [item for item in chosen if item.code not in data.DISTRICT_ONLY_ITEMS]
    return chosen


def seed_windows_and_staff(hall, windows_per_category, staff_count, items, password_hash, rng) -> None:
    number = 0
    window_categories = []
    for category_code, count in windows_per_category.items():
        for _ in range(count):
            number += 1
            window, _ = Window.objects.update_or_create(
                hall=hall, number=number, defaults={"label": "", "active": True}
            )
            window.items.set(items_for(hall, category_code, items))
            window_categories.append(category_code)
    number += 1
    pickup, _ = Window.objects.update_or_create(
        hall=hall, number=number, defaults={"label": data.PICKUP_LABEL, "active": True}
    )
    pickup.items.set([items[code] for code in ("fire-certificate-pickup",) if hall.kind == HallKind.DISTRICT])

    window_staff = Group.objects.get(name=Role.WINDOW_STAFF)
    User = get_user_model()
    for n in range(1, staff_count + 1):
        username = clerk_username(hall, n)
        name = rng.choice(data.SURNAMES) + "".join(rng.choice(data.GIVEN) for _ in range(rng.choice((1, 2))))
        primary = window_categories[(n - 1) % len(window_categories)]
        secondary = window_categories[(n * 7) % len(window_categories)]
        user, created = User.objects.get_or_create(username=username, defaults={"password": password_hash})
        if not created:
            continue
        user.groups.add(window_staff)
        profile = StaffProfile.objects.create(user=user, display_name=name, contracted_hours_per_week=40)
        profile.halls.set([hall])
        profile.skills.set({*items_for(hall, primary, items), *items_for(hall, secondary, items)})


def clerk_username(hall: Hall, n: int) -> str:
    """The hall's seeded window clerks, ``<hall>-NN``: the living demo's simulated clerks."""
    return f"{hall.code}-{n:02d}"


def seed_demo_accounts(halls: list[Hall], password_hash: str) -> None:
    User = get_user_model()
    by_code = {hall.code: hall for hall in halls}
    for account in data.DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "password": password_hash,
                "is_superuser": account.superuser,
                "is_staff": True,
                "is_active": True,
            },
        )
        if account.role:
            user.groups.set([Group.objects.get(name=account.role)])
        profile, _ = StaffProfile.objects.update_or_create(user=user, defaults={"display_name": account.display_name})
        profile.halls.set(halls if account.halls is None else [by_code[c] for c in account.halls])
        if account.role == Role.WINDOW_STAFF:
            profile.skills.set(ServiceItem.objects.filter(category__code="fire"))


# The demo's enrolled devices (issue 9): a kiosk of the district hall and the 好差评 pad beside its window 8.
DEMO_DEVICES = [("kiosk", None, "演示取号机"), ("pad", 8, "演示评价器")]


def demo_enrollment_links(now) -> list[tuple[Device, str]]:
    """Fresh one-time enrollment links for the demo's kiosk and pad (made once, re-linked on every
    start; a browser enrolled before keeps working), enrolled by the demo's hall manager."""
    manager = get_user_model().objects.get(username="manager")
    hall = Hall.objects.get(code=data.DISTRICT_HALL.code)
    links = []
    for kind, number, label in DEMO_DEVICES:
        window = hall.windows.get(number=number) if number else None
        device = Device.objects.filter(hall=hall, kind=kind, window=window, label=label, revoked=False).first()
        if device is None:
            link = account_actions.add_device(manager, Device(hall=hall, kind=kind, window=window, label=label), now)
        else:
            link = account_actions.new_enrollment_link(manager, device, now)
        links.append((link.device, link.code))
    return links
