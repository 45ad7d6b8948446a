#!/usr/bin/env python3
"""compare_pytorch_batch.py: nst batch's throughput against PyTorch on the same work, side by side.

Many same-sized pictures in one style, the notebook's algorithm (compare_pytorch.py's loss and TensorFlow 1
Adam), 500 iterations an image. Three ways, images per second:

  * PyTorch, one image at a time, style targets recomputed for every image (what the peers do:
    jcjohnson/neural-style and crowsonkb/style-transfer-pytorch run one image per process or call);
  * PyTorch, B images through the network at once (Gram matrices, losses and Adam per image), targets once;
  * libnst, nst-bench's <device>/batch/fp32[-div<D>]/<px>px/B<b> (targets once, B images at once);

and the ratios libnst / PyTorch. The network is VGG-19 with the weights of --weights (for timing only the
shapes matter: 'nst weights write-random F --channel-divisor D' makes the 1/D-channel network nst-bench's
CPU rows use).

Runs only where torch is installed (the GPU host has it; on the CPU, Debian's python3-torch); never in CI.

  python3 bench/compare_pytorch_batch.py --bench build/apps/nst-bench --weights vgg.mat --size 256 --batch 16
  python3 bench/compare_pytorch_batch.py --bench ... --weights div8.mat --divisor 8 --device cpu --size 256 --batch 4
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_pytorch as cp  # noqa: E402  (the same loss, Adam, weights and pictures)

ITERATIONS = 500


def batched_loss(weights, contents, style):
    """The notebook's loss summed over a batch: per-image content and Gram terms, style targets made once."""
    with torch.no_grad():
        p = cp.features(weights, contents)[cp.CONTENT]
        targets = {name: cp.gram(cp.features(weights, style)[name])[0] for name, _ in cp.STYLE}

    def loss(x):
        f = cp.features(weights, x)
        fc = f[cp.CONTENT]
        n, m = fc.shape[1], fc.shape[2] * fc.shape[3]
        total = 5.0 * ((fc - p) ** 2).sum() / (4.0 * n * m)
        for name, w in cp.STYLE:
            fb = f[name].flatten(2)  # B x C x M
            g = fb @ fb.transpose(1, 2)
            c, m = fb.shape[1], fb.shape[2]
            total = total + 100.0 * w * ((g - targets[name]) ** 2).sum() / (4.0 * c * c * m * m)
        return total
    return loss


def timed(fn, cuda):
    if cuda:
        torch.cuda.synchronize()
    begin = time.perf_counter()
    fn()
    if cuda:
        torch.cuda.synchronize()
    return (time.perf_counter() - begin) * 1000


def step_ms(loss_fn, x, cuda, warmup=3, iterations=10):
    """Median ms of one Adam step (forward, backward, update) of x."""
    m, v = torch.zeros_like(x), torch.zeros_like(x)
    times = []
    for t in range(1, warmup + iterations + 1):
        def one():
            g, = torch.autograd.grad(loss_fn(x), x)
            with torch.no_grad():
                cp.adam_tf1(x, g, m, v, t)
        ms = timed(one, cuda)
        if t > warmup:
            times.append(ms)
    return sorted(times)[len(times) // 2]


def nst_images_per_s(args):
    name = f"{args.device}/batch/fp32{'-div%d' % args.divisor if args.divisor > 1 else ''}/{args.size}px/B{args.batch}"
    out = os.path.join(args.work, "bench.json")
    cmd = shlex.split(args.bench) + [f"--benchmark_filter=^{name}/", "--benchmark_min_time=0.5",
                                      f"--benchmark_out={out}", "--benchmark_out_format=json"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        for b in json.load(f)["benchmarks"]:
            if b["name"].startswith(name):
                return b["images_per_s"], name
    sys.exit(f"compare_pytorch_batch.py: nst-bench ran no {name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", required=True, help="the nst-bench executable (a command prefix works)")
    ap.add_argument("--weights", required=True, help="a MatConvNet .mat file (new layout)")
    ap.add_argument("--divisor", type=int, default=1, help="the network's channel divisor (nst-bench's -div<D> rows)")
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--device", choices=("cuda", "cpu"), default="cuda")
    ap.add_argument("--work", default="/tmp/nst-compare-batch")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    cuda = args.device == "cuda"
    if cuda and not torch.cuda.is_available():
        sys.exit("compare_pytorch_batch.py: no CUDA device for torch")
    if not cuda:
        torch.set_num_threads(os.cpu_count())
    torch.backends.cudnn.benchmark = True
    weights = {k: (w.to(args.device), b.to(args.device)) for k, (w, b) in cp.load_weights(args.weights).items()}
    content_path, style_path = cp.write_images(args.work, args.size)
    content, style = cp.to_tensor(content_path, args.device), cp.to_tensor(style_path, args.device)
    contents = torch.cat([torch.roll(content, 7 * k, dims=2) for k in range(args.batch)])

    # One at a time: the targets (a style forward and a content forward) made again for every image.
    targets_ms = timed(lambda: cp.make_loss(weights, content, style), cuda)
    one_ms = step_ms(cp.make_loss(weights, content, style), content.clone().requires_grad_(True), cuda)
    one = 1000.0 / (one_ms * ITERATIONS + targets_ms)
    batch_ms = step_ms(batched_loss(weights, contents, style), contents.clone().requires_grad_(True), cuda)
    together = args.batch * 1000.0 / (batch_ms * ITERATIONS)
    nst, name = nst_images_per_s(args)
    where = f"CPU, {torch.get_num_threads()} threads" if not cuda else torch.cuda.get_device_name()
    print(f"{args.size}x{args.size}, B = {args.batch}, {ITERATIONS} iterations an image, torch {torch.__version__}, {where}")
    print(f"PyTorch one at a time  {one:10.4f} images/s  ({one_ms:.2f} ms/iteration + {targets_ms:.1f} ms targets an image)")
    print(f"PyTorch batched        {together:10.4f} images/s  ({batch_ms:.2f} ms per batch iteration)")
    print(f"libnst {name}  {nst:10.4f} images/s")
    print(f"ratio libnst / PyTorch one at a time {nst / one:.2f}x, libnst / PyTorch batched {nst / together:.2f}x")


if __name__ == "__main__":
    main()
