"""Builds (or brings up to date) the demo district. Running it twice creates nothing twice."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from weimin.accounts.choices import Role
from weimin.accounts.models import StaffProfile
from weimin.demo import data
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
    district, _ = District.objects.update_or_create(code=data.DISTRICT[0], defaults={"name": data.DISTRICT[1]})
    items = seed_catalogue()
    halls = seed_halls(district)
    for hall in halls:
        seed_schedules(hall)
        seed_logistics(hall)
    password_hash = make_password(data.DEMO_PASSWORD)  # hashed once: hashing per user would take minutes
    rng = random.Random(20171208)
    district_hall = halls[0]
    seed_windows_and_staff(district_hall, data.DISTRICT_WINDOWS, data.DISTRICT_STAFF, items, password_hash, rng)
    for hall, (windows, staff) in zip(halls[1:], data.SUBDISTRICT_SIZES, strict=True):
        subdistrict_windows = spread_windows(windows)
        seed_windows_and_staff(hall, subdistrict_windows, staff, items, password_hash, rng)
    seed_demo_accounts(halls, password_hash)
    return SeedSummary(
        halls=Hall.objects.count(),
        windows=Window.objects.count(),
        items=ServiceItem.objects.count(),
        staff=StaffProfile.objects.count(),
    )


def seed_catalogue() -> dict[str, ServiceItem]:
    departments = {
        code: Department.objects.update_or_create(code=code, defaults={"name": name})[0]
        for code, name in data.DEPARTMENTS
    }
    categories = {
        code: ItemCategory.objects.update_or_create(code=code, defaults={"name": name, "ticket_prefix": prefix})[0]
        for code, name, prefix, _department, _subdistrict in data.CATEGORIES
    }
    department_of = {code: departments[department] for code, _n, _p, department, _s in data.CATEGORIES}
    items = {}
    for code, category_code, name, minutes, promised, statutory, appointment, materials in data.ITEMS:
        category = categories[category_code]
        item, _ = ServiceItem.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "department": department_of[category_code],
                "handling_minutes": minutes,
                "promised_days": promised,
                "statutory_days": statutory,
                "appointment_allowed": appointment,
                "active": True,
            },
        )
        for position, (m_name, description, required, tolerance, copies) in enumerate(materials, start=1):
            Material.objects.update_or_create(
                item=item,
                name=m_name,
                defaults={
                    "position": position,
                    "description": description,
                    "required": required,
                    "tolerance_eligible": tolerance,
                    "copies": copies,
                },
            )
        items[code] = item
    return items


def seed_halls(district: District) -> list[Hall]:
    code, name, address, phone = data.DISTRICT_HALL
    halls = [
        Hall.objects.update_or_create(
            code=code,
            defaults={
                "district": district,
                "name": name,
                "kind": HallKind.DISTRICT,
                "address": address,
                "phone": phone,
                "position": 0,
            },
        )[0]
    ]
    for position, (code, name, address) in enumerate(data.SUBDISTRICT_HALLS, start=1):
        halls.append(
            Hall.objects.update_or_create(
                code=code,
                defaults={
                    "district": district,
                    "name": name,
                    "kind": HallKind.SUBDISTRICT,
                    "address": address,
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
            valid_from=date.fromisoformat(spec["valid_from"]),
            defaults={"name": spec["name"], "valid_until": valid_until},
        )
        if not created:
            continue
        sessions = [
            (weekday, start, end)
            for weekday in range(Weekday.MONDAY, Weekday.SATURDAY)
            for start, end in spec["weekday_sessions"]
        ]
        sessions += [(Weekday.SATURDAY, start, end) for start, end in spec["saturday_sessions"]]
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
    offered = [code for code, _n, _p, _d, subdistrict in data.CATEGORIES if subdistrict]
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
        username = f"{hall.code}-{n:02d}"
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


def seed_demo_accounts(halls: list[Hall], password_hash: str) -> None:
    User = get_user_model()
    by_code = {hall.code: hall for hall in halls}
    for username, display_name, role, hall_codes, superuser in data.DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"password": password_hash, "is_superuser": superuser, "is_staff": True, "is_active": True},
        )
        if role:
            user.groups.set([Group.objects.get(name=role)])
        profile, _ = StaffProfile.objects.update_or_create(user=user, defaults={"display_name": display_name})
        profile.halls.set(halls if hall_codes is None else [by_code[c] for c in hall_codes])
        if role == Role.WINDOW_STAFF:
            profile.skills.set(ServiceItem.objects.filter(category__code="fire"))
