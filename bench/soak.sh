#!/usr/bin/env bash
# The soak of the poison policy on the local PostgreSQL and RabbitMQ (see ergate-benchmarks' Soak):
#   bench/soak.sh                     both set-ups (jdbc, rabbitmq = RabbitMQ queue + JDBC store), both parts
#   bench/soak.sh rabbitmq kills      one set-up, one part (kills: 1,000 jobs x 5 steps, 2 processes x 2
#                                     workers, 10 SIGKILLs; hostile: 10,000 hostile payloads + 200 valid jobs)
# Prints one line per part; worker process logs go to ${TMPDIR:-/tmp}/ergate-soak-worker-N.log.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -pl ergate-benchmarks -am package -DskipTests
classpath="ergate-benchmarks/target/classes:$(cat ergate-benchmarks/target/classpath.txt)"
java -Xmx1g -cp "$classpath" io.ergate.benchmarks.Soak "$@"
