#!/usr/bin/env python3
"""compare_pytorch_resnet.py: libnst's ResNet-50 training step against the same step in PyTorch.

The notebook's second cell is Keras's ResNet50(weights=None, input_shape=(32, 32, 3), classes=100) trained
with Adam on CIFAR-100 at batch 64. This script builds that network in PyTorch layer for layer (v1
bottlenecks, the stride on the first 1x1 convolution, a bias on every convolution, batch normalisation with
epsilon 1.001e-5 and Keras's momentum 0.99, 3x3/2 max pooling with padding 1, global average pooling, dense
2048 -> 100), gives both implementations the same initial weights (written by this script in libnst's MAT
format: Keras's names and order) and the same batch (a CIFAR-100 binary file of random pixels), and prints:

  * the step-1 loss of both (training-mode batch normalisation, before any update) and their difference;
  * images per second of one training step (forward, loss, backward, Adam) at the batch size: libnst's from
    nst-bench (<device>/train_step/<precision>/b<batch>/compute), PyTorch's timed here the same way (the
    batch already on the device; eager, channels-last eager, and torch.compile where it works), and the
    ratio libnst / PyTorch.

Runs only where torch is installed (the GPU host has it; on the CPU, Debian's python3-torch); never part of CI.

  python3 bench/compare_pytorch_resnet.py --build build [--device cuda|cpu] [--batch 64] [--work DIR]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.io
import torch
import torch.nn as nn
import torch.nn.functional as F

STAGES = [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]
EPS = 1.001e-5


class ConvBn(nn.Module):
    """Keras's <name>_conv (with bias) and <name>_bn, ReLU optional."""

    def __init__(self, name, cin, cout, k, stride, relu):
        super().__init__()
        self.name, self.relu = name, relu
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=True)
        self.bn = nn.BatchNorm2d(cout, eps=EPS, momentum=0.01)  # PyTorch's momentum = 1 - Keras's

    def forward(self, x):
        y = self.bn(self.conv(x))
        return F.relu(y) if self.relu else y


class Block(nn.Module):
    def __init__(self, name, cin, filters, stride, projection):
        super().__init__()
        self.shortcut = ConvBn(name + "_0", cin, 4 * filters, 1, stride, False) if projection else None
        self.reduce = ConvBn(name + "_1", cin, filters, 1, stride, True)
        self.conv = ConvBn(name + "_2", filters, filters, 3, 1, True)
        self.expand = ConvBn(name + "_3", filters, 4 * filters, 1, 1, False)

    def forward(self, x):
        s = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(self.expand(self.conv(self.reduce(x))) + s)


class KerasResNet50(nn.Module):
    def __init__(self, classes=100):
        super().__init__()
        self.stem = ConvBn("conv1", 3, 64, 7, 2, True)
        blocks, cin = [], 64
        for k, (filters, count, stride) in enumerate(STAGES):
            for i in range(count):
                blocks.append(Block(f"conv{k + 2}_block{i + 1}", cin, filters, stride if i == 0 else 1, i == 0))
                cin = 4 * filters
        self.blocks = nn.Sequential(*blocks)
        self.predictions = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.max_pool2d(self.stem(x), 3, 2, padding=1)
        x = self.blocks(x)
        return self.predictions(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))

    def conv_bns(self):
        yield self.stem
        for b in self.blocks:
            for c in (b.shortcut, b.reduce, b.conv, b.expand):
                if c is not None:
                    yield c


def save_keras_mat(model, path):
    """libnst's weight file: one variable per tensor, Keras's names and order (kernels KH x KW x Cin x Cout)."""
    out = {}
    for c in model.conv_bns():
        out[c.name + "_conv_kernel"] = c.conv.weight.detach().cpu().permute(2, 3, 1, 0).numpy()
        out[c.name + "_conv_bias"] = c.conv.bias.detach().cpu().numpy()
        out[c.name + "_bn_gamma"] = c.bn.weight.detach().cpu().numpy()
        out[c.name + "_bn_beta"] = c.bn.bias.detach().cpu().numpy()
        out[c.name + "_bn_moving_mean"] = c.bn.running_mean.detach().cpu().numpy()
        out[c.name + "_bn_moving_variance"] = c.bn.running_var.detach().cpu().numpy()
    out["predictions_kernel"] = model.predictions.weight.detach().cpu().t().numpy()
    out["predictions_bias"] = model.predictions.bias.detach().cpu().numpy()
    scipy.io.savemat(path, {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()})


def write_cifar(folder, pixels, labels):
    """CIFAR-100's binary format: coarse label, fine label, 3072 bytes (R, G, B planes) per record."""
    os.makedirs(folder, exist_ok=True)
    records = np.zeros((len(labels), 3074), dtype=np.uint8)
    records[:, 0] = labels // 5
    records[:, 1] = labels
    records[:, 2:] = pixels.reshape(len(labels), -1)
    for name in ("train.bin", "test.bin"):
        records.tofile(os.path.join(folder, name))


def nst_step1_loss(args, folder, weights, precision):
    log = os.path.join(args.work, "steps.csv")
    cmd = [os.path.join(args.build, "apps", "nst"), "train", "--data", folder, "--init-weights", weights, "--steps",
           "1", "--batch", str(args.batch), "--no-shuffle", "--device", args.device, "--precision", precision,
           "--log", log]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(log) as f:
        return float(f.read().splitlines()[1].split(",")[2])


def nst_images_per_s(args, precision):
    name = f"{args.device}/train_step/{precision}/b{args.batch}/compute"
    cmd = [os.path.join(args.build, "apps", "nst-bench"), f"--benchmark_filter=^{name}", "--benchmark_format=json",
           "--benchmark_min_time=2"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b["name"].startswith(name)]
    return runs[0]["images_per_s"] if runs else float("nan")


def torch_images_per_s(model, x, y, device, warmup=3, steps=10):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        opt.step()

    def sync():
        if device == "cuda":
            torch.cuda.synchronize()

    for _ in range(warmup):
        step()
    sync()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    return x.shape[0] * steps / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build", required=True, help="libnst's build folder (apps/nst, apps/nst-bench)")
    p.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--work", default=None)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    args = p.parse_args()
    args.work = args.work or tempfile.mkdtemp(prefix="compare-resnet-")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(args.batch, 3, 32, 32), dtype=np.uint8)
    labels = rng.integers(0, 100, size=args.batch).astype(np.uint8)
    folder = os.path.join(args.work, "cifar")
    write_cifar(folder, pixels, labels)
    model = KerasResNet50().to(args.device)
    weights = os.path.join(args.work, "init.mat")
    save_keras_mat(model, weights)
    x = torch.from_numpy(pixels.astype(np.float32)).to(args.device)
    y = torch.from_numpy(labels.astype(np.int64)).to(args.device)
    precisions = ["fp32", "tf32"] if args.device == "cuda" else ["fp32"]
    print(f"ResNet-50 training step, batch {args.batch}, {args.device}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} CPU threads")
    for precision in precisions:
        if args.device == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = precision == "tf32"
            torch.backends.cudnn.allow_tf32 = precision == "tf32"
        model.train()
        with torch.no_grad():
            torch_loss = F.cross_entropy(model(x), y).item()
        save_keras_mat(model, weights)  # the forward above moved the running statistics; keep both in step
        nst_loss = nst_step1_loss(args, folder, weights, precision)
        print(f"[{precision}] step-1 loss: libnst {nst_loss:.6f}, PyTorch {torch_loss:.6f}, "
              f"relative difference {abs(nst_loss - torch_loss) / abs(torch_loss):.2e}")
        nst_ips = nst_images_per_s(args, precision)
        rows = [("libnst", nst_ips)]
        rows.append(("PyTorch eager", torch_images_per_s(KerasResNet50().to(args.device), x, y, args.device)))
        rows.append(("PyTorch eager channels-last",
                     torch_images_per_s(KerasResNet50().to(args.device).to(memory_format=torch.channels_last),
                                        x.contiguous(memory_format=torch.channels_last), y, args.device)))
        try:
            compiled = torch.compile(KerasResNet50().to(args.device))
            rows.append(("PyTorch torch.compile", torch_images_per_s(compiled, x, y, args.device)))
        except Exception as e:  # torch.compile needs torch >= 2 and a working compiler toolchain
            print(f"[{precision}] torch.compile unavailable: {type(e).__name__}: {str(e).splitlines()[0][:100]}")
        for name, ips in rows:
            print(f"[{precision}] {name:30s} {ips:10.1f} images/s   libnst / this: {nst_ips / ips:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
