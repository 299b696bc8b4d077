#!/usr/bin/env bash
# Native AOT smoke test (run by .ci/run; runs alone too): publishes eng/Dataphin.OpenApi.AotSmoke with PublishAot,
# where every trim or AOT warning (IL2xxx, IL3xxx) is an error, starts the standalone emulator on a free loopback
# port, and runs the native program against it with the emulator's default credentials.
set -euo pipefail
cd "$(dirname "$0")/.."

# Native AOT links with the platform toolchain: a C compiler/linker (clang, or gcc) and zlib's headers.
if ! { command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; } || [ ! -f /usr/include/zlib.h ]; then
  echo "== installing the Native AOT toolchain (clang, zlib1g-dev)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

out="artifacts/aot-smoke"
log="$(mktemp)"
emulator_log="$(mktemp)"
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -f "$log" "$emulator_log"
}
trap cleanup EXIT

echo "== dotnet publish eng/Dataphin.OpenApi.AotSmoke (Native AOT)"
dotnet publish eng/Dataphin.OpenApi.AotSmoke/Dataphin.OpenApi.AotSmoke.csproj -c Release -o "$out" -nologo -clp:NoSummary 2>&1 | tee "$log"
if grep -Eq "warning IL[23][0-9]{3}" "$log"; then
  echo "aot smoke: the publish reported trim or AOT warnings (above)" >&2
  exit 1
fi

echo "== starting the emulator"
emulator_project=src/Dataphin.OpenApi.Emulator/Dataphin.OpenApi.Emulator.csproj
dotnet build "$emulator_project" -nologo -v q -clp:NoSummary >/dev/null
emulator_dll="$(dotnet msbuild "$emulator_project" -getProperty:TargetPath)"
dotnet "$emulator_dll" --port 0 > "$emulator_log" 2>&1 &
emulator_pid=$!
endpoint=""
for _ in $(seq 1 120); do
  endpoint="$(sed -n 's/^ *endpoint: *//p' "$emulator_log")"
  [ -n "$endpoint" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$emulator_log"; echo "aot smoke: the emulator did not start" >&2; exit 1; }
  sleep 0.5
done
[ -n "$endpoint" ] || { cat "$emulator_log"; echo "aot smoke: the emulator printed no endpoint within 60 s" >&2; exit 1; }
echo "   emulator at $endpoint"

# The emulator's documented default AccessKey (README: "Testing your code: the Dataphin emulator").
ALIBABA_CLOUD_ACCESS_KEY_ID=testAccessKeyId ALIBABA_CLOUD_ACCESS_KEY_SECRET=testAccessKeySecret DATAPHIN_TENANT_ID=300001234 \
  "$out/Dataphin.OpenApi.AotSmoke" "$endpoint" samples
