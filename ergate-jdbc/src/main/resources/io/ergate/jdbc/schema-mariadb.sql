-- Ergate JDBC schema for MariaDB 10.6+ and MySQL 8.0+ (InnoDB, which SKIP LOCKED needs).
-- The table prefix is "ergate_"; to use another, replace every "ergate_" below.

CREATE TABLE IF NOT EXISTS ergate_queue (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_id          VARCHAR(255),
    workflow_name   VARCHAR(255),
    payload         LONGTEXT     NOT NULL,
    ready_at        BIGINT       NOT NULL DEFAULT 0,
    claimed_by      VARCHAR(64),
    lease_until     BIGINT,
    delivery_count  INT          NOT NULL DEFAULT 0,
    enqueued_at     BIGINT       NOT NULL DEFAULT 0,
    INDEX ergate_queue_ready_idx (ready_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS ergate_dead_letter (
    id              BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    queue_id        BIGINT       NOT NULL,
    payload         LONGTEXT     NOT NULL,
    error           LONGTEXT     NOT NULL,
    delivery_count  INT          NOT NULL,
    failed_at       BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS ergate_job (
    job_key               VARCHAR(255) NOT NULL PRIMARY KEY,
    id                    LONGTEXT     NOT NULL,
    workflow_name         VARCHAR(255) NOT NULL,
    step_name             VARCHAR(255),
    status                VARCHAR(16)  NOT NULL,
    steps_completed       INT          NOT NULL,
    percent_completed     DOUBLE       NOT NULL,
    initial_input_value   LONGTEXT,
    last_return_value     LONGTEXT,
    exception_traceback   LONGTEXT,
    user_context          LONGTEXT,
    requested_start_time  DATETIME(6),
    metadata              LONGTEXT,
    created_at            DATETIME(6)  NOT NULL,
    updated_at            DATETIME(6)  NOT NULL,
    INDEX ergate_job_workflow_status_idx (workflow_name, status, created_at),
    INDEX ergate_job_status_idx (status, created_at),
    INDEX ergate_job_created_idx (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every state of each job, when the store keeps them (JdbcOptions.history, ergate.jdbc.history.enabled):
-- written with the state, deleted after the retention.
CREATE TABLE IF NOT EXISTS ergate_job_history (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job_key            VARCHAR(255) NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    step_name          VARCHAR(255),
    steps_completed    INT          NOT NULL,
    percent_completed  DOUBLE       NOT NULL,
    recorded_at        DATETIME(6)  NOT NULL,
    INDEX ergate_job_history_job_idx (job_key, id),
    INDEX ergate_job_history_recorded_idx (recorded_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
