"""Reads that depend on who is asking. CONTRACT — signatures fixed by the lead.

- Round/stage/entry pages for staff: `rounds_visible_to(access)` (runners and auditors of the
  programme; nothing for others).
- Jurors: `assignments_of(user, programme)` — only their own seats' assignments; a juror never
  sees another juror's scores before the stage is CLOSED.
- Owners: `entries_owned_by(user)` — published results only.
"""

from __future__ import annotations

from django.db.models import QuerySet

from opop.assessment.models import Assignment, Entry, Round


def rounds_visible_to(access) -> QuerySet[Round]:
    raise NotImplementedError


def assignments_of(user, programme) -> QuerySet[Assignment]:
    raise NotImplementedError


def entries_owned_by(user) -> QuerySet[Entry]:
    raise NotImplementedError


def juror_progress(stage) -> list[dict]:
    """Per juror: assigned, submitted, drafts, last activity."""
    raise NotImplementedError


def ranking(stage) -> QuerySet[Entry]:
    """Entries of a stage in rank order with score counts; one query plus pagination."""
    raise NotImplementedError
