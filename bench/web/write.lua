-- wrk script: each request adds a local duty to 焦作市 through the API, a write that appends a
-- versioned record and a hash-chained ledger entry under the global write lock.
local counter = 0
request = function()
  counter = counter + 1
  local body = string.format(
    '{"role":"deputy_eco","text":"负载测试责任 %d","basis":"bench/web/write.lua","reason":"load benchmark"}',
    counter)
  return wrk.format("POST", "/api/v1/regions/410800/local-duties",
    { ["Content-Type"] = "application/json" }, body)
end
