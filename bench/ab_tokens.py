#!/usr/bin/env python3
"""A/B of two builds on the token routes: python3 bench/ab_tokens.py <MySecureApi.dll A> <MySecureApi.dll B>
Starts the benchmark's local issuer (HTTPS on 443, as run.py does) and both builds (Production, rate limiting off),
warms them up, then alternates 8 s of wrk -t2 -c16 on each for /api/admin and /api/private (one token reused) and
prints requests per CPU-second of each server per round. For a regression check between commits: build each in its
own worktree (dotnet build -c Release) and pass both dlls; bench/ab.sh does the same for anonymous routes.
"""
import os, shutil, statistics, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as r
dll_a, dll_b = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp()
r.make_certs(work)
issuer = subprocess.Popen(["node", f"{r.HERE}/tools/issuer.mjs", work, "443", r.AUDIENCE, "100", "0"], cwd=f"{r.HERE}/tools", stdout=subprocess.PIPE, text=True)
assert issuer.stdout.readline().strip() == "issuer ready"
env = {"AUTH0_DOMAIN": "localhost", "AUTH0_AUDIENCE": r.AUDIENCE, "SSL_CERT_FILE": f"{work}/ca.crt", "ASPNETCORE_ENVIRONMENT": "Production",
       "Logging__LogLevel__Default": "Warning", "DOTNET_TieredPGO": "1", "RateLimiting__Enabled": "false"}
servers = [r.Server(f"MySecureApi-{n}", ["dotnet", dll], {**env, "Database__SqlitePath": f"{work}/{n}.db"}, r.ROOT) for n, dll in (("A", dll_a), ("B", dll_b))]
try:
    for path, tokens in (("/api/admin", "token-admin.txt"), ("/api/private", "token-one.txt")):
        for s in servers:
            r.wrk(s, path, tokens, 3, work)
        per = {0: [], 1: []}
        for _ in range(4):
            for i, s in enumerate(servers):
                per[i].append(r.per_cpu(r.wrk(s, path, tokens, 8, work)))
        print(path, "A", [round(x) for x in per[0]], "median", round(statistics.median(per[0])), "| B", [round(x) for x in per[1]], "median", round(statistics.median(per[1])))
finally:
    for s in servers:
        s.stop()
    issuer.kill()
    shutil.rmtree(work, ignore_errors=True)
