"""GET /api/credits/balance/simple every 20 ms until stdin closes; prints the latencies (ms) as
JSON. A process of its own, so the bench's other threads do not delay its clock."""
import http.client
import json
import sys
import threading
import time
import urllib.parse

url, token = sys.argv[1], sys.argv[2]
u = urllib.parse.urlparse(url)
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
ms = []
while not done.is_set():
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    t = time.perf_counter()
    c.request("GET", "/api/credits/balance/simple", headers={"Authorization": f"Bearer {token}"})
    body = c.getresponse().read()
    ms.append((time.perf_counter() - t) * 1000)
    c.close()
    if json.loads(body).get("code") != 0:
        sys.exit(f"credits: {body[:200]!r}")
    time.sleep(0.02)
print(json.dumps(ms))
