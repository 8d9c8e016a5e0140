-- wrk script: BENCH_METHOD (default GET) <path> with "Authorization: Bearer <token>", cycling through the lines of
-- TOKENS_FILE (or none), with BENCH_BODY as a JSON body when set, BENCH_HEADER ("Name: value") as one more header when
-- set, and a JSON summary line: requests, non-2xx, p50/p99 in ms.
local tokens = {}
local counter = 0
non2xx = 0
local threads = {}

function setup(thread) table.insert(threads, thread) end

function init(args)
  local file = os.getenv("TOKENS_FILE")
  if file and file ~= "" then
    for line in io.lines(file) do if #line > 0 then table.insert(tokens, line) end end
  end
  counter = math.random(1, 100000)
end

function request()
  counter = counter + 1
  local headers = {}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1] end
  local body = os.getenv("BENCH_BODY")
  if body and body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
  local extra = os.getenv("BENCH_HEADER")
  if extra and extra ~= "" then
    local name, value = extra:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  return wrk.format(os.getenv("BENCH_METHOD") or "GET", os.getenv("BENCH_PATH"), headers, body)
end

function response(status, headers, body) if status < 200 or status > 299 then non2xx = non2xx + 1 end end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  io.write(string.format('BENCH {"requests":%d,"non2xx":%d,"p50":%.3f,"p99":%.3f,"errors":%d}\n',
    summary.requests, bad, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
