#!/bin/bash
# Exports every province through POST /exports/villages with the VillageProfile selection, one
# after another, and samples the gateway's resident memory once a second (docs/partners.md,
# "Measured"). Run it against `npm start` over national data (`npm run seed -- --scope
# national`) with quotas that allow it (an API key in KEY, or the anonymous quotas set to 0):
#
#   GATEWAY=http://localhost:4000 KEY=rdsg_… bash bench/national-export.sh
set -euo pipefail
GATEWAY=${GATEWAY:-http://localhost:4000}
PID=$(pgrep -f "dist/gateway/main.js" | head -1)
OUT=$(mktemp)
SAMPLES=$(mktemp)
SEL='{ code name kind township { code name } county { code name } city { code name } province { code name } culture { auditorium { name services digitalServiceHub provenance { kind source asOf } } } healthcare { clinic { name level provenance { kind source } } } commerce { storeCount stores(first: 5) { edges { node { name platform category provenance { kind } } } } } }'
PROVINCES="11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65"
rss() { awk '/VmRSS/{print int($2/1024)}' "/proc/$PID/status"; }
hwm() { awk '/VmHWM/{print int($2/1024)}' "/proc/$PID/status"; }

echo "load at start: $(cat /proc/loadavg)"
echo "gateway RSS at start: $(rss) MB"
(while kill -0 "$PID" 2>/dev/null; do rss >>"$SAMPLES"; sleep 1; done) &
SAMPLER=$!
TOTAL=0
ERRORS=0
START=$(date +%s.%N)
for P in $PROVINCES; do
  T0=$(date +%s.%N)
  curl -sS -X POST "$GATEWAY/exports/villages" -H 'content-type: application/json' \
    ${KEY:+-H "x-api-key: $KEY"} \
    -d "{\"regionCode\":\"$P\",\"selection\":\"$SEL\"}" >"$OUT"
  N=$(grep -c '"data"' "$OUT" || true)
  E=$(grep -c '"errors"' "$OUT" || true)
  echo "$P: $N lines, $E with errors, $(echo "$(date +%s.%N) - $T0" | bc) s, RSS $(rss) MB;" \
    "last: $(tail -1 "$OUT" | cut -c1-120)"
  TOTAL=$((TOTAL + N))
  ERRORS=$((ERRORS + E))
done
kill "$SAMPLER"
echo "total $TOTAL lines ($ERRORS with errors) in $(echo "$(date +%s.%N) - $START" | bc) s"
echo "gateway RSS at end: $(rss) MB; highest sampled $(sort -n "$SAMPLES" | tail -1) MB"
echo "load at end: $(cat /proc/loadavg)"
rm -f "$OUT" "$SAMPLES"
