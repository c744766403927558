-- wrk script of scripts/gateway-benchmark: every request POSTs the same chat
-- request. BENCH_BODY names the JSON file to send; BENCH_AUTH, when set, is the
-- Authorization header's value (only the LiteLLM run needs one).
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.body = file:read("*a")
file:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
    wrk.headers["Authorization"] = auth
end
