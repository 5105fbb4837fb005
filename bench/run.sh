#!/usr/bin/env bash
# Runs every Ergate benchmark scenario on this machine and prints one machine-readable line per figure.
#   bench/run.sh                    full run (under 20 minutes)
#   bench/run.sh --quick            short run (under 3 minutes)
#   bench/run.sh --quick inmemory   only some scenarios: inmemory json latency heap jdbc rabbitmq startup
# The jdbc scenario needs the local PostgreSQL (127.0.0.1:5432, user postgres, database test) and the
# rabbitmq scenario the local RabbitMQ (127.0.0.1:5672, guest/guest); .ci/run shows how to start them.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
scenarios=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    *) scenarios+=("$arg") ;;
  esac
done
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(inmemory json latency heap jdbc rabbitmq startup)
fi

./mvnw -q -B -pl ergate-benchmarks,ergate-sample-app -am package -DskipTests
classpath="ergate-benchmarks/target/classes:$(cat ergate-benchmarks/target/classpath.txt)"
java_opts=(-Xms2g -Xmx2g -XX:+UseG1GC)

echo "# machine: $(nproc) cpus, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "# java: $(java -version 2>&1 | head -1)"

harness=()
run_startup=false
for scenario in "${scenarios[@]}"; do
  if [ "$scenario" = startup ]; then run_startup=true; else harness+=("$scenario"); fi
done

if [ ${#harness[@]} -gt 0 ]; then
  flags=()
  $quick && flags+=(--quick)
  java "${java_opts[@]}" -cp "$classpath" io.ergate.benchmarks.BenchMain "${flags[@]}" "${harness[@]}"
fi

# The sample app's time from JVM launch to the "Ergate worker started" log line.
if $run_startup; then
  app_cp="ergate-sample-app/target/classes:$(cat ergate-sample-app/target/classpath.txt)"
  runs=3
  $quick && runs=2
  times=()
  for ((i = 0; i < runs; i++)); do
    log=$(mktemp)
    start=$(date +%s%N)
    java -cp "$app_cp" io.ergate.sample.SampleApplication --server.port=0 >"$log" 2>&1 &
    pid=$!
    for ((t = 0; t < 600; t++)); do
      if grep -q "Ergate worker started" "$log"; then break; fi
      sleep 0.02
    done
    end=$(date +%s%N)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if ! grep -q "Ergate worker started" "$log"; then
      echo "scenario=startup error=worker_not_started log=$log"
      continue
    fi
    times+=($(( (end - start) / 1000000 )))
    rm -f "$log"
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(printf '%s\n' "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  met=no
  [ "$median" -le 2000 ] && met=yes
  echo "scenario=startup runs=${#times[@]} time_to_worker_started_ms=$median all_ms=$(echo $sorted | tr ' ' ',') steps_per_sec=na p50_us=na p99_us=na ratio_to_baseline=na target=ms<=2000 met=$met"
fi
