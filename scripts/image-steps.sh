#!/usr/bin/env bash
# Runs the container image's own steps without a container engine, so that CI notices what the
# image would miss (a runtime dependency among the devDependencies, a file not copied):
# the build stage and the runtime stage of ./Dockerfile are replayed in two scratch folders from a
# clean checkout: their COPY and npm steps as written, then the image's CMD, then /readyz.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'kill "${server_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
git -C "$root" ls-files -z | (cd "$root" && xargs -0 tar cf -) | (mkdir -p "$work/context" && tar xf - -C "$work/context")

# Replays one stage: COPY from the context (or from the build stage) and RUN npm … lines.
replay() {
  local stage=$1 dir=$2
  mkdir -p "$dir"
  awk -v stage="$stage" '
    /^FROM / { current = ($0 ~ (" AS " stage "$")) }
    current && /^(COPY|RUN) / { print }
  ' "$work/context/Dockerfile" | while read -r instruction rest; do
    if [ "$instruction" = COPY ]; then
      if [[ $rest == --from=* ]]; then
        read -r from src dest <<<"$rest"
        cp -a "$work/${from#--from=}/${src#/app/}" "$dir/$dest"
      else
        read -r -a parts <<<"$rest"
        dest=${parts[-1]}
        for src in "${parts[@]:0:${#parts[@]}-1}"; do cp -a "$work/context/$src" "$dir/$dest"; done
      fi
    elif [[ $rest == npm* ]]; then
      echo "[$stage] $rest"
      (cd "$dir" && bash -c "$rest")
    fi
  done
}

replay build "$work/build"
replay runtime "$work/runtime"

port=$((20000 + RANDOM % 20000))
cmd=$(sed -n 's/^CMD \["sh", "-c", "\(.*\)"\]$/\1/p' "$work/context/Dockerfile")
echo "[runtime] $cmd"
(cd "$work/runtime" && NODE_ENV=production HOST=127.0.0.1 PORT=$port DATA_DIR="$work/data" sh -c "$cmd") &
server_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
    echo "the image's steps start a ready service"
    exit 0
  fi
  kill -0 "$server_pid" 2>/dev/null || { echo "the service exited"; exit 1; }
  sleep 1
done
echo "the service did not become ready"
exit 1
