"""The dependency ladder of docs/architecture.md, enforced: an app imports only from apps below it.

Each module of ``weimin/<app>/`` (tests and migrations aside) is parsed; every import of another weimin
package — at the top or inside a function — must point down the ladder, or be one of the few arrows
listed in ``ALLOWED_UPWARD`` with the reason it exists.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent

# Bottom to top. Apps on one rung do not import each other; ``project`` is weimin/*.py (settings,
# urls, the composed API) and the test and benchmark helpers in ``testing``.
LADDER = [
    ("core",),
    ("calendars",),
    ("halls",),
    ("accounts",),
    ("tickets",),
    ("cases",),
    ("ratings",),
    ("shifts",),
    ("analytics", "campaign"),
    ("planning", "rivers"),
    ("workstation",),
    ("demo",),
    ("project", "testing"),
]
RUNG = {app: level for level, apps in enumerate(LADDER) for app in apps}

# (importing app, imported module) → why this arrow runs up the ladder.
ALLOWED_UPWARD = {
    ("tickets", "weimin.shifts.models"): "calling needs who holds the window (Duty.objects); Duty lives in "
    "shifts because sign-out hands tickets and cases over through their own actions",
    ("cases", "weimin.shifts.models"): "intake and the fast lane need the window a clerk holds (Duty.objects)",
    ("halls", "weimin.accounts.auth"): "the back office shows a manager only their halls' rows, and which halls "
    "a person works at is accounts' StaffProfile",
    ("calendars", "weimin.accounts.permissions"): "entering a year is the district office's act, checked by the "
    "one matrix (authorize), and its missing-year banner shows to those the matrix names",
}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "weimin":
        return None
    if len(parts) == 1 or parts[1] not in RUNG:
        return "project"
    return parts[1]


def imports(path: Path, module: str):
    """(imported module, line) for every weimin import in the file, absolute or relative."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "weimin":  # ``from weimin import x``: x is the package imported
                yield from ((f"weimin.{alias.name}", node.lineno) for alias in node.names)
            else:
                yield base, node.lineno


def app_modules():
    for path in sorted(PACKAGE.glob("*/**/*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] not in RUNG or {"tests", "migrations"} & set(relative.parts):
            continue
        yield relative.parts[0], path, "weimin." + ".".join(relative.with_suffix("").parts)


def upward_arrows(modules) -> list[tuple[str, str, str]]:
    """(file:line, importing app, imported module) for every import that runs up the ladder."""
    found = []
    for app, path, module in modules:
        for target, line in imports(path, module):
            to_app = app_of(target)
            if to_app is None or to_app == app or RUNG[to_app] < RUNG[app]:
                continue
            found.append((f"{path}:{line}", app, target))
    return found


def test_every_app_is_on_the_ladder():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in ("locale", "tests")}
    assert apps - set(RUNG) == set()


def test_imports_run_down_the_ladder():
    arrows = upward_arrows(app_modules())
    unexplained = [arrow for arrow in arrows if (arrow[1], arrow[2]) not in ALLOWED_UPWARD]
    assert unexplained == []
    used = {(app, target) for _, app, target in arrows}
    assert set(ALLOWED_UPWARD) - used == set(), "an allowed arrow no longer exists: remove it from the list"
    assert len(ALLOWED_UPWARD) <= 4


def test_an_upward_import_fails(tmp_path):
    """What the suite says when someone adds one: tickets importing the workstation's views."""
    module = tmp_path / "queue.py"
    module.write_text("def later():\n    from weimin.workstation import views\n")
    arrows = upward_arrows([("tickets", module, "weimin.tickets.queue")])
    assert [(app, target) for _, app, target in arrows] == [("tickets", "weimin.workstation")]
