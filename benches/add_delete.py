#!/usr/bin/env python3
"""Time from writing a new page to `rapport serve` serving it, and from deleting
it to a 404, five rounds, on a generated corpus (../shared/bench/gen_corpus.py).
Usage: benches/add_delete.py SITE_ROOT RAPPORT_BINARY (the site is modified; use a copy)."""
import subprocess, time, urllib.request, os, sys, statistics
root, port, binary = sys.argv[1], 18999, sys.argv[2]
p = subprocess.Popen([binary, "--root", root, "serve", "--port", str(port)], stderr=open("/tmp/addprobe.log", "w"))
def get(path):
    try:
        r = urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30); return r.status, r.read().decode()
    except Exception as e:
        return getattr(e, "code", 0), ""
t0 = time.time()
while get("/")[0] != 200: time.sleep(0.05)
print("startup", round(time.time() - t0, 2), "s")
sections = sorted(d for d in os.listdir(os.path.join(root, "content")) if os.path.isdir(os.path.join(root, "content", d)))
sec = sections[0]
adds, dels = [], []
for i in range(5):
    name = f"probe-page-{i}"
    path = os.path.join(root, "content", sec, name + ".md")
    t = time.time()
    open(path, "w").write(f"+++\ntitle = \"Probe {i}\"\n+++\nProbe body {i}.\n")
    while True:
        st, body = get(f"/{sec}/{name}/")
        if st == 200 and f"Probe body {i}." in body: break
        time.sleep(0.002)
    adds.append((time.time() - t) * 1000)
    time.sleep(1.5)
    t = time.time()
    os.remove(path)
    while get(f"/{sec}/{name}/")[0] != 404: time.sleep(0.002)
    dels.append((time.time() - t) * 1000)
    time.sleep(1.5)
print("add ms", [round(x) for x in adds], "median", round(statistics.median(adds)))
print("delete ms", [round(x) for x in dels], "median", round(statistics.median(dels)))
p.kill()
