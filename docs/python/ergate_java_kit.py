"""Python side of a queue and a state store shared with Ergate for Java workers.

Needs only pydantic 2 and the standard library. ``Job`` and ``JobStatus`` are the model of Python
Ergate 0.0 (the one with ``step_name`` and ``exception_traceback``); with the ``ergate`` package
installed, use its ``Job`` and ``JobStatus`` instead: the functions below only need a pydantic
model with these fields.

- ``rabbitmq_message(job)``: the body and the AMQP properties of a job for the RabbitMQ queue that
  ``RabbitJobQueue`` consumes (``ergate.jobs`` by default);
- ``postgres_enqueue(job)``: the statements that put a job on the PostgreSQL queue table that
  ``JdbcJobQueue`` claims from (``ergate_queue`` by default), with psycopg's ``%s`` placeholders;
- ``job_from_message(body)``: a job that Ergate for Java put on either queue (its JSON);
- ``job_from_state_row(row)``: a job state that ``JdbcStateStore`` recorded (a row of ``ergate_job``
  as a dict, as psycopg returns it with ``row_factory=dict_row``).
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from enum import IntEnum, auto
from typing import Any

from pydantic import BaseModel, Field


class JobStatus(IntEnum):
    """The numbering of Python Ergate 0.0: ergate.json.status-numbering=queued-first (the default)."""

    QUEUED = auto()
    RUNNING = auto()
    COMPLETED = auto()
    SCHEDULED = auto()
    FAILED = auto()
    ABORTED = auto()


class Job(BaseModel):
    """The attributes of the seed's table, with its types and defaults."""

    id: Any = None
    workflow_name: str
    step_name: str | None = None
    status: JobStatus = JobStatus.QUEUED
    steps_completed: int = Field(default=0, ge=0)
    percent_completed: float = Field(default=0.0, ge=0.0, le=100.0)
    initial_input_value: Any = None
    last_return_value: Any = None
    exception_traceback: str | None = None
    user_context: Any = None
    requested_start_time: datetime | None = None


def job_json(job: BaseModel) -> str:
    """The job's JSON, every attribute included, as ``model_dump(mode="json")`` gives it."""
    return json.dumps(job.model_dump(mode="json"), separators=(",", ":"))


def rabbitmq_message(job: BaseModel) -> tuple[bytes, dict[str, Any]]:
    """Body and properties of the job's message. With pika::

        body, props = rabbitmq_message(job)
        channel.confirm_delivery()
        channel.basic_publish("", "ergate.jobs", body, pika.BasicProperties(**props), mandatory=True)

    Publish to the default exchange with the queue's name as routing key, persistent. Do not
    declare the queue with other arguments than Ergate's (it declares it, with a dead-letter
    queue); a job with a future ``requested_start_time`` may go straight on it: the Java consumer
    moves it to its delay queues. The headers are informative: Java reads only the body.
    """
    headers = {"x-ergate-workflow": job.workflow_name, "x-ergate-status": JobStatus(job.status).name}
    if job.step_name is not None:
        headers["x-ergate-step"] = job.step_name
    properties: dict[str, Any] = {
        "content_type": "application/json",
        "content_encoding": "utf-8",
        "delivery_mode": 2,
        "headers": headers,
    }
    if job.id is not None:
        properties["message_id"] = str(job.id)
    return job_json(job).encode("utf-8"), properties


def _epoch_ms(moment: datetime) -> int:
    if moment.tzinfo is None:  # Ergate for Java reads a date-time without offset as UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def postgres_enqueue(job: BaseModel, table_prefix: str = "ergate_") -> list[tuple[str, tuple[Any, ...]]]:
    """Statements (psycopg placeholders) that put the job on the queue table and wake idle workers::

        with conn.transaction():
            for sql, params in postgres_enqueue(job):
                conn.execute(sql, params)

    ``ready_at`` (epoch milliseconds) is when the job may be claimed: its ``requested_start_time``,
    or now. ``job_id`` is the id as text (a string id as it is, any other id as its JSON), for
    operators; ``delivery_count`` starts at 0. The NOTIFY channel is the queue table's name.
    """
    now = int(time.time() * 1000)
    ready_at = now
    if job.requested_start_time is not None:
        ready_at = max(now, _epoch_ms(job.requested_start_time))
    job_id = None
    if job.id is not None:
        job_id = job.id if isinstance(job.id, str) else json.dumps(job.id, separators=(",", ":"))
    queue = table_prefix + "queue"
    insert = (
        f"INSERT INTO {queue} (job_id, workflow_name, payload, ready_at, delivery_count, enqueued_at) "
        "VALUES (%s, %s, CAST(%s AS jsonb), %s, 0, %s)"
    )
    return [
        (insert, (job_id, job.workflow_name, job_json(job), ready_at, now)),
        ("SELECT pg_notify(%s, '')", (queue,)),
    ]


def job_from_message(body: bytes | str) -> Job:
    """A job read from a message or a queue row's ``payload`` that Ergate for Java wrote."""
    return Job.model_validate_json(body)


def job_from_state_row(row: dict[str, Any]) -> Job:
    """A job state from a row of the ``ergate_job`` table: its ``status`` column holds the name."""
    values = {key: row[key] for key in Job.model_fields if key in row}
    values["status"] = JobStatus[row["status"]]
    return Job.model_validate(values)
