# The Python sandbox's harness, run once when a worker starts, before any candidate code.
# `_sandbox_harness()` returns (load, call, reset): the worker calls them with strings and gets
# JSON strings back, so no JavaScript object ever reaches Python. Everything they use is bound
# here, so code that replaces json.dumps, print or a builtin changes nothing in what is reported.


def _sandbox_harness(value_bytes):
    import builtins
    import json
    import math
    import sys
    import time
    import traceback

    dumps, loads = json.dumps, json.loads
    now = time.perf_counter
    extract_tb, format_list, format_exception_only = traceback.extract_tb, traceback.format_list, traceback.format_exception_only
    is_instance, type_of, iterate = isinstance, type, iter
    base_exception, memory_error = BaseException, MemoryError
    is_finite = math.isfinite
    str_copy, int_copy, float_copy = str.__str__, int.__int__, float.__float__

    # Modules that reach the JavaScript world (pyodide's FFI) or raw memory.
    blocked_top = {"js", "pyodide_js", "pyodide", "_pyodide", "_pyodide_core", "ctypes", "_ctypes", "micropip"}
    blocked_events = ("os.system", "os.exec", "os.spawn", "os.posix_spawn", "os.fork", "os.forkpty", "os.kill", "os.killpg",
                      "subprocess.", "socket.", "urllib.", "http.client.", "ctypes.", "gc.get_", "sys._current_frames",
                      "sys.remote_exec", "webbrowser.", "os.chdir", "os.putenv", "shutil.", "os.rmdir", "os.remove",
                      "os.rename", "os.mkdir", "os.symlink", "os.link")

    def deny(message):
        raise PermissionError(message)

    def audit(event, args):
        if event == "import":
            name = args[0] if args and is_instance(args[0], str) else ""
            if name.split(".")[0] in blocked_top:
                raise ImportError(f"No module named {name!r} (the sandbox has no JavaScript bridge)")
        elif event == "open":
            path, mode, flags = (list(args) + [None, None, 0])[:3]
            writes = (is_instance(mode, str) and any(c in mode for c in "wax+")) or (is_instance(flags, int) and flags & write_flags)
            allowed = ("/tmp/",) if writes else ("/lib/", "/tmp/")
            if not (type_of(path) is str and path.startswith(allowed)):
                deny("The sandbox has no file system: reading or writing files is not allowed")
        elif event.startswith(blocked_events):
            deny(f"{event} is not allowed in the sandbox (no processes, network or file system)")

    # The bridge's modules and its import finder go (the worker has unregistered `js` and
    # `pyodide_js` already). Introspection may still find a function of theirs: the worker's
    # process is fenced in for that case.
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "JsFinder"]
    for name in list(sys.modules):
        if name.split(".")[0] in blocked_top:
            del sys.modules[name]
    # Built-in and extension modules can be made without the import machinery (and its audit
    # event): only stdlib extensions, and none of the bridge's.
    import _imp
    import os
    import types

    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    create_builtin, create_dynamic, namespace_of = _imp.create_builtin, _imp.create_dynamic, types.SimpleNamespace

    def checked_spec(spec, dynamic):
        name, origin = getattr(spec, "name", None), getattr(spec, "origin", None)
        if type_of(name) is not str or name.split(".")[0] in blocked_top:
            raise ImportError(f"No module named {name!r} (the sandbox has no JavaScript bridge)")
        if dynamic and not (type_of(origin) is str and origin.startswith("/lib/python")):
            raise ImportError("Loading native extensions is not allowed in the sandbox")
        return namespace_of(name=name, origin=origin)

    _imp.create_builtin = lambda spec: create_builtin(checked_spec(spec, False))
    _imp.create_dynamic = lambda spec, file=None: create_dynamic(checked_spec(spec, True))
    sys.addaudithook(audit)  # cannot be removed: it outlives anything the candidate's code does

    saved_builtins = dict(builtins.__dict__)
    saved_modules = {name: (mod, dict(getattr(mod, "__dict__", {}))) for name, mod in list(sys.modules.items())}
    saved_limit = sys.getrecursionlimit()
    state = {}

    def to_json(v, depth=0):
        if depth > 500:
            raise ValueError("the return value is nested too deeply")
        t = type_of(v)
        if v is None or t is bool:
            return v
        if is_instance(v, bool):
            return bool(int_copy(v))
        if is_instance(v, int):
            return int_copy(v)
        if is_instance(v, float):
            f = float_copy(v)
            return f if is_finite(f) else None
        if is_instance(v, str):
            return str_copy(v)
        if is_instance(v, (list, tuple)):
            return [to_json(x, depth + 1) for x in iterate(v)]
        if is_instance(v, dict):
            out = {}
            for k, x in v.items():
                key = str_copy(k) if is_instance(k, str) else dumps(to_json(k, depth + 1))
                out[key] = to_json(x, depth + 1)
            return out
        if is_instance(v, (set, frozenset)):
            items = [to_json(x, depth + 1) for x in iterate(v)]
            try:
                return sorted(items)
            except TypeError:
                return items
        raise TypeError(f"returned a {t.__name__}, which cannot be sent back: return None, numbers, strings, lists, tuples or dicts")

    def explain(e):
        frames = [f for f in extract_tb(e.__traceback__) if f.filename == "<solution>"]
        text = "".join(format_list(frames[-5:])) + "".join(format_exception_only(e))
        return text.strip()[-4000:]

    def load(code, entry):
        state.clear()
        namespace = {"__name__": "__main__", "__builtins__": builtins}
        try:
            compiled = compile(code, "<solution>", "exec")
        except SyntaxError as e:
            return dumps({"status": "compile_error", "error": "".join(format_exception_only(e)).strip()})
        except memory_error:
            return dumps({"status": "memory"})
        try:
            exec(compiled, namespace)
        except memory_error:
            return dumps({"status": "memory"})
        except base_exception as e:
            return dumps({"status": "compile_error", "error": explain(e)})
        target = namespace.get(entry)
        if not callable(target):
            return dumps({"status": "compile_error", "error": f"Your code has no function or class named {entry}."})
        state["target"] = target
        return dumps({"status": "ok"})

    def call(input_json):
        target = state["target"]
        test = loads(input_json)
        t0 = now()
        try:
            if "calls" in test:
                steps = test["calls"]
                instance = target(*steps[0][1])
                value = [None]
                for method, args in steps[1:]:
                    value.append(getattr(instance, method)(*args))
            else:
                value = target(*test["args"])
            ms = (now() - t0) * 1000
            text = dumps({"ok": True, "value": to_json(value), "ms": ms})
            if len(text) > value_bytes:
                return dumps({"ok": False, "error": f"The return value is too large (over {value_bytes} bytes as JSON).", "ms": ms})
            return text
        except memory_error:
            return dumps({"memory": True})
        except base_exception as e:
            return dumps({"ok": False, "error": explain(e), "ms": (now() - t0) * 1000})

    def reset():
        """Puts back what a run may have changed, so the next run (maybe someone else's) starts clean."""
        state.clear()
        sys.setrecursionlimit(saved_limit)
        current = builtins.__dict__
        for key in [k for k in current if k not in saved_builtins]:
            del current[key]
        current.update(saved_builtins)
        for name in [n for n in sys.modules if n not in saved_modules]:
            del sys.modules[name]
        for name, (mod, attrs) in saved_modules.items():
            sys.modules[name] = mod
            d = getattr(mod, "__dict__", None)
            if d is not None and name != "sys":
                for key in [k for k in d if k not in attrs]:
                    del d[key]
                d.update(attrs)

    return load, call, reset
