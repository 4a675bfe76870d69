#!/usr/bin/env bash
# Starts dist/service.js (the bundled build) the way a user would (embedded database, fresh DATA_DIR) and probes it:
# /health, /docs-json, a token printed on first start that opens /api/v1, `npm run token`, the refusals a user can meet
# (second process on the same DATA_DIR, bad configuration), and a clean SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# mktemp makes it 0700; as root the embedded PostgreSQL runs as the account postgres, which must pass through it.
chmod 755 "$work"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
base="http://127.0.0.1:$port"
fail() { echo "SMOKE FAILED: $*" >&2; cat "$work/out.log" >&2 || true; exit 1; }

DATA_DIR="$work/data" PORT=$port HOST=127.0.0.1 node dist/service.js >"$work/out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "$base/health" | grep -q '"status":"ok"' || fail "/health is not ok"
curl -fsS "$base/docs-json" | grep -q '"openapi"' || fail "/docs-json is not an OpenAPI document"
curl -fsS "$base/docs" | grep -qi 'swagger' || fail "/docs is not Swagger UI"

token=$(grep -oE 'eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+' "$work/out.log" | head -1)
[ -n "$token" ] || fail "no admin token printed on first start"
curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | grep -q '"role":"admin"' || fail "printed token refused"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/auth/me")
[ "$status" = 401 ] || fail "no token gave $status, not 401"
# `npm run token` from the sources, beside the running service, and from a tree laid out like the Docker image
# (the build, scripts/ and package.json, no sources): both tokens open the API.
token=$(DATA_DIR="$work/data" npm run -s token -- --role store_admin --store 7)
curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | grep -q '"store_ids":\[7\]' || fail "npm run token (sources) refused"
mkdir "$work/image" && cp -r dist scripts package.json "$work/image/" && ln -s "$PWD/node_modules" "$work/image/node_modules"
token=$(cd "$work/image" && DATA_DIR="$work/data" npm run -s token -- --role admin)
curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/auth/me" | grep -q '"role":"admin"' || fail "npm run token (built) refused"

if DATA_DIR="$work/data" PORT=0 node dist/service.js >"$work/second.log" 2>&1; then fail "a second process on the same DATA_DIR started"; fi
grep -q 'is in use by another process' "$work/second.log" || fail "second process did not say why: $(cat "$work/second.log")"

if PORT=abc DATA_DIR="$work/other" node dist/service.js >"$work/bad.log" 2>&1; then fail "bad PORT accepted"; fi
[ "$(wc -l <"$work/bad.log")" -eq 1 ] && grep -q '^Invalid configuration: PORT' "$work/bad.log" || fail "bad configuration: $(cat "$work/bad.log")"

kill -TERM $pid
for _ in $(seq 1 30); do kill -0 $pid 2>/dev/null || break; sleep 1; done
if kill -0 $pid 2>/dev/null; then fail "still running 30 s after SIGTERM"; fi
wait $pid || fail "exited non-zero after SIGTERM"
grep -q 'Shut down cleanly' "$work/out.log" || fail "no clean shutdown line"
# The same build on the PostgreSQL server: migrations run at start-up, then it serves.
db="smoke_$$_$RANDOM"
psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres
pg_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" AUTH_JWT_SECRET="smoke-secret-smoke-secret-smoke-secret-0123" \
  DATA_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" PORT=$pg_port HOST=127.0.0.1 DATA_DIR="$work/pg" \
  node dist/service.js >"$work/pg.log" 2>&1 &
pg_pid=$!
for _ in $(seq 1 30); do curl -fsS "http://127.0.0.1:$pg_port/health" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "http://127.0.0.1:$pg_port/health" | grep -q '"db":"up"' || { cat "$work/pg.log" >&2; fail "not healthy on PostgreSQL"; }
grep -q 'Applied migrations' "$work/pg.log" || fail "no migrations applied on PostgreSQL"
kill -TERM $pg_pid; wait $pg_pid || fail "PostgreSQL run exited non-zero after SIGTERM"
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $db" postgres

echo "smoke: ok ($base)"
