#!/usr/bin/env bash
# Runs every Ergate benchmark scenario on this machine and prints one machine-readable line per figure.
#   bench/run.sh           full run (under 20 minutes)
#   bench/run.sh --quick   short run (under 3 minutes)
#   bench/run.sh --quick inmemory latency   only some scenarios
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -q -B -pl ergate-benchmarks -am package -DskipTests
classpath="ergate-benchmarks/target/classes:$(cat ergate-benchmarks/target/classpath.txt)"
java_opts=(-Xms2g -Xmx2g -XX:+UseG1GC)

echo "# machine: $(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "# java: $(java -version 2>&1 | head -1)"
exec java "${java_opts[@]}" -cp "$classpath" io.ergate.benchmarks.BenchMain "$@"
