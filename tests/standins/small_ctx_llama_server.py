"""STAND-IN for a server that runs with a smaller context than requested (named as such on purpose).

The real llama-server here honours ``-c``; some builds and model limits do not. This wrapper halves
the ``-c`` value and execs the real llama-server, so the server that answers is real and its
``/props`` really reports the smaller ``n_ctx``. Environment: ``STANDIN_REAL_SERVER``.
"""

import os
import sys


def main() -> None:
    args = sys.argv[1:]
    if "-c" in args:
        i = args.index("-c") + 1
        args[i] = str(int(args[i]) // 2)
    real = os.environ["STANDIN_REAL_SERVER"]
    os.execv(real, [real, *args])


if __name__ == "__main__":
    main()
