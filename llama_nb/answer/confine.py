"""The policy a forked child installs on itself before a candidate fix runs (sandbox.py forks it).

In order: its descriptors (only its pipes stay; stdout/stderr to the output pipe), private copies of shared
mappings, its streams, display and ``input()``, rlimits, Landlock (no file-system write), no capabilities,
an audit hook that only names effects, and last the seccomp-BPF allow-list. Each function runs in the child
only; none may be called in the kernel.
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import sys
from typing import Any, Callable


def landlock_abi() -> int:
    """The Landlock ABI this kernel offers (0 when none)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        version = libc.syscall(444, None, 0, 1)  # landlock_create_ruleset(NULL, 0, VERSION)
        return max(0, int(version))
    except Exception:
        return 0


def detach_descriptors(result_w: int, output_w: int) -> None:
    """Only our pipes stay open: stdout and stderr go to the output pipe, stdin reads /dev/null."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_w, 1)
    os.dup2(output_w, 2)
    keep = {0, 1, 2, result_w}
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 4096))
    for fd in fds:
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def private_shared_mappings(libc: Any) -> None:
    """Make every shared mapping a private copy, so a write through it cannot reach a file or another
    process (``numpy.memmap(mode="r+")``, ``/dev/shm`` segments); unreadable ones are unmapped."""
    try:
        with open("/proc/self/maps") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return
    prot_rw, map_private_anon_fixed = 0x1 | 0x2, 0x02 | 0x20 | 0x10
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or len(parts[1]) < 4 or parts[1][3] != "s":
            continue
        start, end = (int(x, 16) for x in parts[0].split("-"))
        size = end - start
        if parts[1][0] != "r":
            libc.munmap(start, size)
            continue
        copy = libc.mmap(None, size, prot_rw, 0x02 | 0x20, -1, 0)
        if copy in (None, ctypes.c_void_p(-1).value):
            libc.munmap(start, size)
            continue
        ctypes.memmove(copy, start, size)
        libc.mmap(start, size, prot_rw, map_private_anon_fixed, -1, 0)
        ctypes.memmove(start, copy, size)
        libc.munmap(copy, size)


def streams() -> None:
    import builtins
    import io

    out = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True)
    err = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace", line_buffering=True)
    stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    sys.stdout, sys.stderr, sys.stdin = out, err, stdin
    # The originals too (typeshed calls them Final; in this child they must not reach the kernel's streams).
    for name, stream in (("__stdout__", out), ("__stderr__", err), ("__stdin__", stdin)):
        setattr(sys, name, stream)

    def no_input(prompt: object = "") -> str:
        raise EOFError("input() is not available while a fix is checked")

    builtins.input = no_input  # the kernel's input() asks the frontend over ZMQ
    sys.displayhook = _displayhook


def _displayhook(value: object) -> None:
    if value is not None:
        print(repr(value)[:2000])


def set_limits(cpu_s: int, allowance: int) -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past RLIMIT_FSIZE fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        mapped = 0
    if mapped:
        resource.setrlimit(resource.RLIMIT_AS, (mapped + allowance, mapped + allowance))


def landlock() -> None:
    """Deny every file-system write (where the kernel has Landlock); reads stay allowed."""
    abi = landlock_abi()
    if abi < 1:
        return
    from landlock import FSAccess, Ruleset

    rights = (
        FSAccess.WRITE_FILE
        | FSAccess.REMOVE_DIR
        | FSAccess.REMOVE_FILE
        | FSAccess.MAKE_CHAR
        | FSAccess.MAKE_DIR
        | FSAccess.MAKE_REG
        | FSAccess.MAKE_SOCK
        | FSAccess.MAKE_FIFO
        | FSAccess.MAKE_BLOCK
        | FSAccess.MAKE_SYM
        | FSAccess.EXECUTE
    )
    if abi >= 2:
        rights |= FSAccess.REFER
    if abi >= 3:
        rights |= FSAccess.TRUNCATE
    if abi >= 5:
        rights |= FSAccess.IOCTL_DEV
    Ruleset(restrict_rules=rights).apply()


def drop_capabilities(libc: Any) -> None:
    """A root kernel's child keeps no capability (so no ioctl on files, no raised limit, no bypass)."""
    pr_capbset_drop = 24
    for cap in range(64):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            break  # past the last capability this kernel knows

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    header = Header(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3: two Data structures
    data = (Data * 2)()
    libc.capset(ctypes.byref(header), ctypes.byref(data))


#: Allowed as they are: memory, reading, time, the process's own facts, threads' needs.
_ALLOWED = (
    "read",
    "readv",
    "pread64",
    "preadv",
    "preadv2",
    "write",
    "writev",
    "lseek",
    "close",
    "close_range",
    "fstat",
    "newfstatat",
    "stat",
    "lstat",
    "statx",
    "fstatfs",
    "statfs",
    "access",
    "faccessat",
    "faccessat2",
    "readlink",
    "readlinkat",
    "getcwd",
    "getdents",
    "getdents64",
    "dup",
    "dup2",
    "dup3",
    "pipe",
    "pipe2",
    "poll",
    "ppoll",
    "select",
    "pselect6",
    "epoll_create",
    "epoll_create1",
    "epoll_ctl",
    "epoll_wait",
    "epoll_pwait",
    "eventfd2",
    "mmap",
    "munmap",
    "mremap",
    "mprotect",
    "madvise",
    "brk",
    "mincore",
    "futex",
    "set_robust_list",
    "get_robust_list",
    "rseq",
    "set_tid_address",
    "arch_prctl",
    "membarrier",
    "sched_yield",
    "sched_getaffinity",
    "sched_getparam",
    "sched_getscheduler",
    "getcpu",
    "clock_gettime",
    "clock_getres",
    "clock_nanosleep",
    "nanosleep",
    "gettimeofday",
    "time",
    "times",
    "getpid",
    "gettid",
    "getppid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "getgroups",
    "getresuid",
    "getresgid",
    "getpgrp",
    "getpgid",
    "getsid",
    "getrusage",
    "getrlimit",
    "sysinfo",
    "uname",
    "getrandom",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "rt_sigpending",
    "rt_sigtimedwait",
    "sigaltstack",
    "restart_syscall",
    "exit",
    "exit_group",
    "wait4",
    "capget",
    "msync",  # harmless: every shared mapping is a private copy by then
)
#: F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_DUPFD_CLOEXEC.
_FCNTL = (0, 1, 2, 3, 1030)
#: TCGETS, TIOCGWINSZ, FIONREAD, FIONBIO, FIONCLEX, FIOCLEX.
_IOCTL = (0x5401, 0x5413, 0x541B, 0x5421, 0x5450, 0x5451)
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND | 0o20000000  # __O_TMPFILE
_CLONE_THREAD = 0x00010000


def seccomp(pid: int) -> None:
    import pyseccomp as sc

    f = sc.SyscallFilter(sc.ERRNO(errno.EPERM))

    def allow(name: str, *args: Any) -> None:
        try:
            f.add_rule(sc.ALLOW, name, *args)
        except Exception:  # a name this architecture does not have
            pass

    for name in _ALLOWED:
        allow(name)
    allow("openat", sc.Arg(2, sc.MASKED_EQ, WRITE_FLAGS, 0))  # read-only opens only
    allow("open", sc.Arg(1, sc.MASKED_EQ, WRITE_FLAGS, 0))
    allow("clone", sc.Arg(0, sc.MASKED_EQ, _CLONE_THREAD, _CLONE_THREAD))  # threads, never a process
    allow("tgkill", sc.Arg(0, sc.EQ, pid))  # signals to its own threads (abort, faulthandler)
    allow("prlimit64", sc.Arg(2, sc.EQ, 0))  # read limits, never raise them
    for cmd in _FCNTL:  # no F_SETOWN/F_SETSIG (SIGIO to another process), no leases, locks or pipe sizes
        allow("fcntl", sc.Arg(1, sc.EQ, cmd))
    allow("fcntl", sc.Arg(1, sc.EQ, 4), sc.Arg(2, sc.MASKED_EQ, os.O_ASYNC, 0))  # F_SETFL, never O_ASYNC
    for request in _IOCTL:  # terminal queries only: no TIOCSTI, no FS_IOC_SETFLAGS, no FIOASYNC
        allow("ioctl", sc.Arg(1, sc.EQ, request))
    for name in ("clone3", "openat2"):  # glibc falls back to clone / Python uses openat
        try:
            f.add_rule(sc.ERRNO(errno.ENOSYS), name)
        except Exception:
            pass
    f.load()


#: Audit events (PEP 578) that name an effect the policy refuses: a friendlier message, never the guard.
def recorder(effects: list[str]) -> Callable[[str, tuple[Any, ...]], None]:
    def describe(event: str, args: tuple[Any, ...]) -> str | None:
        if event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITE_FLAGS)
            return f"write {_name(path)}" if writes and path is not None else None
        if event in ("os.remove", "os.rmdir", "shutil.rmtree"):
            return f"delete {_name(args[0])}" if args else "delete a file"
        if event in ("os.rename", "os.link", "os.symlink"):
            return f"rename {_name(args[0])}" if args else "rename a file"
        if event in ("os.mkdir", "os.truncate", "os.chmod", "os.chown", "os.utime"):
            return f"change {_name(args[0])}" if args else "change a file"
        if event in ("socket.connect", "socket.bind", "socket.sendto", "socket.__new__"):
            where = args[1] if event != "socket.__new__" and len(args) > 1 else None
            return f"open a connection{f' to {where!r}' if where is not None else ''}"
        if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn"):
            what = args[1] if event == "subprocess.Popen" and len(args) > 1 else (args[0] if args else "")
            return f"start a process ({str(what)[:80]})"
        if event in ("os.kill", "os.killpg", "signal.pthread_kill"):
            return f"send a signal to process {args[0] if args else '?'}"
        return None

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if len(effects) >= 8:
            return
        try:
            what = describe(event, args)
        except Exception:
            return
        if what:
            effects.append(what)

    return hook


def _name(path: object) -> str:
    if isinstance(path, bytes):
        path = path.decode("utf-8", "replace")
    if isinstance(path, int):
        return f"file descriptor {path}"
    return os.path.basename(str(path)) or str(path)
