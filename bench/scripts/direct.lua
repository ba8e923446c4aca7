-- The direct call of figure 4: what an application does with a token in hand.
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer bench-token-direct"
wrk.headers["Accept"] = "application/json"
