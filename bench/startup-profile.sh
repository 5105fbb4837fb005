#!/usr/bin/env bash
# Where the sample app's startup time goes: runs bench/StartupProfile.java, which starts the sample app
# with Spring's BufferingApplicationStartup, ROUNDS times (default 5) in each set-up of the startup
# scenario, in turns, and prints the median of each figure:
#   bench/startup-profile.sh [ROUNDS]
# Each figure is when a phase ended, in ms since the JVM started (main: main() entered; run:
# SpringApplication.run entered; environment: logging and application.yml ready; context: application
# context created and loaded; bean_definitions: configuration classes parsed and conditions evaluated;
# web_server: Tomcat created and started with the filters and servlets it needs; refreshed: every
# singleton created and the lifecycle beans, the Ergate worker among them, started), and ergate_beans_ms
# the exclusive time of the startup steps of Ergate's own beans.
# Run bench/run.sh startup first: it builds the sample and leaves the extracted jar, its CDS archive and,
# when it found a JDK 24+, its AOT cache in ergate-sample-app/target/startup-bench.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
work="$PWD/ergate-sample-app/target/startup-bench"
if [ ! -s "$work/app.jsa" ]; then
  echo "Run bench/run.sh startup first: $work/app.jsa is missing" >&2
  exit 1
fi
app_cp="ergate-sample-app/target/classes:$(cat ergate-sample-app/target/classpath.txt)"
app_jar=$(ls "$work"/app/*.jar | head -1)
profile="$work/profile-classes"
mkdir -p "$profile"
javac -d "$profile" -cp "$app_cp" bench/StartupProfile.java

variants=(plain cds_aot)
aot_java=""
if [ -s "$work/app.aot" ] && [ -s "$work/aot-cache-java" ]; then
  aot_java=$(cat "$work/aot-cache-java")
  variants+=(aot_cache_aot)
fi

# The archive and the cache were made for the class path of "java -jar $app_jar"; the profile's own
# directory comes after it, which both accept (-Xshare:on and -XX:AOTMode=on fail rather than go without).
profile_line() {
  case $1 in
    plain) java -cp "$profile:$app_cp" StartupProfile --server.port=0 ;;
    cds_aot) java -Xshare:on -XX:SharedArchiveFile="$work/app.jsa" -Dspring.aot.enabled=true \
      -cp "$app_jar:$profile" StartupProfile --server.port=0 ;;
    aot_cache_aot) "$aot_java" -XX:AOTMode=on -XX:AOTCache="$work/app.aot" -Dspring.aot.enabled=true \
      -cp "$app_jar:$profile" StartupProfile --server.port=0 ;;
  esac 2>&1 | grep '^startup_profile' || echo "startup_profile error=no_profile_line"
}

declare -A lines=()
for ((round = 0; round < rounds; round++)); do
  for variant in "${variants[@]}"; do
    lines[$variant]+="$(profile_line "$variant")"$'\n'
  done
done
for variant in "${variants[@]}"; do
  printf '%s' "${lines[$variant]}" | awk -v variant="$variant" '
    $2 == "error=no_profile_line" { errors++; next }
    { n++; for (i = 2; i <= NF; i++) { split($i, kv, "="); keys[i] = kv[1]; values[kv[1], n] = kv[2] } last = NF }
    END {
      line = "startup_profile variant=" variant " runs=" n
      for (i = 2; i <= last; i++) {
        k = keys[i]; m = 0
        for (j = 1; j <= n; j++) { a[j] = values[k, j] + 0 }
        # insertion sort, then the median
        for (j = 2; j <= n; j++) { v = a[j]; for (l = j - 1; l >= 1 && a[l] > v; l--) a[l + 1] = a[l]; a[l + 1] = v }
        line = line " " k "=" a[int((n + 1) / 2)]
      }
      if (errors) line = line " failed_runs=" errors
      print line
    }'
done
