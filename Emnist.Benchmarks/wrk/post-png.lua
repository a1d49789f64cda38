-- wrk script: POST the benchmark canvas PNG (written by `dotnet run -c Release --project Emnist.Benchmarks -- canvas-png FILE`).
-- Usage: PNG=/tmp/canvas.png wrk -t1 -c16 -d5s --latency -s Emnist.Benchmarks/wrk/post-png.lua http://127.0.0.1:5055/api/predict
local path = os.getenv("PNG") or "canvas.png"
local file = assert(io.open(path, "rb"), "cannot open " .. path)
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "image/png"
