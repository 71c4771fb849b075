"""The surveys app's models, one module per part of the journey; every model is re-exported
here, so `from surveys.models import Campaign` works and Django finds them all."""

from .campaigns import Campaign, CampaignQuerySet, Invitation, Survey
from .framework import (
    LEVELS,
    Area,
    Competence,
    Framework,
    FrameworkFrozen,
    LevelDescriptor,
    published_practices_for,
    translations_field,
)
from .reports import ReportRequest
from .responses import (
    AGE_BANDS,
    EXPERIENCE,
    ORGANISATION_TYPES,
    ROLES,
    SCALE,
    Answer,
    Response,
)
from .statistics import AnswerStatistics

__all__ = [
    "AGE_BANDS",
    "EXPERIENCE",
    "LEVELS",
    "ORGANISATION_TYPES",
    "ROLES",
    "SCALE",
    "Answer",
    "AnswerStatistics",
    "Area",
    "Campaign",
    "CampaignQuerySet",
    "Competence",
    "Framework",
    "FrameworkFrozen",
    "Invitation",
    "LevelDescriptor",
    "ReportRequest",
    "Response",
    "Survey",
    "published_practices_for",
    "translations_field",
]
