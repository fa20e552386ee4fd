# Runs one solution on inputs the way the sandbox contract says; reads JSON on stdin, writes JSON.
import json, sys, time, traceback
sys.setrecursionlimit(3000)
req = json.load(sys.stdin)
ns = {'__name__': 'solution'}
out = {'status': 'ok', 'outcomes': []}
try:
    exec(compile(req['code'], 'solution.py', 'exec'), ns)
    entry = ns[req['entry']]
except Exception as e:
    print(json.dumps({'status': 'compile_error', 'outcomes': [], 'error': repr(e)}))
    sys.exit(0)
for i, inp in enumerate(req['inputs']):
    t = time.perf_counter()
    try:
        if 'args' in inp:
            v = entry(*inp['args'])
        else:
            calls = inp['calls']
            obj = entry(*calls[0][1])
            v = [None]
            for m, a in calls[1:]:
                v.append(getattr(obj, m)(*a))
        v = json.loads(json.dumps(v))
        out['outcomes'].append({'index': i, 'ok': True, 'value': v, 'ms': (time.perf_counter() - t) * 1000})
    except Exception as e:
        out['outcomes'].append({'index': i, 'ok': False, 'error': type(e).__name__ + ': ' + str(e), 'ms': (time.perf_counter() - t) * 1000})
print(json.dumps(out))
