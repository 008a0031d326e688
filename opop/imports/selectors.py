"""Which import jobs a user may see: the programme's (admin), or only their own (officer)."""

from __future__ import annotations

from django.db.models import QuerySet

from opop.accounts.access import Access
from opop.accounts.models import Role
from opop.imports.models import ImportIssue, ImportJob


def import_jobs_visible_to(access: Access) -> QuerySet[ImportJob]:
    if not access or not access.imports:
        return ImportJob.objects.none()
    jobs = ImportJob.objects.filter(programme_id=access.programme_id).select_related(
        "created_by", "scope_regency"
    )
    if access.role == Role.ADMIN:
        return jobs
    return jobs.filter(created_by=access.user)


def import_file_downloadable_by(access: Access, job: ImportJob) -> bool:
    """The uploaded file goes back only to who uploaded it, or to the programme admin."""
    if not access or not access.imports or job.programme_id != access.programme_id:
        return False
    if job.file_purged_at:
        return False
    return access.role == Role.ADMIN or job.created_by_id == access.user.pk


def import_issues(job: ImportJob) -> QuerySet[ImportIssue]:
    """The row report, errors first, then by row."""
    return job.issues.order_by("level", "row", "id")


def import_earlier_same_file(access: Access, job: ImportJob) -> ImportJob | None:
    """An earlier job the user may see with the very same file (by SHA-256), if any."""
    return (
        import_jobs_visible_to(access)
        .filter(sha256=job.sha256, created_at__lt=job.created_at)
        .exclude(pk=job.pk)
        .order_by("-created_at")
        .first()
    )
