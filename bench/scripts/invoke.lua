-- The same call through Conduit: POST /api/connected-systems/{name}/invoke as user alice (HTTP Basic).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. (os.getenv("CONDUIT_BASIC") or "YWxpY2U6YWxpY2UtcGFzcw==")
wrk.body = '{"method":"GET","path":"/hello","headers":{"Accept":"application/json"}}'

local failures = 0
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"status":200', 1, true) then
    failures = failures + 1
    if failures <= 3 then
      io.stderr:write("unexpected answer " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
    end
  end
end
