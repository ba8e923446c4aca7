-- A JSON-envelope call ({method, path, headers}) as user alice (HTTP Basic): Conduit's invoke, or the JSON floor.
-- CALL_PATH is the resource path (default /kib); an answer that is not a 200 wrapping a 200 counts as a failure.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. (os.getenv("CONDUIT_BASIC") or "YWxpY2U6YWxpY2UtcGFzcw==")
wrk.body = '{"method":"GET","path":"' .. (os.getenv("CALL_PATH") or "/kib") .. '","headers":{"Accept":"application/json"}}'

local failures = 0
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"status":200', 1, true) then
    failures = failures + 1
    if failures <= 3 then
      io.stderr:write("unexpected answer " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
    end
  end
end
