"""Schemas of the API's answers that their views build as plain dicts.

django-ninja validates every answer against its schema through an attribute getter meant for model
instances (``ninja.schema.DjangoGetter``); for a dict of dicts that getter cost five times pydantic's own
validation (the hall's queue: 0.4 ms of a 2 ms answer, issue 15). ``DictOut`` validates a dict as it is and
anything else as ninja does: the answer is still checked against its schema, and the OpenAPI document is
unchanged.
"""

from typing import Any

from ninja import Schema
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator


class DictOut(Schema):
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler, info: ValidationInfo) -> Any:
        # Same name as ninja's validator, so it replaces it in the schemas built on this one.
        if type(values) is dict:
            return handler(values)
        return Schema._run_root_validator.__func__(cls, values, handler, info)
