-- wrk script: each request adds a local duty to 焦作市 through the API, a write that appends a
-- versioned record and a hash-chained ledger entry under the global write lock.
-- wrk.format replaces the -H headers (the API token) when given a table: copy them in.
local counter = 0
request = function()
  local headers = { ["Content-Type"] = "application/json" }
  for k, v in pairs(wrk.headers) do headers[k] = v end
  counter = counter + 1
  local body = string.format(
    '{"role":"deputy_eco","text":"负载测试责任 %d","basis":"bench/web/write.lua","reason":"load benchmark"}',
    counter)
  return wrk.format("POST", "/api/v1/regions/410800/local-duties", headers, body)
end

-- Any answer but 201 Created is printed once, so a failing run says why.
response = function(status, _, body)
  if status ~= 201 and not reported then
    reported = true
    print("unexpected answer " .. status .. ": " .. body)
  end
end
