"""The Celery application of scale-out mode: broker settings, queues, delivery guarantees.

Delivery is "at least once": a task is acknowledged only after it finished (``acks_late``), and
a task whose worker died (SIGKILL, OOM, a lost machine) goes back to the queue
(``reject_on_worker_lost``; on Redis after ``broker_visibility_timeout_s``). Every task is
idempotent, so running one twice changes nothing the second time.

Queues (docs/deployment.md): ``newsprism`` for polling, fetching and extraction, which scale
with the number of workers; ``newsprism.cluster`` for story assignment and merging and
``newsprism.analyze`` for story analysis, which run one at a time under store locks whatever
consumes them.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_process_init, worker_process_shutdown, worker_shutdown

from newsprism.config import Settings
from newsprism.pipeline import worker_state

INGEST_QUEUE = "newsprism"
CLUSTER_QUEUE = "newsprism.cluster"
ANALYZE_QUEUE = "newsprism.analyze"
ALL_QUEUES = (INGEST_QUEUE, CLUSTER_QUEUE, ANALYZE_QUEUE)

app = Celery("newsprism", include=["newsprism.pipeline.tasks"])


def _transport_options(settings: Settings) -> dict[str, Any]:
    visibility = settings.broker_visibility_timeout_s
    options: dict[str, Any] = {
        "visibility_timeout": visibility,
        # Kombu looks for expired unacknowledged tasks only every 10 × 10 s by default; look
        # every fifth of the visibility timeout instead, so a dead worker's task comes back
        # soon after the timeout (the look is one indexed Redis range query).
        "unacked_restore_interval": min(30, max(1, visibility // 5)),
        "unacked_restore_throttle": 1,
    }
    if settings.broker_key_prefix:
        options["global_keyprefix"] = settings.broker_key_prefix
    return options


def configure(settings: Settings) -> Celery:
    """Point the app at the broker and the store of ``settings`` (workers and producers alike)."""
    worker_state.set_settings(settings)
    if app.conf.broker_url != settings.broker_url:
        # Pooled connections and producers of another broker must not be reused.
        app.close()
        app.amqp._producer_pool = None
    app.conf.update(
        broker_url=settings.broker_url,
        broker_connection_retry_on_startup=True,
        broker_transport_options=_transport_options(settings),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One message at a time per process: a killed worker then holds back at most one task,
        # and long extraction tasks do not starve behind a prefetched backlog.
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=INGEST_QUEUE,
        task_routes={
            "newsprism.assign_stories": {"queue": CLUSTER_QUEUE},
            "newsprism.analyze_stories": {"queue": ANALYZE_QUEUE},
        },
        worker_hijack_root_logger=False,
        enable_utc=True,
    )
    from newsprism.pipeline import tasks  # noqa: F401  (registers the tasks)

    for name, task in app.tasks.items():
        if name.startswith("newsprism."):
            task.max_retries = settings.task_max_retries
    return app


@worker_process_init.connect
def _fresh_store_after_fork(**_kwargs: Any) -> None:
    # Database connections must never be shared across fork(): each pool process opens its own.
    worker_state.forget_database()


@worker_process_shutdown.connect
@worker_shutdown.connect
def _close_worker_state(**_kwargs: Any) -> None:
    worker_state.close()


def run_worker(
    settings: Settings,
    *,
    queues: list[str] | None = None,
    concurrency: int | None = None,
    pool: str = "prefork",
    loglevel: str = "INFO",
    hostname: str | None = None,
) -> None:
    """Run a worker in this process until it is stopped (SIGTERM finishes the current tasks)."""
    configure(settings)
    argv = [
        "worker",
        f"--loglevel={loglevel}",
        f"--queues={','.join(queues or ALL_QUEUES)}",
        f"--pool={pool}",
    ]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    if hostname:
        argv.append(f"--hostname={hostname}")
    app.worker_main(argv=argv)
