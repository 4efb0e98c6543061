"""The one base for records read from data files: unknown fields are mistakes, and records never change."""

from __future__ import annotations

from pydantic import BaseModel, Extra


class StrictModel(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False
