#!/usr/bin/env bash
# Starts dist/service.js (the bundled build) the way the Docker image does — from a tree of dist/, scripts/,
# package.json and the production dependencies only (`npm prune --omit=dev`, as the Dockerfile's build stage),
# NODE_ENV=production, embedded database, fresh DATA_DIR — and probes it: /health, /docs-json, a token printed on first
# start that opens /api/v1, a bot, a menu report delivered to the simulator's robot, a bad body, `npm run token`,
# the refusals a user can meet (second process on the same DATA_DIR, bad configuration), and a clean SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# mktemp makes it 0700; as root the embedded PostgreSQL runs as the account postgres, which must pass through it.
chmod 755 "$work"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
port=$(free_port)
base="http://127.0.0.1:$port"
fail() { echo "SMOKE FAILED: $*" >&2; cat "$work/out.log" >&2 || true; exit 1; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

# The image's tree. node_modules is a hard-linked copy of the checkout's, pruned as the Dockerfile prunes (no network:
# the lock file says what stays); pruning a link removes the link only. npm rewrites node_modules/.package-lock.json
# in place, so that one file is a copy, not a link into the checkout.
image="$work/image"
mkdir "$image" && cp -r dist scripts package.json package-lock.json "$image/"
cp -al node_modules "$image/node_modules"
cp --remove-destination node_modules/.package-lock.json "$image/node_modules/.package-lock.json"
(cd "$image" && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund --loglevel=error >/dev/null)
[ ! -e "$image/node_modules/vitest" ] || fail "the pruned tree still has dev dependencies"
# In the image's directory, as its CMD runs; one process (env execs node), so that $! is the service's pid.
built=(env -C "$image" NODE_ENV=production node --max-semi-space-size=8 dist/service.js)

# The DingTalk simulator (from the checkout: it needs the dev dependencies) with one custom robot for the bot.
sim_port=$(free_port)
sim="http://127.0.0.1:$sim_port"
SIM_PORT=$sim_port SIM_HOST=127.0.0.1 node scripts/cli.js sim >"$work/sim.log" 2>&1 &
pids+=($!)

DATA_DIR="$work/data" PORT=$port HOST=127.0.0.1 DINGTALK_WEBHOOK_ORIGINS="$sim" "${built[@]}" >"$work/out.log" 2>&1 &
pid=$!
pids+=($pid)
for _ in $(seq 1 60); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "$base/health" | grep -q '"status":"ok"' || fail "/health is not ok"
curl -fsS "$base/docs-json" | grep -q '"openapi"' || fail "/docs-json is not an OpenAPI document"
curl -fsS "$base/docs" | grep -qi 'swagger' || fail "/docs is not Swagger UI"

token=$(grep -oE 'eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+' "$work/out.log" | head -1)
[ -n "$token" ] || fail "no admin token printed on first start"
curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | grep -q '"role":"admin"' || fail "printed token refused"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/auth/me")
[ "$status" = 401 ] || fail "no token gave $status, not 401"

# Through the API as a user would: a webhook bot on the simulator's robot, a menu report (201 each) that reaches the
# robot, and a body with a wrong field (400 naming it).
for _ in $(seq 1 30); do curl -fsS "$sim/_sim/robots" >/dev/null 2>&1 && break; sleep 1; done
webhook=$(curl -fsS -H 'content-type: application/json' -d '{"name":"smoke"}' "$sim/_sim/robots" |
  node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.parse(s).webhook))") ||
  fail "no simulator robot: $(cat "$work/sim.log")"
post() { curl -sS -o "$work/answer.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'content-type: application/json' -d "$2" "$base/api/v1/$1"; }
status=$(post dingtalk-bots "{\"name\":\"smoke\",\"store_id\":1,\"webhook\":\"$webhook\"}")
[ "$status" = 201 ] || fail "POST /dingtalk-bots gave $status: $(cat "$work/answer.json")"
status=$(post menu-reports '{"store_id":1,"dish_name":"烟测宫保鸡丁","quantity":2,"unit":"份"}')
[ "$status" = 201 ] || fail "POST /menu-reports gave $status: $(cat "$work/answer.json")"
for _ in $(seq 1 30); do curl -fsS "$sim/_sim/messages?channel=robot" | grep -q '烟测宫保鸡丁' && break; sleep 1; done
curl -fsS "$sim/_sim/messages?channel=robot" | grep -q '烟测宫保鸡丁' || fail "the report did not reach the robot"
status=$(post menu-reports '{"store_id":1,"dish_name":"x","quantity":0,"unit":"份"}')
[ "$status" = 400 ] && grep -q '"field":"quantity"' "$work/answer.json" ||
  fail "a bad quantity gave $status: $(cat "$work/answer.json")"

# `npm run token` from the sources, beside the running service, and from a tree laid out like the Docker image
# (the build, scripts/ and package.json, no sources): both tokens open the API.
token=$(DATA_DIR="$work/data" npm run -s token -- --role store_admin --store 7)
curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | grep -q '"store_ids":\[7\]' || fail "npm run token (sources) refused"
token=$(cd "$image" && DATA_DIR="$work/data" npm run -s token -- --role admin)
curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | grep -q '"role":"admin"' || fail "npm run token (built) refused"

if DATA_DIR="$work/data" PORT=0 "${built[@]}" >"$work/second.log" 2>&1; then fail "a second process on the same DATA_DIR started"; fi
grep -q 'is in use by another process' "$work/second.log" || fail "second process did not say why: $(cat "$work/second.log")"

if PORT=abc DATA_DIR="$work/other" "${built[@]}" >"$work/bad.log" 2>&1; then fail "bad PORT accepted"; fi
[ "$(wc -l <"$work/bad.log")" -eq 1 ] && grep -q '^Invalid configuration: PORT' "$work/bad.log" || fail "bad configuration: $(cat "$work/bad.log")"

kill -TERM $pid
for _ in $(seq 1 30); do kill -0 $pid 2>/dev/null || break; sleep 1; done
if kill -0 $pid 2>/dev/null; then fail "still running 30 s after SIGTERM"; fi
wait $pid || fail "exited non-zero after SIGTERM"
grep -q 'Shut down cleanly' "$work/out.log" || fail "no clean shutdown line"
# The same build on the PostgreSQL server: migrations run at start-up, then it serves.
db="smoke_$$_$RANDOM"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres
pg_port=$(free_port)
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" AUTH_JWT_SECRET="smoke-secret-smoke-secret-smoke-secret-0123" \
  DATA_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" PORT=$pg_port HOST=127.0.0.1 DATA_DIR="$work/pg" \
  "${built[@]}" >"$work/pg.log" 2>&1 &
pg_pid=$!
pids+=($pg_pid)
for _ in $(seq 1 30); do curl -fsS "http://127.0.0.1:$pg_port/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$pg_port/health" | grep -q '"db":"up"' || { cat "$work/pg.log" >&2; fail "not healthy on PostgreSQL"; }
grep -q 'Applied migrations' "$work/pg.log" || fail "no migrations applied on PostgreSQL"
kill -TERM $pg_pid; wait $pg_pid || fail "PostgreSQL run exited non-zero after SIGTERM"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $db" postgres

echo "smoke: ok ($base)"
