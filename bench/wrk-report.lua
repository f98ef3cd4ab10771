-- A bench scenario's request for wrk, read from the environment (bench/wrk-load.ts sets it), and
-- what wrk's own report leaves out: the answers by status, and the whole latency histogram.
--   BENCH_METHOD, BENCH_BODY, BENCH_HEADERS ("name\tvalue\n" each)
--   BENCH_UNIQUE: when set, every request's body has each "[<id>]" replaced by
--   "<BENCH_UNIQUE>-<thread>-<n>", so that rows which must differ do.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then wrk.body = body end
for name, value in string.gmatch(os.getenv("BENCH_HEADERS") or "", "([^\t\n]+)\t([^\n]*)\n") do
  wrk.headers[name] = value
end

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  sent = 0
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local unique = os.getenv("BENCH_UNIQUE")
if unique and unique ~= "" then
  local marker = "[<id>]"
  -- A plain replacement: string.gsub would read the marker and the id as patterns.
  local function replaced(text, by)
    local parts, from = {}, 1
    while true do
      local first, last = string.find(text, marker, from, true)
      if not first then break end
      parts[#parts + 1] = string.sub(text, from, first - 1)
      parts[#parts + 1] = by
      from = last + 1
    end
    parts[#parts + 1] = string.sub(text, from)
    return table.concat(parts)
  end
  function request()
    sent = sent + 1
    local id = unique .. "-" .. thread_number .. "-" .. sent
    return wrk.format(nil, nil, nil, replaced(wrk.body or "", id))
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH-SUMMARY %d %d %d %d %d %d\n", summary.duration,
    summary.requests, e.connect, e.read, e.write, e.timeout))
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      io.write(string.format("BENCH-STATUS %d %d\n", status, n))
    end
  end
  -- latency(i): the i-th distinct latency in microseconds, and how many answers took it.
  for i = 1, #latency do
    local value, count = latency(i)
    io.write(string.format("BENCH-LATENCY %d %d\n", value, count))
  end
end
