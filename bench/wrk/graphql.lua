-- POST GraphQL bodies to /graphql with wrk, cycling through a file of request bodies.
--
--   BENCH_BODIES=bodies.jsonl BENCH_TOKEN=eyJ... BENCH_OUT=out.json \
--     wrk -t2 -c32 -d10s -s bench/wrk/graphql.lua http://127.0.0.1:8000/graphql
--
-- BENCH_BODIES: one JSON request body ({"query": ..., "variables": ...}) per line; each wrk
--   thread starts at its own offset, so varied bodies (e.g. price quotes of random
--   configurations) spread over the connections. A file of one line repeats one request.
-- BENCH_TOKEN:  optional bearer token (sent as Authorization).
-- BENCH_OUT:    optional path; done() writes the summary there as JSON (latencies in us).

local bodies_path = os.getenv("BENCH_BODIES")
local token = os.getenv("BENCH_TOKEN")
local out_path = os.getenv("BENCH_OUT")

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local requests = {}
local position = 1

function init(args)
  local path = wrk.path
  if path == nil or path == "" or path == "/" then
    path = "/graphql"
  end
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
  }
  if token ~= nil and token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  local file = assert(io.open(bodies_path, "r"), "BENCH_BODIES: cannot open " .. tostring(bodies_path))
  for line in file:lines() do
    if line ~= "" then
      -- Formatted once: request() only hands out prepared strings.
      table.insert(requests, wrk.format("POST", path, headers, line))
    end
  end
  file:close()
  assert(#requests > 0, "BENCH_BODIES is empty")
  local id = tonumber(id) or 0
  position = (id * 7919) % #requests + 1
end

function request()
  local r = requests[position]
  position = position + 1
  if position > #requests then
    position = 1
  end
  return r
end

function done(summary, latency, requests)
  if out_path == nil or out_path == "" then
    return
  end
  local e = summary.errors
  local file = assert(io.open(out_path, "w"))
  file:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d, "p999": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9)))
  file:close()
end
