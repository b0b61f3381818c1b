from ninja import Schema


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    halls: list[str]
    superuser: bool
