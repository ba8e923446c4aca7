-- A GET as user alice (HTTP Basic): Conduit's proxy, or the streaming floor. An answer other than 200 is a failure.
wrk.method = "GET"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. (os.getenv("CONDUIT_BASIC") or "YWxpY2U6YWxpY2UtcGFzcw==")

local failures = 0
function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    if failures <= 3 then
      io.stderr:write("unexpected answer " .. status .. ": " .. string.sub(body, 1, 200) .. "\n")
    end
  end
end
