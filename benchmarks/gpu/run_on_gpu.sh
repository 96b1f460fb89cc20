#!/usr/bin/env bash
# Run on the lent GPU machine (its python3 holds a CUDA torch), from the repository root, with .gpu carried.
set -uo pipefail
export PYTHONPATH="$PWD" PYTHONUNBUFFERED=1
OUT="${OUT:-/tmp/gpu_out}"; mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))" | tee -a "$OUT/gpu.txt"
# 1. the CUDA parametrisations of the test suite (they skip on a CPU); modules whose imports the device image
#    lacks (nbformat, ipywidgets) fail to collect and are reported, the rest run
timeout 120 python3 -m pytest tests -v -k cuda -p no:cacheprovider --ignore=tests/e2e --continue-on-collection-errors 2>&1 | tail -n 30 | tee "$OUT/cuda_tests.txt"
# 2. training throughput of the digits U-Net at batch 1024: fp32 / bf16 x eager / compiled
timeout 200 python3 benchmarks/gpu/throughput.py --data .gpu/digits.pt 2>&1 | tee "$OUT/throughput.txt"
# 3. the 28x28 mnist5k U-Net for the lectures' image figures
timeout 200 python3 benchmarks/gpu/train_mnist5k.py --data .gpu/mnist5k.pt --out "$OUT/mnist5k.pt" 2>&1 | tee "$OUT/train.txt"
ls -la "$OUT"
