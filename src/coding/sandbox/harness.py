# The Python sandbox's harness, run once when a worker starts, before any candidate code.
# `_sandbox_harness()` returns (load, call, reset): the worker calls them with strings and gets
# JSON strings back, so no JavaScript object ever reaches Python. The harness has its own copy of
# the builtins and its own JSON encoder, so code that replaces json.dumps, print or a builtin
# changes nothing in what is reported.


def _sandbox_harness(value_bytes):
    import _json
    import builtins
    import gc
    import json
    import math
    import sys
    from operator import is_
    import time
    import traceback

    scan = json.JSONDecoder().scan_once  # the C scanner: no Python code a candidate could replace
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
        elif event == "sys.addaudithook":
            deny("Audit hooks are not allowed in the sandbox")
        elif event.startswith(blocked_events):
            deny(f"{event} is not allowed in the sandbox (no processes, network or file system)")

    # The bridge's modules and its import finder go (the worker has unregistered `js` and
    # `pyodide_js` already). Introspection may still find a function of theirs: the worker's
    # process is fenced in for that case.
    # Their classes stay reachable by introspection (object.__subclasses__() and a method's
    # __globals__), so the JavaScript objects and bridge functions in their namespaces are replaced
    # by a refusal first (asyncio's loop, which schedules through them, then refuses too).
    core = sys.modules.get("_pyodide_core")

    def refused(*args, **kwargs):
        raise RuntimeError("The sandbox has no JavaScript bridge (and no event loop)")

    def is_bridge(value):
        kind = type(value)
        if any(base.__name__ == "JsProxy" for base in kind.__mro__):
            return True
        return kind.__name__ == "builtin_function_or_method" and (getattr(value, "__self__", None) is core or getattr(value, "__module__", None) == "_pyodide_core")

    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "JsFinder"]
    for name in list(sys.modules):
        if name.split(".")[0] in blocked_top:
            module = sys.modules.pop(name)
            namespace = getattr(module, "__dict__", None) if type(module).__name__ == "module" else None
            if name != "_pyodide_core" and isinstance(namespace, dict):
                for key, value in list(namespace.items()):
                    if is_bridge(value):
                        namespace[key] = refused
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
    module_dicts = [
        (mod.__dict__, attrs, list(attrs), list(attrs.values()))
        for name, (mod, attrs) in saved_modules.items()
        if name != "sys" and is_instance(getattr(mod, "__dict__", None), dict)
    ]
    # The classes those modules define: a run could replace a method of one (collections.Counter's,
    # say) to watch the runs after it.
    # Checked after each run by the identity of their attributes (about 800 classes, 4 ms).
    saved_classes, seen = [], set()
    for name, (mod, attrs) in saved_modules.items():
        for value in attrs.values():
            if is_instance(value, type) and id(value) not in seen and getattr(value, "__module__", None) == name:
                seen.add(id(value))
                attrs = dict(value.__dict__)
                saved_classes.append((value, attrs, list(attrs), list(attrs.values())))
    saved_sys_keys = set(sys.__dict__)

    def unchanged(d, keys, values):
        """Whether d holds exactly these keys and values, by identity (no code of the candidate's runs)."""
        return len(d) == len(keys) and all(map(is_, d, keys)) and all(map(is_, d.values(), values))
    # Deeper Python recursion overflows the WebAssembly stack (measured: 20000 frames of a plain
    # function is a RecursionError, 30000 a crash); a higher limit is quietly lowered to this one.
    set_recursion_limit = sys.setrecursionlimit

    def capped_recursion_limit(limit):
        set_recursion_limit(min(limit, 15000))

    sys.setrecursionlimit = capped_recursion_limit
    saved_limit = sys.getrecursionlimit()
    sys_hooks = ("stdout", "stderr", "stdin", "displayhook", "excepthook", "unraisablehook", "breakpointhook", "path_hooks", "path_importer_cache")
    saved_sys = {name: getattr(sys, name) for name in sys_hooks if hasattr(sys, name)}
    saved_meta_path, saved_path = list(sys.meta_path), list(sys.path)
    state = {}

    encode_str = _json.encode_basestring_ascii
    float_repr, int_repr, join = float.__repr__, int.__repr__, "".join

    def encode(v, out, depth=0):
        """Appends v's JSON to out: None -> null, tuples and lists -> arrays, dicts -> objects, sets -> sorted arrays."""
        if depth > 500:
            raise ValueError("the return value is nested too deeply")
        t = type_of(v)
        if v is None:
            out.append("null")
        elif t is bool or is_instance(v, bool):
            out.append("true" if v is True or int_copy(v) else "false")
        elif is_instance(v, int):
            out.append(int_repr(int_copy(v)))
        elif is_instance(v, float):
            f = float_copy(v)
            out.append(float_repr(f) if is_finite(f) else "null")
        elif is_instance(v, str):
            out.append(encode_str(str_copy(v)))
        elif is_instance(v, (list, tuple, set, frozenset)):
            items = list(iterate(v))
            if is_instance(v, (set, frozenset)):
                try:
                    items = sorted(items)
                except TypeError:
                    pass
            out.append("[")
            for i, x in enumerate(items):
                if i:
                    out.append(",")
                encode(x, out, depth + 1)
            out.append("]")
        elif is_instance(v, dict):
            out.append("{")
            for i, (k, x) in enumerate(list(dict.items(v))):
                if i:
                    out.append(",")
                if is_instance(k, str):
                    out.append(encode_str(str_copy(k)))
                else:
                    key = []
                    encode(k, key, depth + 1)
                    out.append(encode_str(join(key)))
                out.append(":")
                encode(x, out, depth + 1)
            out.append("}")
        else:
            raise TypeError(f"returned a {t.__name__}, which cannot be sent back: return None, numbers, strings, lists, tuples or dicts")

    def to_json_text(v):
        out = []
        encode(v, out)
        return join(out)

    def explain(e):
        """The exception as Python prints it, with the candidate's frames only; builtins are put back while it is formatted."""
        user_builtins = dict(builtins.__dict__)
        real = builtins.__dict__
        real.clear()
        real.update(saved_builtins)
        try:
            frames = [f for f in extract_tb(e.__traceback__) if f.filename == "<solution>"]
            text = join(format_list(frames[-5:])) + join(format_exception_only(e))
        except base_exception:
            text = type_of(e).__name__
        finally:
            real.clear()
            real.update(user_builtins)
        return text.strip()[-4000:]

    def message(obj):
        return "{" + ",".join([encode_str(k) + ":" + to_json_text(v) for k, v in obj.items()]) + "}"

    def load(code, entry):
        state.clear()
        namespace = {"__name__": "__main__", "__builtins__": builtins}
        try:
            compiled = compile(code, "<solution>", "exec")
        except SyntaxError as e:
            return message({"status": "compile_error", "error": "".join(format_exception_only(e)).strip()})
        except memory_error:
            return message({"status": "memory"})
        try:
            exec(compiled, namespace)
        except memory_error:
            return message({"status": "memory"})
        except base_exception as e:
            return message({"status": "compile_error", "error": explain(e)})
        target = namespace.get(entry)
        if not callable(target):
            return message({"status": "compile_error", "error": f"Your code has no function or class named {entry}."})
        state["target"] = target
        return message({"status": "ok"})

    def call(input_json):
        target = state["target"]
        test = scan(input_json, 0)[0]
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
            text = join(['{"ok":true,"ms":', float_repr(ms), ',"value":', to_json_text(value), "}"])
            if len(text) > value_bytes:
                return message({"ok": False, "error": f"The return value is too large (over {value_bytes} bytes as JSON).", "ms": ms})
            return text
        except memory_error:
            return message({"memory": True})
        except base_exception as e:
            return message({"ok": False, "error": explain(e), "ms": (now() - t0) * 1000})

    def reset():
        """Puts back what a run may have changed, so the next run (maybe someone else's) starts clean."""
        state.clear()
        set_recursion_limit(saved_limit)
        sys.settrace(None)
        sys.setprofile(None)
        for tool in range(6):
            try:
                sys.monitoring.free_tool_id(tool)
            except base_exception:
                pass
        for name, value in saved_sys.items():
            setattr(sys, name, value)
        sys.meta_path[:] = saved_meta_path
        sys.path[:] = saved_path
        for name in [n for n in sys.modules if n not in saved_modules]:
            del sys.modules[name]
        for name, (mod, attrs) in saved_modules.items():
            sys.modules[name] = mod
        for d, attrs, keys, values in module_dicts:  # builtins among them
            if not unchanged(d, keys, values):
                d.clear()
                d.update(attrs)
        for key in [k for k in sys.__dict__ if k not in saved_sys_keys]:
            delattr(sys, key)
        gc.callbacks.clear()
        for cls, attrs, keys, values in saved_classes:
            current = cls.__dict__
            if unchanged(current, keys, values):
                continue
            for key in [k for k in current if k not in attrs]:
                try:
                    delattr(cls, key)
                except base_exception:
                    pass
            for key, value in attrs.items():
                if current.get(key) is not value:
                    try:
                        setattr(cls, key, value)
                    except base_exception:
                        pass

    return load, call, reset


def _with_own_builtins(function):
    """The harness gets a copy of the builtins as they are now: a candidate replacing one later changes nothing here."""
    import builtins
    import types

    own = {"__builtins__": dict(builtins.__dict__), "__name__": "sandbox_harness"}
    return types.FunctionType(function.__code__, own, function.__name__, function.__defaults__)


_sandbox_harness = _with_own_builtins(_sandbox_harness)
del _with_own_builtins
