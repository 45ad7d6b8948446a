#!/usr/bin/env python3
"""compare_pytorch.py: libnst against the same algorithm in PyTorch, on a GPU host.

The notebook's algorithm (content relu4_2 weight 5; style relu1_1..relu5_1 weights 0.5, 1, 1.5, 3, 4
times 100; average pooling; Adam with TensorFlow 1's update, lr 2) in PyTorch, with the weights read from
the same .mat file with scipy and the same content and style pixels. Prints milliseconds per iteration of
both implementations (PyTorch eager and torch.compile where it works, strict FP32 and TF32) and their
ratio, and the relative difference of the losses after 10 iterations.

Runs only where torch is installed (the GPU host has it; on the CPU, Debian's python3-torch); never part
of CI. With --device cpu it compares libnst's CPU backend with PyTorch's eager CPU path (FP32 only).

  python3 bench/compare_pytorch.py --nst path/to/nst --weights vgg.mat --size 512 [--work DIR]
  python3 bench/compare_pytorch.py --nst path/to/nst --weights vgg.mat --size 128 --device cpu
"""
import argparse
import csv
import os
import shlex
import subprocess
import sys
import time

import numpy as np
import scipy.io
import torch
import torch.nn.functional as F

STYLE = [("relu1_1", 0.5), ("relu2_1", 1.0), ("relu3_1", 1.5), ("relu4_1", 3.0), ("relu5_1", 4.0)]
CONTENT = "relu4_2"
MEAN = np.array([123.68, 116.779, 103.939], dtype=np.float32)
ORDER = ["conv1_1", "conv1_2", "pool1", "conv2_1", "conv2_2", "pool2", "conv3_1", "conv3_2", "conv3_3", "conv3_4",
         "pool3", "conv4_1", "conv4_2", "conv4_3", "conv4_4", "pool4", "conv5_1"]


def load_weights(path):
    """Conv filters as torch's [out, in, rows, cols] from MatConvNet's [rows, cols, in, out] (new layout)."""
    layers = scipy.io.loadmat(path)["layers"][0]
    weights = {}
    for layer in layers:
        s = layer[0][0]
        name = str(s["name"][0])
        if name in ORDER and name.startswith("conv"):
            w, b = s["weights"][0][0], s["weights"][0][1]
            weights[name] = (torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1))).float(),
                             torch.from_numpy(b.reshape(-1)).float())
    return weights


def write_images(work, size):
    """Content and style pictures at exactly size x size, so libnst uses them without resampling."""
    from PIL import Image  # only needed here
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    content = np.stack([200 * x + 30, 180 * y + 40, 120 + 100 * np.sin(8 * x * y)], -1)
    style = np.stack([128 + 120 * np.sin(40 * x + 20 * y), 128 + 120 * np.cos(30 * y), 255 * (x > y)], -1)
    paths = []
    for name, img in (("content", content), ("style", style)):
        p = os.path.join(work, f"{name}-{size}.png")
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(p)
        paths.append(p)
    return paths


def to_tensor(path, device):
    from PIL import Image
    img = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) - MEAN
    return torch.from_numpy(img.transpose(2, 0, 1)).unsqueeze(0).to(device)


def features(weights, x):
    out = {}
    for name in ORDER:
        if name.startswith("pool"):
            x = F.avg_pool2d(x, 2, 2, ceil_mode=True, count_include_pad=False)
        else:
            w, b = weights[name]
            x = F.relu(F.conv2d(x, w, b, padding=1))
            out["relu" + name[4:]] = x
    return out


def gram(f):
    c = f.shape[1]
    m = f.shape[2] * f.shape[3]
    f = f.reshape(c, m)
    return f @ f.t(), c, m


def make_loss(weights, content, style):
    with torch.no_grad():
        p = features(weights, content)[CONTENT]
        targets = {name: gram(features(weights, style)[name])[0] for name, _ in STYLE}

    def loss(x):
        f = features(weights, x)
        fc = f[CONTENT]
        n, m = fc.shape[1], fc.shape[2] * fc.shape[3]
        total = 5.0 * ((fc - p) ** 2).sum() / (4.0 * n * m)
        for name, w in STYLE:
            g, c, m = gram(f[name])
            total = total + 100.0 * w * ((g - targets[name]) ** 2).sum() / (4.0 * c * c * m * m)
        return total
    return loss


def adam_tf1(x, grad, m, v, t, lr=2.0, b1=0.9, b2=0.999, eps=1e-8):
    """tf.train.AdamOptimizer's update (epsilon added to the uncorrected sqrt(v))."""
    m.mul_(b1).add_(grad, alpha=1 - b1)
    v.mul_(b2).addcmul_(grad, grad, value=1 - b2)
    lr_t = lr * (1 - b2 ** t) ** 0.5 / (1 - b1 ** t)
    x.sub_(lr_t * m / (v.sqrt() + eps))


def run_torch(weights, content, style, iterations, compiled):
    loss_fn = make_loss(weights, content, style)
    if compiled:
        loss_fn = torch.compile(loss_fn)
    x = content.clone().requires_grad_(True)
    m, v = torch.zeros_like(x), torch.zeros_like(x)
    losses = []
    for t in range(1, iterations + 1):
        l = loss_fn(x)
        losses.append(l.item())
        g, = torch.autograd.grad(l, x)
        with torch.no_grad():
            adam_tf1(x, g, m, v, t)
    return losses


def time_torch(weights, content, style, compiled, warmup=5, iterations=30):
    """Milliseconds per iteration: CUDA events on the GPU, the wall clock on the CPU."""
    loss_fn = make_loss(weights, content, style)
    if compiled:
        loss_fn = torch.compile(loss_fn)
    x = content.clone().requires_grad_(True)
    m, v = torch.zeros_like(x), torch.zeros_like(x)
    for t in range(1, warmup + 1):
        g, = torch.autograd.grad(loss_fn(x), x)
        with torch.no_grad():
            adam_tf1(x, g, m, v, t)
    if not x.is_cuda:
        begin = time.perf_counter()
        for t in range(warmup + 1, warmup + iterations + 1):
            g, = torch.autograd.grad(loss_fn(x), x)
            with torch.no_grad():
                adam_tf1(x, g, m, v, t)
        return (time.perf_counter() - begin) * 1000 / iterations
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for t in range(warmup + 1, warmup + iterations + 1):
        g, = torch.autograd.grad(loss_fn(x), x)
        with torch.no_grad():
            adam_tf1(x, g, m, v, t)
    stop.record()
    torch.cuda.synchronize()
    return start.elapsed_time(stop) / iterations


def run_nst(args, content_path, style_path, iterations, precision, log=None):
    cmd = shlex.split(args.nst) + ["transfer", "--content", content_path, "--style", style_path,
           "--output", os.path.join(args.work, "nst-out.png"), "--weights", args.weights, "--preset", "notebook",
           "--size", f"{args.size}x{args.size}", "--iterations", str(iterations), "--init", "content",
           "--save-every", "0", "--print-every", "0", "--device", args.device, "--precision", precision,
           "--normalize-net", "off", "--normalize-style-layers", "off"]
    if log:
        cmd += ["--log", log]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nst", required=True, help="the nst executable (a command prefix such as 'nst-run nst' works)")
    ap.add_argument("--weights", required=True, help="a MatConvNet .mat file (new layout)")
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--work", default="/tmp/nst-compare")
    ap.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    ap.add_argument("--no-compile", action="store_true", help="skip torch.compile (eager PyTorch only)")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("compare_pytorch.py: no CUDA device for torch")
    dev = args.device
    cpu = dev == "cpu"
    if cpu:
        torch.set_num_threads(os.cpu_count())  # every core, as libnst's CPU backend uses
    torch.backends.cudnn.benchmark = True
    content_path, style_path = write_images(args.work, args.size)
    weights = {k: (w.to(dev), b.to(dev)) for k, (w, b) in load_weights(args.weights).items()}
    content, style = to_tensor(content_path, dev), to_tensor(style_path, dev)
    where = f"CPU, {torch.get_num_threads()} threads" if cpu else \
        f"cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name()}"
    print(f"{args.size}x{args.size}, torch {torch.__version__}, {where}")

    # Eager rows and the loss comparison first, printed as they come; torch.compile (slow to compile, and not
    # on every host) last, so that a caller's time limit cuts only that.
    rows = []
    nst_ms = {}

    def add_row(precision, mode, ms):
        rows.append((precision, mode, ms, nst_ms[precision]))
        print(f"row: {precision} torch {mode} {ms:.2f} ms/it, libnst {nst_ms[precision]:.2f} ms/it, "
              f"ratio {ms / nst_ms[precision]:.2f}", flush=True)

    def set_precision(precision):
        tf32 = precision == "tf32"
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32

    def print_ratio(what):
        best = min(rows, key=lambda r: r[2]) if rows else None
        if best:
            print(f"ratio ({what}: fastest torch / libnst, {best[0]} {best[1]}): {best[2] / best[3]:.2f}", flush=True)

    precisions = ("fp32",) if cpu else ("fp32", "tf32")
    for precision in precisions:
        set_precision(precision)
        # libnst: time per iteration from two run lengths (the difference removes start-up and the search).
        extra = 20 if cpu else 100
        t_short = run_nst(args, content_path, style_path, 10, precision)
        t_long = run_nst(args, content_path, style_path, 10 + extra, precision)
        nst_ms[precision] = (t_long - t_short) / extra * 1000
        add_row(precision, "eager", time_torch(weights, content, style, False, *((2, 10) if cpu else (5, 30))))
        # Losses after 10 iterations, both from the content image (row i: after i steps).
        log = os.path.join(args.work, f"nst-{precision}.csv")
        run_nst(args, content_path, style_path, 10, precision, log)
        with open(log) as f:
            nst_losses = [float(r["total"]) for r in csv.DictReader(f)]
        torch_losses = run_torch(weights, content, style, 11, False)
        rel = abs(nst_losses[10] - torch_losses[10]) / abs(torch_losses[10])
        print(f"{precision}: loss after 10 iterations libnst {nst_losses[10]:.7g}, torch {torch_losses[10]:.7g}, "
              f"relative difference {rel:.2e}", flush=True)
    print_ratio("eager")

    if not cpu and not args.no_compile:
        for precision in precisions:
            set_precision(precision)
            try:
                add_row(precision, "compile", time_torch(weights, content, style, True, 5, 30))
            except Exception as e:  # torch.compile may not work on every host
                print(f"torch compile {precision}: failed ({type(e).__name__}: {e})".splitlines()[0], flush=True)

    print(f"{'precision':<10}{'torch mode':<12}{'torch ms/it':>12}{'libnst ms/it':>14}{'ratio':>8}")
    for precision, mode, ms, nms in rows:
        print(f"{precision:<10}{mode:<12}{ms:>12.2f}{nms:>14.2f}{ms / nms:>8.2f}")
    print_ratio("all modes")


if __name__ == "__main__":
    main()
