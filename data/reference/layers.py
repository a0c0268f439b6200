"""Oracle for lib's layers, optimiser and schedule: writes data/reference/layers.txt.

Records (float32 tensors as float.hex, so the C++ side can compare bit for bit):

  gelu_*        nn.GELU(approximate="tanh") on x = 3 * randn(4, 5) (seed 5): the
                input, a weighting R, the output and x.grad for loss = (out * R).sum()
  layer_norm_*  nn.LayerNorm(5) on inp of shape (2, 3, 5) (seed 7), weight =
                1 + 0.1 * randn(5), bias = 0.1 * randn(5): inputs, out, the mean
                and rstd torch.native_layer_norm saves (shape (2, 3)), and the grads
                dinp, dweight, dbias for loss = (out * R).sum()
  adamw_*       torch.optim.AdamW, lr 1e-2, weight decay 0.1 on a (3, 4) weight and
                none on a (4) bias (two param groups, as nanoGPT splits them), six
                steps with given gradients: the start, each step's gradients and the
                parameters after every step.
  adamw_long    one parameter of 1000 elements, 30 steps, everything drawn from
                torch.Generator().manual_seed(seed) with torch.randn (the C++
                generator redraws them): long enough that every rounding step shows.
  extreme_*     logits of +-1e4 (and 1e4 apart, and all equal at 1e4): torch.softmax
                over the last dim, F.cross_entropy of chosen targets (the mean as
                `loss`, each row's as extreme_ce_rows) and its dlogits: what lib's
                softmax and cross-entropy must give without overflowing.
  warmup_cosine the learning rate of nanoGPT's get_lr (max 1e-3, warm-up 10 steps,
                cosine to 1e-4 at step 100) at chosen steps, computed in Python
                doubles and rounded to float32.

The C++ options are float32, so every hyperparameter given to torch here is a
float32 value (f32(0.9), not 0.9): torch then works with the same numbers the
C++ does, and a difference can only come from the arithmetic.

Re-run with: /usr/bin/python3 data/reference/layers.py
"""
import math
import os
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from records import format_record, write_reference  # noqa: E402


def f32(x):
    """x rounded to the nearest float32, as a Python float (what a C++ float holds)."""
    return struct.unpack("f", struct.pack("f", x))[0]


def tensor_record(name, t, **fields):
    return format_record(name, t.detach().contiguous(), show=False, fields=list(fields.items()))


def gelu_records():
    torch.manual_seed(5)
    x = (torch.randn(4, 5) * 3).requires_grad_()
    R = torch.randn(4, 5)
    out = torch.nn.GELU(approximate="tanh")(x)
    (out * R).sum().backward()
    return [tensor_record("gelu_inp", x), tensor_record("gelu_R", R),
            tensor_record("gelu_out", out), tensor_record("gelu_dinp", x.grad)]


def layer_norm_records():
    torch.manual_seed(7)
    inp = torch.randn(2, 3, 5).requires_grad_()
    ln = torch.nn.LayerNorm(5)  # eps 1e-5, biased variance
    with torch.no_grad():
        ln.weight.copy_(1 + 0.1 * torch.randn(5))
        ln.bias.copy_(0.1 * torch.randn(5))
    R = torch.randn(2, 3, 5)
    out = ln(inp)
    (out * R).sum().backward()
    # The mean and 1/sqrt(var + eps) torch saves for its backward, one per row.
    _, mean, rstd = torch.native_layer_norm(inp.detach(), [5], ln.weight.detach(), ln.bias.detach(), 1e-5)
    return [tensor_record("layer_norm_inp", inp), tensor_record("layer_norm_weight", ln.weight),
            tensor_record("layer_norm_bias", ln.bias), tensor_record("layer_norm_R", R),
            tensor_record("layer_norm_out", out), tensor_record("layer_norm_mean", mean.reshape(2, 3)),
            tensor_record("layer_norm_rstd", rstd.reshape(2, 3)),
            tensor_record("layer_norm_dinp", inp.grad), tensor_record("layer_norm_dweight", ln.weight.grad),
            tensor_record("layer_norm_dbias", ln.bias.grad)]


def adamw(params, decay, lr, weight_decay):
    groups = [{"params": [p], "weight_decay": weight_decay if d else 0.0} for p, d in zip(params, decay)]
    return torch.optim.AdamW(groups, lr=lr, betas=(f32(0.9), f32(0.999)), eps=f32(1e-8))


def adamw_records():
    lr, weight_decay, steps = f32(1e-2), f32(0.1), 6
    options = [("lr", lr.hex()), ("beta1", f32(0.9).hex()), ("beta2", f32(0.999).hex()),
               ("eps", f32(1e-8).hex()), ("weight_decay", weight_decay.hex()), ("steps", steps)]
    torch.manual_seed(11)
    weight = torch.randn(3, 4).requires_grad_()
    bias = torch.randn(4).requires_grad_()
    records = [tensor_record("adamw_weight_start", weight, **dict(options)),
               tensor_record("adamw_bias_start", bias)]
    opt = adamw([weight, bias], [True, False], lr, weight_decay)
    for step in range(1, steps + 1):
        weight.grad = torch.randn(3, 4)
        bias.grad = torch.randn(4)
        opt.step()
        records += [tensor_record(f"adamw_weight_grad_{step}", weight.grad),
                    tensor_record(f"adamw_bias_grad_{step}", bias.grad),
                    tensor_record(f"adamw_weight_{step}", weight), tensor_record(f"adamw_bias_{step}", bias)]
    return records


def adamw_long_record():
    seed, n, steps = 2024, 1000, 30
    lr, weight_decay = f32(3e-3), f32(0.1)
    g = torch.Generator().manual_seed(seed)
    p = torch.randn(n, generator=g).requires_grad_()
    opt = adamw([p], [True], lr, weight_decay)
    for _ in range(steps):
        p.grad = torch.randn(n, generator=g)
        opt.step()
    return [tensor_record("adamw_long", p, seed=seed, n=n, steps=steps, lr=lr.hex(),
                          weight_decay=weight_decay.hex())]


def extreme_logit_records():
    logits = torch.tensor([[1e4, -1e4, 0.0, 1.0],
                           [-1e4, -1e4, -1e4 + 1, -1e4 + 2],
                           [1e4, 1e4, 1e4, 1e4],
                           [1e4, 9999.0, -1e4, 5e3]]).requires_grad_()
    targets = torch.tensor([1, 3, 2, 1])
    loss = torch.nn.functional.cross_entropy(logits, targets)
    loss.backward()
    rows = torch.nn.functional.cross_entropy(logits.detach(), targets, reduction="none")
    return [tensor_record("extreme_logits", logits, targets=" ".join(str(int(t)) for t in targets),
                          loss=loss.item().hex()),
            tensor_record("extreme_softmax", torch.softmax(logits.detach(), dim=-1)),
            tensor_record("extreme_ce_rows", rows),
            tensor_record("extreme_dlogits", logits.grad)]


def get_lr(it, max_lr, warmup_steps, total_steps, min_lr):
    """nanoGPT's schedule (train.py get_lr), with warm-up reaching max_lr at step warmup_steps - 1."""
    if it < warmup_steps:
        return max_lr * (it + 1) / warmup_steps
    if it > total_steps:
        return min_lr
    decay_ratio = (it - warmup_steps) / (total_steps - warmup_steps)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (max_lr - min_lr)


def warmup_cosine_record():
    max_lr, warmup, total, min_lr = f32(1e-3), 10, 100, f32(1e-4)
    steps = [0, 1, 4, 8, 9, 10, 11, 25, 50, 55, 75, 99, 100, 101, 150]
    lrs = torch.tensor([get_lr(s, max_lr, warmup, total, min_lr) for s in steps], dtype=torch.float32)
    return [tensor_record("warmup_cosine", lrs, max_lr=max_lr.hex(), warmup_steps=warmup, total_steps=total,
                          min_lr=min_lr.hex(), at=" ".join(str(s) for s in steps))]


def main():
    torch.set_num_threads(1)
    records = gelu_records() + layer_norm_records() + adamw_records() + adamw_long_record()
    records += extreme_logit_records() + warmup_cosine_record()
    write_reference("layers", records)


if __name__ == "__main__":
    main()
