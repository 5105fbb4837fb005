#!/usr/bin/env bash
# Runs every Ergate benchmark scenario on this machine and prints one machine-readable line per figure.
#   bench/run.sh                    full run (under 20 minutes)
#   bench/run.sh --quick            short run (under 3 minutes)
#   bench/run.sh --quick inmemory   only some scenarios: inmemory json latency heap jdbc rabbitmq startup
# The jdbc scenario needs the local PostgreSQL (127.0.0.1:5432, user postgres, database test) and the
# rabbitmq scenario the local RabbitMQ (127.0.0.1:5672, guest/guest); .ci/run shows how to start them.
# The startup scenario also times the sample app on a JDK 24 or newer when it finds one
# (BENCH_AOT_CACHE_JAVA=/path/to/bin/java chooses it).
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

# The sample app's time from JVM launch to its "Ergate worker started" log line, in these set-ups:
#   plain          java -cp target/classes:<dependency jars>, nothing prepared
#   cds_aot        the set-up the README's "Faster startup" describes: the Spring Boot jar extracted
#                  (java -Djarmode=tools -jar ... extract), started with the bean definitions Spring AOT
#                  generated at build time (-Dspring.aot.enabled=true) and with a class data sharing archive
#                  (-XX:SharedArchiveFile) written by a training run
#   aot_cache_aot  the same on a JDK 24 or newer, with its AOT cache (-XX:AOTCache) in place of the CDS
#                  archive; only when such a JDK is found: $BENCH_AOT_CACHE_JAVA, else the first
#                  /usr/lib/jvm/*/bin/java of version 24 or newer
# The training runs (-Dspring.context.exit=onRefresh: the JVM exits once the context is refreshed) happen
# before any clock starts. The variants are timed in turns (plain, cds_aot, aot_cache_aot, plain, ...), so
# that a noisy machine moves them alike.
if $run_startup; then
  rounds=5
  $quick && rounds=3
  app_cp="ergate-sample-app/target/classes:$(cat ergate-sample-app/target/classpath.txt)"
  work="$PWD/ergate-sample-app/target/startup-bench"
  sample_jar=$(ls ergate-sample-app/target/ergate-sample-app-*.jar | head -1)
  app_jar="$work/app/$(basename "$sample_jar")"

  # java_property JAVA NAME: the value of a system property of that JVM, such as java.version
  java_property() {
    "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' -v key="$2" '{sub(/^ +/, "", $1)} $1 == key {print $2; exit}'
  }

  aot_java=${BENCH_AOT_CACHE_JAVA:-}
  if [ -z "$aot_java" ]; then
    for candidate in /usr/lib/jvm/*/bin/java; do
      feature=$(java_property "$candidate" java.specification.version)
      if [[ "$feature" =~ ^[0-9]+$ ]] && [ "$feature" -ge 24 ]; then
        aot_java=$candidate
        break
      fi
    done
  fi

  rm -rf "$work"
  mkdir -p "$work"
  java -Djarmode=tools -jar "$sample_jar" extract --destination "$work/app" >/dev/null
  variants=(plain)
  declare -A jdk=([plain]=$(java_property java java.version))
  java -XX:ArchiveClassesAtExit="$work/app.jsa" -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh \
    -jar "$app_jar" >"$work/training-cds_aot.log" 2>&1 || true
  if [ -s "$work/app.jsa" ]; then
    variants+=(cds_aot)
    jdk[cds_aot]=${jdk[plain]}
  else
    echo "scenario=startup variant=cds_aot error=training_run_wrote_no_archive log=$work/training-cds_aot.log"
  fi
  if [ -n "$aot_java" ]; then
    "$aot_java" -XX:AOTCacheOutput="$work/app.aot" -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh \
      -jar "$app_jar" >"$work/training-aot_cache_aot.log" 2>&1 || true
    if [ -s "$work/app.aot" ]; then
      variants+=(aot_cache_aot)
      jdk[aot_cache_aot]=$(java_property "$aot_java" java.version)
      echo "$aot_java" >"$work/aot-cache-java"
    else
      echo "scenario=startup variant=aot_cache_aot error=training_run_wrote_no_cache log=$work/training-aot_cache_aot.log"
    fi
  fi

  # launch VARIANT: becomes the sample app's JVM in that set-up
  launch() {
    case $1 in
      plain) exec java -cp "$app_cp" io.ergate.sample.SampleApplication --server.port=0 ;;
      cds_aot) exec java -XX:SharedArchiveFile="$work/app.jsa" -Dspring.aot.enabled=true -jar "$app_jar" --server.port=0 ;;
      aot_cache_aot) exec "$aot_java" -XX:AOTCache="$work/app.aot" -Dspring.aot.enabled=true -jar "$app_jar" --server.port=0 ;;
    esac
  }

  declare -A times=()
  for variant in "${variants[@]}"; do times[$variant]=""; done
  for ((round = 0; round < rounds; round++)); do
    for variant in "${variants[@]}"; do
      log=$(mktemp)
      start=$(date +%s%N)
      launch "$variant" >"$log" 2>&1 &
      pid=$!
      for ((t = 0; t < 1500; t++)); do
        if grep -q "Ergate worker started" "$log"; then break; fi
        sleep 0.02
      done
      end=$(date +%s%N)
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      if ! grep -q "Ergate worker started" "$log"; then
        echo "scenario=startup variant=$variant error=worker_not_started log=$log"
        continue
      fi
      if grep -qE '^\[[0-9.]+s\]\[(warning|error) *\]\[(cds|aot)' "$log"; then
        echo "scenario=startup variant=$variant error=archive_not_used log=$log"
        continue
      fi
      times[$variant]+=" $(( (end - start) / 1000000 ))"
      rm -f "$log"
    done
  done

  for variant in "${variants[@]}"; do
    read -r -a measured <<<"${times[$variant]}"
    if [ ${#measured[@]} -eq 0 ]; then
      continue
    fi
    sorted=$(printf '%s\n' "${measured[@]}" | sort -n)
    median=$(printf '%s\n' "$sorted" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    met=no
    [ "$median" -le 2000 ] && met=yes
    echo "scenario=startup variant=$variant java=${jdk[$variant]} runs=${#measured[@]} time_to_worker_started_ms=$median all_ms=$(echo $sorted | tr ' ' ',') steps_per_sec=na p50_us=na p99_us=na ratio_to_baseline=na target=ms<=2000 met=$met"
  done
fi
