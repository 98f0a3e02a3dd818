"""What a long pre-fill's kernels reach on this GPU once they run for long: products and attention, short and sustained.

A 32K or 128K pre-fill keeps the GPU busy for 1-8 s. Each kernel here runs in a burst of
about 20 ms and then for about 2 s back to back, with the SM clock, the board's power and
the clock's throttle reasons (NVML) read halfway through the sustained run. The shapes are a
7B pre-fill's: the joined gate/up product and the query product of 30,913 tokens, the
8192-cubed product, and cuDNN's causal attention (SDPA's choice) over 30,913 and 124,431
tokens. Inputs are random bf16, as the random-initialised model's are.

    python3 bench/gpu_power.py
"""

from __future__ import annotations

import time

import pynvml
import torch
import torch.nn.functional as F
from gpu_common import DIM, HEADS, KV_HEADS, ms

SUSTAINED_S = 2.0
THROTTLES = {  # NVML's throttle reason bits worth naming here
    pynvml.nvmlClocksThrottleReasonSwPowerCap: "power cap",
    pynvml.nvmlClocksThrottleReasonHwSlowdown: "hardware slowdown",
    pynvml.nvmlClocksThrottleReasonSwThermalSlowdown: "thermal",
}


def state(gpu) -> str:
    clock = pynvml.nvmlDeviceGetClockInfo(gpu, pynvml.NVML_CLOCK_SM)
    watts = pynvml.nvmlDeviceGetPowerUsage(gpu) / 1000
    reasons = pynvml.nvmlDeviceGetCurrentClocksThrottleReasons(gpu)
    named = [name for bit, name in THROTTLES.items() if reasons & bit] or ["none"]
    return f"{clock} MHz, {watts:.0f} W, throttled by {', '.join(named)}"


def row(gpu, name: str, flops: float, fn) -> None:
    fn()
    torch.cuda.synchronize()
    one = ms(fn, 1, warm_up=0)
    burst = ms(fn, max(1, round(20 / one)), warm_up=0)
    calls = max(3, round(1000 * SUSTAINED_S / one))
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(calls):
        fn()
    end.record()
    time.sleep(calls * one / 2000)  # the calls are queued: read the board halfway through them
    during = state(gpu)
    torch.cuda.synchronize()
    sustained = start.elapsed_time(end) / calls
    print(
        f"| {name} | {flops / burst / 1e9:.0f} | {flops / sustained / 1e9:.0f} ({calls * sustained / 1000:.1f} s) "
        f"| {during} |",
        flush=True,
    )
    time.sleep(1.0)  # let the board cool to its idle state before the next row's burst


def attention(tokens: int):
    q = torch.randn(1, tokens, HEADS, DIM, device="cuda", dtype=torch.bfloat16).transpose(1, 2)
    k, v = (torch.randn(1, KV_HEADS, tokens, DIM, device="cuda", dtype=torch.bfloat16) for _ in range(2))
    return 2 * tokens * tokens * DIM * HEADS, lambda: F.scaled_dot_product_attention(
        q, k, v, is_causal=True, enable_gqa=True
    )


def products(gpu, m: int = 30913) -> None:
    x = torch.randn(m, 3584, device="cuda", dtype=torch.bfloat16)
    cube = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    gate_up = torch.randn(37888, 3584, device="cuda", dtype=torch.bfloat16)
    query = torch.randn(3584, 3584, device="cuda", dtype=torch.bfloat16)
    row(gpu, "8192 x 8192 x 8192 product", 2 * 8192**3, lambda: cube @ cube)
    row(gpu, f"joined gate/up, {m} tokens", 2 * m * 37888 * 3584, lambda: F.linear(x, gate_up))
    row(gpu, f"query, {m} tokens", 2 * m * 3584 * 3584, lambda: F.linear(x, query))


def main() -> None:
    pynvml.nvmlInit()
    gpu = pynvml.nvmlDeviceGetHandleByIndex(0)
    limit = pynvml.nvmlDeviceGetEnforcedPowerLimit(gpu) / 1000
    print(f"{torch.cuda.get_device_name()}; torch {torch.__version__}; power limit {limit:.0f} W; idle: {state(gpu)}\n")
    print("| kernel | TFLOP/s over ~20 ms | TFLOP/s sustained | SM clock, power halfway through |")
    print("|---|---|---|---|")
    products(gpu)
    with torch.inference_mode():
        for tokens in (30913, 124431):
            flops, fn = attention(tokens)
            row(gpu, f"causal attention (cuDNN), {tokens} tokens", flops, fn)


if __name__ == "__main__":
    main()
