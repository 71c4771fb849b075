"""The activities app's models: activities and their documents (activities.py),
participants and the capacity survey (participants.py), indicator targets and policy
instruments (indicators.py); every model is re-exported here."""

from .activities import Activity, ActivityDocument, Kind, Status, document_path
from .indicators import (
    COMMITMENTS,
    PROJECT_END,
    PROJECT_START,
    Indicator,
    IndicatorTarget,
    PolicyInstrument,
)
from .participants import (
    AGREEMENT,
    CapacityAnswer,
    CapacityFollowUp,
    Participant,
    ParticipantType,
    person_key,
)

__all__ = [
    "AGREEMENT",
    "COMMITMENTS",
    "PROJECT_END",
    "PROJECT_START",
    "Activity",
    "ActivityDocument",
    "CapacityAnswer",
    "CapacityFollowUp",
    "Indicator",
    "IndicatorTarget",
    "Kind",
    "Participant",
    "ParticipantType",
    "PolicyInstrument",
    "Status",
    "document_path",
    "person_key",
]
