"""Every assessment write. CONTRACT — signatures fixed by the lead; bodies by the engine work.

All functions: keyword-only, `actor` first, `@transaction.atomic`, `full_clean()` before save,
audit via `opop.common.audit`, notifications via `opop.notifications.services.notify` (inside
`in_language_of(user)`), refusals as `django.core.exceptions.ValidationError` with a clear,
translatable message. Callers (views, API) have already checked the actor's access; services
re-check the state rules (e.g. no scoring after close) because those depend on the data.

The bodies live in small modules by concern and are gathered here, so that
`services.<name>` is the one place to call (and the docstrings there are the specification):

- `rounds`: round_save, criterion_save, criterion_delete, stage_save, stage_open,
  rubric_is_frozen;
- `panel`: juror_save, conflicting_pesantren_ids, conflict_reasons, assignments_balance,
  assignment_add, assignment_remove;
- `entries`: entry_add;
- `scoring`: scoresheet_save, stage_close, stage_recompute, scoresheet_reopen;
- `publishing`: stage_publish, stage_advance, appeal_submit, appeal_decide.

Field errors are keyed by the form field they belong to: the data keys for rounds, criteria and
stages; `affiliation_ids`, `group`, `partner`, `user` for jurors; `score_<criterion id>`,
`comment_<criterion id>`, `visited_on` for scoresheets; `reason`, `note`, `outcome` for appeals.
"""

from opop.assessment.entries import entry_add
from opop.assessment.panel import (
    assignment_add,
    assignment_remove,
    assignments_balance,
    conflict_reasons,
    conflicting_pesantren_ids,
    juror_save,
)
from opop.assessment.publishing import appeal_decide, appeal_submit, stage_advance, stage_publish
from opop.assessment.rounds import (
    criterion_delete,
    criterion_save,
    round_save,
    rubric_is_frozen,
    stage_open,
    stage_save,
)
from opop.assessment.scoring import (
    scoresheet_reopen,
    scoresheet_save,
    stage_close,
    stage_recompute,
)

__all__ = [
    "appeal_decide",
    "appeal_submit",
    "assignment_add",
    "assignment_remove",
    "assignments_balance",
    "conflict_reasons",
    "conflicting_pesantren_ids",
    "criterion_delete",
    "criterion_save",
    "entry_add",
    "juror_save",
    "round_save",
    "rubric_is_frozen",
    "scoresheet_reopen",
    "scoresheet_save",
    "stage_advance",
    "stage_close",
    "stage_open",
    "stage_publish",
    "stage_recompute",
    "stage_save",
]
