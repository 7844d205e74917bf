"""SnapStart in Swiftlet's Python runtime: a template that forks copies (loaded by bootstrap.py only in a template).

The platform starts a template like any environment, with `_SWIFTLET_TEMPLATE_FD` (the fork channel) and
`_SWIFTLET_SECCOMP_FD` (the filter every function process runs under, which copies stack on the template's).
Once the function's init and its before-snapshot hooks have run, the template says "T" and forks a copy for each
socket the platform sends. The protocol of a copy with its launcher is described in the launcher's snapstart.h:
the first child (C1) leaves the template's namespaces with one unshare, C2 becomes PID 1 of the copy and C3 its
runtime; both drop the capabilities their user namespace gave them, and C3 makes the template's shared mappings
private copies, before the launcher checks them from outside (function code ran in the template: the launcher
trusts none of this).
`become_template` returns in C3 only, with the copy's environment.
"""

import ctypes
import os
import select
import signal
import socket

# A user namespace of the copy's own, owning new mount, network, UTS, IPC and PID namespaces: the one call the
# template's seccomp filter allows (SWIFTLET_COPY_NAMESPACES in the launcher).
_COPY_NAMESPACES = 0x10000000 | 0x00020000 | 0x40000000 | 0x04000000 | 0x08000000 | 0x20000000
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_CAPABILITY_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
_libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_PROT_READ, _PROT_WRITE, _PROT_EXEC = 1, 2, 4
_MAP_PRIVATE, _MAP_FIXED, _MAP_ANONYMOUS = 0x02, 0x10, 0x20


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def read_filter(fd):
    """The functions' seccomp program (struct sock_filter[]), read before the function's code runs."""
    data = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    os.close(fd)
    return data


def _fail(what):
    raise OSError(ctypes.get_errno(), "%s: %s" % (what, os.strerror(ctypes.get_errno())))


def _drop_capabilities():
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    if _libc.capset(ctypes.byref(header), data) != 0:
        _fail("capset")


def _privatise_shared_mappings():
    """Every shared mapping the template made at init (`mmap.mmap(-1, n)` is one) becomes a private copy of its
    contents here, so that no copy sees another's later writes. The launcher checks that none is left."""
    with open("/proc/self/maps") as f:
        lines = f.read().splitlines()
    for line in lines:
        fields = line.split()
        perms = fields[1]
        if perms[3] != "s":
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        size = end - start
        prot = ((_PROT_READ if perms[0] == "r" else 0) | (_PROT_WRITE if perms[1] == "w" else 0)
                | (_PROT_EXEC if perms[2] == "x" else 0))
        if perms[0] != "r" and _libc.mprotect(start, size, _PROT_READ) != 0:
            _fail("mprotect")
        saved = ctypes.string_at(start, size)
        if _libc.mmap(start, size, _PROT_READ | _PROT_WRITE, _MAP_PRIVATE | _MAP_ANONYMOUS | _MAP_FIXED, -1, 0) != start:
            _fail("mmap")
        ctypes.memmove(start, saved, size)
        if _libc.mprotect(start, size, prot) != 0:
            _fail("mprotect")


def _install_filter(program):
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    if _libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        _fail("seccomp")


def become_template(fd, program, before_snapshot, flush):
    """Runs the before-snapshot hooks, says "T" and forks copies until the platform closes the channel."""
    before_snapshot()
    flush()
    channel = socket.socket(fileno=fd)
    # A copy's first process exits as soon as it forked the copy's PID 1: nobody waits for it.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    channel.sendall(b"T")
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(channel, 1, 1)
        except InterruptedError:
            continue
        if not message:
            os._exit(0)
        if not fds:
            continue
        pid = os.fork()
        if pid == 0:
            channel.close()
            return _copy(fds[0], program)
        for passed in fds:
            os.close(passed)


def _copy(fd, program):
    """C1: leaves the template; returns in C3 with the copy's environment."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    channel = socket.socket(fileno=fd)
    try:
        if _libc.unshare(_COPY_NAMESPACES) != 0:
            _fail("unshare")
        me = os.pidfd_open(os.getpid())
        socket.send_fds(channel, [b"U"], [me])
        os.close(me)
        message, fds, _, _ = socket.recv_fds(channel, 16, 1)
        if message != b"M" or not fds:
            os._exit(1)
    except OSError as e:
        try:
            channel.sendall(b"E" + str(e).encode())
        finally:
            os._exit(1)
    output = fds[0]
    if os.fork() != 0:
        os._exit(0)  # C1's part is done
    # C2, PID 1 of the copy: its output is the copy's, it keeps no capability, and it waits for the runtime.
    try:
        os.dup2(output, 1)
        os.dup2(output, 2)
        _drop_capabilities()
        runtime = os.fork()
    except OSError as e:
        channel.sendall(b"E" + str(e).encode())
        os._exit(1)
    if runtime == 0:
        return _runtime(channel, output, program)
    os.close(output)
    _reap(channel, runtime)


def _runtime(channel, output, program):
    """C3: confined like every function process, then given the copy's environment by its launcher."""
    try:
        os.close(output)
        null = os.open("/dev/null", os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        _privatise_shared_mappings()
        _drop_capabilities()
        _install_filter(program)
        init = os.pidfd_open(1)
        me = os.pidfd_open(os.getpid())
        socket.send_fds(channel, [b"R"], [init, me])
        os.close(init)
        os.close(me)
        data = b""
        while b"\n" not in data:
            chunk = channel.recv(65536)
            if not chunk:
                os._exit(1)
            data += chunk
        head, _, data = data.partition(b"\n")
        if not head.startswith(b"G"):
            os._exit(1)
        length = int(head[1:])
        while len(data) < length:
            chunk = channel.recv(65536)
            if not chunk:
                os._exit(1)
            data += chunk
    except OSError as e:
        try:
            channel.sendall(b"E" + str(e).encode())
        finally:
            os._exit(1)
    channel.close()
    environment = {}
    for entry in data[:length].split(b"\0"):
        name, sep, value = entry.partition(b"=")
        if sep:
            environment[os.fsdecode(name)] = os.fsdecode(value)
    return environment


def _reap(channel, runtime):
    """C2: reaps what ends up in the copy until the runtime exits, then says how ("X <code>") and exits, taking
    the copy's PID namespace along; exits at once when the launcher is gone. Never reads the channel (the runtime
    reads its environment there)."""
    poller = select.poll()
    poller.register(channel.fileno(), select.POLLRDHUP)
    runtime_fd = os.pidfd_open(runtime)
    poller.register(runtime_fd, select.POLLIN)
    while True:
        for fd, _ in poller.poll(1000):
            if fd == channel.fileno():
                os._exit(137)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid == 0:
                break
            if pid == runtime:
                code = os.waitstatus_to_exitcode(status)
                code = 128 - code if code < 0 else code
                try:
                    channel.sendall(b"X%d" % code)
                except OSError:
                    pass
                os._exit(code)
