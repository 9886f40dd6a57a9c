"""Run a command and report its wall time and the peak RSS of the largest process it started
(RUSAGE_CHILDREN's ru_maxrss: the command and every descendant it waited for)."""
import json
import resource
import subprocess
import sys
import time

t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    'code': p.returncode,
    'wallMs': wall * 1000,
    'peakRssBytes': ru.ru_maxrss * 1024,
    'cpuMs': (ru.ru_utime + ru.ru_stime) * 1000,
    'stdout': p.stdout.decode(errors='replace'),
    'stderr': p.stderr.decode(errors='replace')[-4000:],
}))
