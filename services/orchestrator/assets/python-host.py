"""The orchestrator's warm Python: runs each `.py` client script in a fork of this interpreter.

Starting an interpreter costs 10-60 ms of CPU per task (most of it `site` and the `.pth` files of its
site-packages); this process pays it once, then forks per task. The child becomes what `python3 script.py`
would be: its own session and process group, the script's folder as working directory and sys.path[0], the
task's environment, sys.argv = [script], stdin /dev/null, stdout and stderr to pipes read here (their tails are
reported), the script run as __main__, then SystemExit/exception handling, non-daemon threads joined, atexit
functions run and the streams flushed as at interpreter exit.

Requests arrive as JSON lines on stdin, replies leave as JSON lines on stdout (the protocol of the orchestrator's
host-protocol.ts). When stdin closes (the orchestrator stopped or died) every script's process group is killed and
this process exits. Single-threaded on purpose: it forks.

A few standard-library modules that conversion scripts commonly use are imported here once (PRELOADED), so a
script's `import csv` costs nothing; as a consequence a file of the script's folder named like one of them (e.g. a
local `csv.py`) is not imported in its place.
"""

import errno
import gc
import json
import os
import selectors
import signal
import sys
import time

READ_CHUNK = 65536
PRELOADED = ("csv", "datetime", "decimal", "json", "logging", "pathlib", "re")
# The host starts with the environment the orchestrator passes to every script (plus what the interpreter adds).
STARTUP_ENV = dict(os.environ)


class Task:
    def __init__(self, request, pid, out_fd, err_fd):
        self.id = request["id"]
        self.pid = pid
        self.tail_bytes = max(0, int(request.get("tailBytes", 4096)))
        self.deadline = time.monotonic() + request["timeoutMs"] / 1000.0
        self.started = time.monotonic()
        self.streams = {"out": bytearray(), "err": bytearray()}
        self.which = {out_fd: "out", err_fd: "err"}
        self.out_fd = out_fd
        self.err_fd = err_fd
        self.status = None
        self.timed_out = False

    def keep(self, fd, data):
        if self.tail_bytes == 0:
            return
        buffer = self.streams[self.which[fd]]
        buffer += data
        if len(buffer) > 2 * self.tail_bytes:
            del buffer[: len(buffer) - self.tail_bytes]

    def tail(self, name):
        data = bytes(self.streams[name][-self.tail_bytes :]) if self.tail_bytes else b""
        return data.decode("utf-8", "replace")

    def finished(self):
        return self.status is not None and not self.streams_open()

    def streams_open(self):
        return self.out_fd is not None or self.err_fd is not None


def send(message):
    data = (json.dumps(message) + "\n").encode("utf-8")
    while data:
        written = os.write(1, data)
        data = data[written:]


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def exit_code(status):
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return 1


# Compiled scripts, by path: (mtime, size, inode) of the compiled version, code. Compiling here once saves each
# child the work (and the memory pages it would copy to do it).
compiled_scripts = {}


def compiled(script):
    """The script's code, compiled once per version; None lets the child compile it (and report its errors)."""
    try:
        info = os.stat(script)
        version = (info.st_mtime_ns, info.st_size, info.st_ino)
        known = compiled_scripts.get(script)
        if known is not None and known[0] == version:
            return known[1]
        with open(script, "rb") as source:
            code = compile(source.read(), script, "exec", dont_inherit=True)
    except BaseException:
        return None
    compiled_scripts[script] = (version, code)
    return code


def run_child(request, code, out_w, err_w):
    """In the forked child: become the script's process, run it, and never return."""
    status = 1
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        # Every other descriptor of the host (its request and reply pipes, other tasks' pipes) is closed.
        os.closerange(3, 65536)
        script = request["command"]
        os.chdir(request["cwd"])
        # What the interpreter itself added at its start (e.g. LC_CTYPE by locale coercion) stays, as in a fresh one.
        os.environ.clear()
        os.environ.update(STARTUP_ENV)
        os.environ.update(request["env"])
        sys.argv = [script] + list(request.get("args", []))
        sys.path[0] = os.path.dirname(script)
        status = run_script(script, code)
    except BaseException:
        try:
            import traceback

            traceback.print_exc()
        except BaseException:
            pass
    finally:
        os._exit(status)


def run_script(script, code):
    import builtins
    import types

    main = types.ModuleType("__main__")
    main.__file__ = script
    main.__builtins__ = builtins
    main.__cached__ = None
    sys.modules["__main__"] = main
    status = 0
    if code is None:
        try:
            with open(script, "rb") as source:
                text = source.read()
        except OSError as error:
            # As the interpreter reports a script it cannot open.
            print("%s: can't open file %r: [Errno %s] %s" % (sys.executable, script, error.errno, error.strerror),
                  file=sys.stderr)
            return finish_like_interpreter(2)
    try:
        if code is None:
            code = compile(text, script, "exec", dont_inherit=True)
        exec(code, main.__dict__)
    except SystemExit as error:
        status = system_exit_code(error)
    except BaseException:
        kind, value, trace = sys.exc_info()
        # The traceback starts at the script, as with `python3 script.py`.
        trace = trace.tb_next if trace is not None else None
        if value is not None:
            value = value.with_traceback(trace)
        sys.excepthook(kind, value, trace)
        status = 1
    return finish_like_interpreter(status)


def system_exit_code(error):
    value = error.code
    if value is None:
        return 0
    if isinstance(value, int):
        return value & 0xFF
    try:
        print(value, file=sys.stderr)
    except BaseException:
        pass
    return 1


def finish_like_interpreter(code):
    threading = sys.modules.get("threading")
    try:
        if threading is not None and hasattr(threading, "_shutdown"):
            threading._shutdown()
    except SystemExit as error:
        code = system_exit_code(error)
    except BaseException:
        pass
    try:
        import atexit

        atexit._run_exitfuncs()
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BaseException:
            code = code or 120
    return code


def main():
    tasks = {}
    by_fd = {}
    selector = selectors.DefaultSelector()

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector.register(wake_r, selectors.EVENT_READ, "wake")
    os.set_blocking(0, False)
    selector.register(0, selectors.EVENT_READ, "requests")
    pending_input = b""

    def start(request):
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        code = compiled(request["command"])
        pid = os.fork()
        if pid == 0:
            run_child(request, code, out_w, err_w)
        os.close(out_w)
        os.close(err_w)
        task = Task(request, pid, out_r, err_r)
        tasks[pid] = task
        for fd in (out_r, err_r):
            os.set_blocking(fd, False)
            by_fd[fd] = task
            selector.register(fd, selectors.EVENT_READ, "output")
        send({"type": "started", "id": task.id, "pid": pid})

    def close_stream(task, fd):
        selector.unregister(fd)
        os.close(fd)
        del by_fd[fd]
        if fd == task.out_fd:
            task.out_fd = None
        else:
            task.err_fd = None

    def report(task):
        del tasks[task.pid]
        send(
            {
                "type": "done",
                "id": task.id,
                "exitCode": exit_code(task.status),
                "timedOut": task.timed_out,
                "durationMs": (time.monotonic() - task.started) * 1000.0,
                "stdout": task.tail("out"),
                "stderr": task.tail("err"),
            }
        )

    def reap():
        while tasks:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            task = tasks.get(pid)
            if task is None:
                continue
            task.status = status
            # Grandchildren left behind by a finished script go with it (and release the pipes they hold).
            kill_group(pid)
            if task.finished():
                report(task)

    def shutdown():
        for pid in list(tasks):
            kill_group(pid)
        os._exit(0)

    for name in PRELOADED:
        try:
            __import__(name)
        except Exception:
            pass
    # What exists now is never collected in a child: its pages stay shared instead of being copied by the collector.
    if hasattr(gc, "freeze"):
        gc.freeze()
    send({"type": "ready", "pid": os.getpid(), "version": sys.version.split()[0]})
    while True:
        now = time.monotonic()
        timeout = None
        for task in tasks.values():
            if task.status is None and not task.timed_out:
                left = max(0.0, task.deadline - now)
                timeout = left if timeout is None else min(timeout, left)
        for key, _ in selector.select(timeout):
            if key.data == "wake":
                try:
                    while os.read(wake_r, 512):
                        pass
                except OSError:
                    pass
                reap()
            elif key.data == "requests":
                try:
                    chunk = os.read(0, READ_CHUNK)
                except BlockingIOError:
                    continue
                if not chunk:
                    shutdown()
                pending_input += chunk
                while b"\n" in pending_input:
                    line, pending_input = pending_input.split(b"\n", 1)
                    if line.strip():
                        start(json.loads(line))
            else:
                task = by_fd.get(key.fd)
                if task is None:
                    continue
                try:
                    data = os.read(key.fd, READ_CHUNK)
                except BlockingIOError:
                    continue
                except OSError as error:
                    if error.errno != errno.EINTR:
                        data = b""
                    else:
                        continue
                if data:
                    task.keep(key.fd, data)
                else:
                    close_stream(task, key.fd)
                    if task.finished():
                        report(task)
        reap()
        now = time.monotonic()
        for task in list(tasks.values()):
            if task.status is None and not task.timed_out and now >= task.deadline:
                task.timed_out = True
                kill_group(task.pid)


if __name__ == "__main__":
    main()
