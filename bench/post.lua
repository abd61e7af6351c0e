-- wrk script: POST /api/v1/statuses with a different short status each
-- time (the token comes from the environment, BENCH_TOKEN).
-- Usage: BENCH_TOKEN=… wrk -t2 -c4 -d10s -s bench/post.lua http://127.0.0.1:18080
local counter = 0
local token = os.getenv("BENCH_TOKEN")
function request()
  counter = counter + 1
  local body = "status=wrk+post+" .. counter .. "+from+thread+" .. tostring(math.random(1, 1000000000)) .. "&visibility=public"
  return wrk.format("POST", "/api/v1/statuses", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
