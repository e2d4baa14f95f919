"""STAND-IN for a GPU failure (named as such on purpose): this machine has no GPU.

A llama-server wrapper that, when asked to offload layers to a GPU (``-ngl N`` with N > 0, or no
``-ngl`` at all, which means "auto"), prints llama.cpp's real GPU error lines and exits 1, the way
llama.cpp does when a CUDA or Vulkan allocation fails or no device can be initialised. With
``-ngl 0`` it execs the real llama-server, so the CPU fallback that recovery performs is real.

Environment: ``STANDIN_REAL_SERVER`` (the real binary), ``STANDIN_GPU_FAILURE`` = ``cuda_oom`` |
``vulkan_oom`` | ``no_device``.
"""

import os
import sys

LINES = {
    "cuda_oom": [
        "0.00.412.118 I load_tensors: offloading 30 repeating layers to GPU",
        "0.00.413.002 E ggml_backend_cuda_buffer_type_alloc_buffer: allocating 1024.00 MiB on device 0: cudaMalloc failed: out of memory",
        "0.00.413.010 E alloc_tensor_range: failed to allocate CUDA0 buffer of size 1073741824",
        "0.00.413.020 E llama_model_load: error loading model: unable to allocate CUDA0 buffer",
        "0.00.413.021 E llama_model_load_from_file_impl: failed to load model",
        "0.00.413.030 E srv    load_model: failed to load model, try reducing --n-gpu-layers if you're running out of VRAM",
    ],
    "vulkan_oom": [
        "0.00.301.551 I ggml_vulkan: Found 1 Vulkan devices:",
        "0.00.398.120 E ggml_vulkan: Device memory allocation of size 1073741824 failed.",
        "0.00.398.122 E ggml_vulkan: Requested buffer size exceeds device memory allocation limit: ErrorOutOfDeviceMemory",
        "0.00.398.130 E alloc_tensor_range: failed to allocate Vulkan0 buffer of size 1073741824",
        "0.00.398.140 E llama_model_load: error loading model: unable to allocate Vulkan0 buffer",
    ],
    "no_device": [
        "0.00.120.001 W ggml_cuda_init: failed to initialize CUDA: no CUDA-capable device is detected",
        "0.00.120.010 E llama_model_load: error loading model: failed to initialize the CUDA backend",
    ],
}


def main() -> None:
    args = sys.argv[1:]
    layers = args[args.index("-ngl") + 1] if "-ngl" in args else "auto"
    if layers != "0":
        for line in LINES[os.environ.get("STANDIN_GPU_FAILURE", "cuda_oom")]:
            print(line, flush=True)
        sys.exit(1)
    real = os.environ["STANDIN_REAL_SERVER"]
    os.execv(real, [real, *args])


if __name__ == "__main__":
    main()
