"""The Python half of Ergate for Java's interoperability test (ergate-python-interop).

    python3 interop_check.py produce WORKFLOW   one JSON line per job a Python producer writes:
                                                {"case", "job", "rabbitmq": {"body", "properties"},
                                                 "postgres": [[sql, params], ...]}
    python3 interop_check.py validate           reads {"kind": "message"|"row", "value": ...} lines
                                                and writes one line per job that the Python model
                                                read: {"ok": true, "status": name, ...} or
                                                {"ok": false, "error": ...}; exits 1 if one failed
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import datetime, timedelta, timezone

from ergate_java_kit import Job, JobStatus, job_from_message, job_from_state_row, postgres_enqueue, rabbitmq_message


def produce(workflow: str) -> None:
    run = uuid.uuid4().hex[:8]
    soon = datetime.now(timezone.utc) + timedelta(seconds=3)
    cases = {
        # what Job(workflow_name=...) and a worker of Python Ergate 0.0 write
        "new": Job(workflow_name=workflow, initial_input_value=20),
        "new_minimal": None,  # {"workflow_name": ...} alone: the seed's "Solution 2"
        "mid_flight": Job(workflow_name=workflow, steps_completed=1, percent_completed=100 / 3,
                          initial_input_value=20, last_return_value=21, user_context={"who": "python"}),
        "running": Job(workflow_name=workflow, step_name="step_2", status=JobStatus.RUNNING, steps_completed=1,
                       percent_completed=100 / 3, initial_input_value=20, last_return_value=21),
        "scheduled": Job(workflow_name=workflow, status=JobStatus.SCHEDULED, initial_input_value=20,
                         requested_start_time=soon),
        "fails_on_java": Job(workflow_name=workflow, initial_input_value=13),
        "aborts_on_java": Job(workflow_name=workflow, initial_input_value=66),
        "completed": Job(workflow_name=workflow, status=JobStatus.COMPLETED, steps_completed=3,
                         percent_completed=100.0, initial_input_value=20, last_return_value=41),
        "failed": Job(workflow_name=workflow, status=JobStatus.FAILED, steps_completed=1, percent_completed=100 / 3,
                      initial_input_value=20, last_return_value=21, exception_traceback="Traceback ...\nValueError"),
        "aborted": Job(workflow_name=workflow, status=JobStatus.ABORTED, initial_input_value=20),
    }
    for case, job in cases.items():
        job_id = f"py-{run}-{case}"
        if job is None:
            body = json.dumps({"workflow_name": workflow, "id": job_id}).encode()
            job = Job(workflow_name=workflow, id=job_id)
            properties = {"content_type": "application/json", "delivery_mode": 2}
        else:
            job.id = job_id
            body, properties = rabbitmq_message(job)
        line = {
            "case": case,
            "job": job.model_dump(mode="json"),
            "rabbitmq": {"body": body.decode(), "properties": properties},
            "postgres": [[sql, list(params)] for sql, params in postgres_enqueue(job, sys.argv[3])]
            if len(sys.argv) > 3 else [],
        }
        print(json.dumps(line))


def validate() -> int:
    failures = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        given = json.loads(line)
        try:
            if given["kind"] == "row":
                job = job_from_state_row(given["value"])
            else:
                job = job_from_message(given["value"])
            start = job.requested_start_time
            print(json.dumps({"ok": True, "id": job.id, "status": job.status.name, "code": int(job.status),
                              "step_name": job.step_name, "steps_completed": job.steps_completed,
                              "last_return_value": job.last_return_value,
                              "requested_start_time": start.isoformat() if start else None}))
        except Exception as error:  # a pydantic ValidationError, or a KeyError on an unknown status name
            failures += 1
            print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}", "input": given}))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "produce":
        produce(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "validate":
        sys.exit(validate())
    else:
        sys.exit(__doc__)
