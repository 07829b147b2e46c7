"""The embedded pipeline after ingest: cluster new articles, merge stories, refresh story pages.

The same stage functions run here in-process and as Celery tasks in scale-out mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from newsprism.config import Settings
from newsprism.store.database import Database


@dataclass
class ProcessReport:
    clustered: int = 0
    stories_created: int = 0
    stories_merged: int = 0
    stories_refreshed: int = 0
    notes: list[str] = field(default_factory=list)


def process_pending(
    db: Database,
    settings: Settings,
    *,
    merge: bool = True,
    refresh: bool = True,
    on_progress: Callable[[int], None] | None = None,
) -> ProcessReport:
    """Assign every unclustered article to a story, then merge and refresh what changed."""
    from newsprism.analyze.refresh import refresh_dirty_stories
    from newsprism.cluster.service import assign_pending, merge_stories

    report = ProcessReport()
    assigned = assign_pending(db, settings, on_progress=on_progress, merge=merge)
    report.clustered = assigned.articles
    report.stories_created = assigned.stories_created
    report.stories_merged = assigned.stories_merged
    if merge:
        report.stories_merged += merge_stories(db, settings)
    if refresh:
        report.stories_refreshed = refresh_dirty_stories(db, settings)
    return report
