-- wrk script: the point-in-time question for 焦作市 on a different date each request (any day
-- of 2015–2034, in a random order), so the server's memo of recent answers (kept per ledger tip,
-- see crates/web/src/state.rs) rarely holds the answer: this measures the query itself.
local days_in = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
math.randomseed(os.time())
request = function()
  local y = math.random(2015, 2034)
  local m = math.random(1, 12)
  local d = math.random(1, days_in[m])
  return wrk.format("GET", string.format("/api/v1/regions/410800/who?at=%04d-%02d-%02d", y, m, d))
end

response = function(status, _, body)
  if status ~= 200 and not reported then
    reported = true
    print("unexpected answer " .. status .. ": " .. body)
  end
end
