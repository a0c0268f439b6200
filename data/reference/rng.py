"""Reference data for the C++ port of PyTorch's CPU random generator.

Each record says what to run (`op` plus its parameters) and holds the exact
results (float32 as float.hex, int64 indices as decimal), so the C++ generator
can be checked bit for bit:

  op rand    torch.manual_seed(seed), then `repeat` calls of
             torch.rand(*call_shape); results stacked, shape = repeat x call_shape.
  op linear  torch.manual_seed(seed), then `repeat` constructions of
             torch.nn.Linear(in_features, out_features, bias=bool(bias));
             per layer weight.flatten() then bias (if any), shape = repeat x N.
  op randn   g = torch.Generator().manual_seed(seed), then `repeat` calls of
             torch.randn(call_shape, generator=g); results stacked, shape =
             repeat x call_shape. With `global 1` the record was drawn with
             torch.manual_seed(seed) and the global generator instead (the
             numbers are the same).
  op multinomial
             g = torch.Generator().manual_seed(seed), then one call
             torch.multinomial(p, num_samples, replacement=True, generator=g),
             where p is the 1-D float32 tensor of weights in `probs` (float.hex,
             not normalised). The result is int64 indices, shape = num_samples.
  op multinomial_sequence
             As multinomial, but `draws` consecutive calls with num_samples=1;
             the result is the `draws` indices, as a sampling loop draws
             them. (In torch 1.13 each sample takes one double uniform, so
             this equals one call with num_samples=draws.)
  op randint g = torch.Generator().manual_seed(seed), then one call
             torch.randint(low, high, (n,), generator=g); int64 result.
  op python_shuffle
             Python's own generator: random.seed(seed), then
             random.shuffle(x) of x = list(range(n)); the result is x.
  op python_randbelow
             random.seed(seed), then `count` calls random._randbelow(n)
             (what random.randrange(n) and random.shuffle use).
  op dropout  torch.manual_seed(seed), then `repeat` calls of
             torch.nn.functional.dropout(torch.ones(call_shape), p,
             training=True); results stacked, shape = repeat x call_shape.
             Each call is torch.empty(call_shape).bernoulli_(1 - p) divided
             by 1 - p (kept entries are 1 / (1 - p), dropped ones 0).
  op dropout_then_rand
             torch.manual_seed(seed), a = F.dropout(torch.ones(call_shape), p,
             training=True), b = torch.rand(4); the result is
             torch.cat([a.flatten(), b]), shape = numel + 4: b shows where
             the dropout left the stream. Observed in torch 1.13: p = 0 and
             p = 1 draw nothing (b is torch.rand(4) straight after the seed);
             0 < p < 1 draws one 64-bit number (two 32-bit words) per element.
  op bernoulli
             torch.manual_seed(seed), then torch.empty(call_shape).bernoulli_(p).
             Observed in torch 1.13 (built without MKL): element i is
             1 if u_i < p, where u_i is the i-th value of
             torch.rand(numel, dtype=torch.float64) from the same seed.

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/rng.py

It rewrites rng.txt next to this file. Output is deterministic.
"""

import os
import random

import torch

NAME = "rng"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), NAME + ".txt")


def hex_values(t):
    # float.hex is exact, so the C++ side can compare bit for bit.
    assert t.dtype == torch.float32
    return " ".join(float(v).hex() for v in t.flatten().tolist())


def format_record(name, fields, t):
    """One record: the recipe fields first, then the float32 or int64 result."""
    if t.dtype == torch.float32:
        values = hex_values(t)
    elif t.dtype == torch.int64:
        values = " ".join(str(v) for v in t.flatten().tolist())
    else:
        raise TypeError(f"{name}: unsupported dtype {t.dtype}")
    lines = [f"[{name}]"]
    lines += [f"{key} {value}" for key, value in fields]
    lines += [
        f"dtype {str(t.dtype).replace('torch.', '')}",
        " ".join(["shape"] + [str(d) for d in t.shape]),
        "values " + values,
    ]
    return "\n".join(lines) + "\n"


def rand_record(seed, call_shape, repeat=1):
    torch.manual_seed(seed)
    draws = torch.stack([torch.rand(*call_shape) for _ in range(repeat)])
    dims = "x".join(str(d) for d in call_shape)
    name = f"rand_seed{seed}_{dims}" + (f"_x{repeat}" if repeat > 1 else "")
    fields = [("op", "rand"), ("seed", seed),
              ("call_shape", " ".join(str(d) for d in call_shape)),
              ("repeat", repeat)]
    return format_record(name, fields, draws)


def linear_record(seed, in_features, out_features, bias, repeat=1):
    torch.manual_seed(seed)
    layers = []
    for _ in range(repeat):
        # Constructing the layer is what consumes the generator: weight
        # first, then bias, both uniform(-1/sqrt(in), 1/sqrt(in)).
        layer = torch.nn.Linear(in_features, out_features, bias=bool(bias))
        parts = [layer.weight.detach().flatten()]
        if bias:
            parts.append(layer.bias.detach())
        layers.append(torch.cat(parts))
    name = (f"linear_seed{seed}_in{in_features}_out{out_features}_"
            + ("bias" if bias else "nobias")
            + (f"_x{repeat}" if repeat > 1 else ""))
    fields = [("op", "linear"), ("seed", seed),
              ("in_features", in_features), ("out_features", out_features),
              ("bias", int(bool(bias))), ("repeat", repeat)]
    return format_record(name, fields, torch.stack(layers))


def randn_record(seed, call_shape, repeat=1, use_global=False):
    if use_global:
        torch.manual_seed(seed)
        draws = [torch.randn(call_shape) for _ in range(repeat)]
    else:
        g = torch.Generator().manual_seed(seed)
        draws = [torch.randn(call_shape, generator=g) for _ in range(repeat)]
    dims = "x".join(str(d) for d in call_shape)
    name = (f"randn_{'global_' if use_global else ''}seed{seed}_{dims}"
            + (f"_x{repeat}" if repeat > 1 else ""))
    fields = [("op", "randn"), ("seed", seed),
              ("call_shape", " ".join(str(d) for d in call_shape)),
              ("repeat", repeat), ("global", int(use_global))]
    return format_record(name, fields, torch.stack(draws))


def multinomial_record(label, seed, p, num_samples):
    assert p.dtype == torch.float32 and p.dim() == 1
    g = torch.Generator().manual_seed(seed)
    picks = torch.multinomial(p, num_samples=num_samples, replacement=True,
                              generator=g)
    name = f"multinomial_{label}_seed{seed}_n{num_samples}"
    fields = [("op", "multinomial"), ("seed", seed),
              ("num_samples", num_samples), ("probs", hex_values(p))]
    return format_record(name, fields, picks)


def multinomial_sequence_record(label, seed, p, draws):
    assert p.dtype == torch.float32 and p.dim() == 1
    g = torch.Generator().manual_seed(seed)
    # One sample per call, as a sampling loop does it.
    picks = torch.cat([torch.multinomial(p, num_samples=1, replacement=True,
                                         generator=g) for _ in range(draws)])
    name = f"multinomial_sequence_{label}_seed{seed}_d{draws}"
    fields = [("op", "multinomial_sequence"), ("seed", seed),
              ("probs", hex_values(p)), ("draws", draws)]
    return format_record(name, fields, picks)


def randint_record(seed, low, high, n):
    g = torch.Generator().manual_seed(seed)
    drawn = torch.randint(low, high, (n,), generator=g)
    name = f"randint_seed{seed}_{low}_{high}_n{n}"
    fields = [("op", "randint"), ("seed", seed), ("low", low), ("high", high), ("n", n)]
    return format_record(name, fields, drawn)


def python_shuffle_record(seed, n):
    random.seed(seed)
    x = list(range(n))
    random.shuffle(x)
    fields = [("op", "python_shuffle"), ("seed", seed), ("n", n)]
    return format_record(f"python_shuffle_seed{seed}_n{n}", fields, torch.tensor(x, dtype=torch.int64))


def python_randbelow_record(seed, n, count):
    random.seed(seed)
    drawn = [random._inst._randbelow(n) for _ in range(count)]
    fields = [("op", "python_randbelow"), ("seed", seed), ("n", n), ("count", count)]
    return format_record(f"python_randbelow_seed{seed}_n{n}", fields, torch.tensor(drawn, dtype=torch.int64))


def shape_text(call_shape):
    return " ".join(str(d) for d in call_shape), "x".join(str(d) for d in call_shape)


def p_label(p):
    # 0.5 -> "0_5": no dot in a record name.
    return repr(p).replace(".", "_")


def dropout_record(seed, p, call_shape, repeat=1):
    torch.manual_seed(seed)
    draws = torch.stack([torch.nn.functional.dropout(torch.ones(call_shape), p, training=True)
                         for _ in range(repeat)])
    fields_shape, dims = shape_text(call_shape)
    name = (f"dropout_seed{seed}_p{p_label(p)}_{dims}"
            + (f"_x{repeat}" if repeat > 1 else ""))
    fields = [("op", "dropout"), ("seed", seed), ("p", repr(p)),
              ("call_shape", fields_shape), ("repeat", repeat)]
    return format_record(name, fields, draws)


def dropout_then_rand_record(seed, p, call_shape):
    torch.manual_seed(seed)
    a = torch.nn.functional.dropout(torch.ones(call_shape), p, training=True)
    b = torch.rand(4)
    fields_shape, dims = shape_text(call_shape)
    fields = [("op", "dropout_then_rand"), ("seed", seed), ("p", repr(p)),
              ("call_shape", fields_shape)]
    return format_record(f"dropout_then_rand_seed{seed}_p{p_label(p)}_{dims}", fields,
                         torch.cat([a.flatten(), b]))


def bernoulli_record(seed, p, call_shape):
    torch.manual_seed(seed)
    drawn = torch.empty(call_shape).bernoulli_(p)
    fields_shape, dims = shape_text(call_shape)
    fields = [("op", "bernoulli"), ("seed", seed), ("p", repr(p)),
              ("call_shape", fields_shape)]
    return format_record(f"bernoulli_seed{seed}_p{p_label(p)}_{dims}", fields, drawn)


def records():
    seeds = [0, 1, 42, 123, 789, 2147483647, 4294967295]
    # Small shapes for every seed; 2**31-1 and 2**32-1 probe seed-width handling.
    for seed in seeds:
        for call_shape in [(1,), (3, 2), (5,), (37,)]:
            yield rand_record(seed, call_shape)
    for seed in [0, 42, 123]:
        yield rand_record(seed, (6, 3))
    for seed in [1, 789]:
        yield rand_record(seed, (2, 3, 4))
    # A large draw, to catch any drift deep into the Mersenne Twister stream.
    yield rand_record(0, (100, 100))
    # The book's SelfAttention_v1: W_query, W_key, W_value from seed 123.
    yield rand_record(123, (3, 2), repeat=3)
    # Consecutive calls must continue the stream, not restart it.
    yield rand_record(42, (5,), repeat=2)

    # The book's SelfAttention_v2 (qkv_bias=False): three Linear(3, 2).
    yield linear_record(123, 3, 2, bias=0, repeat=3)
    yield linear_record(789, 3, 2, bias=0, repeat=3)
    yield linear_record(123, 2, 2, bias=1)
    for seed in [0, 1, 42, 123]:
        for in_features, out_features in [(3, 2), (768, 3), (7, 5), (1, 4), (10, 1)]:
            yield linear_record(seed, in_features, out_features, bias=1)
    yield linear_record(123, 4, 3, bias=1, repeat=2)

    # torch.randn: tensors under 16 elements are sampled one double at a
    # time, 16 and more by Box-Muller on blocks of 16 (with a redrawn tail
    # when the size is not a multiple of 16).
    randn_shapes = [(1,), (2,), (3,), (5,), (7,), (15,), (16,), (17,), (32,),
                    (48,), (100,), (27, 27), (10, 100)]
    for seed in [0, 42, 123, 2147483647]:
        for call_shape in randn_shapes:
            yield randn_record(seed, call_shape)
    # Consecutive calls continue the stream (and the cached normal sample).
    yield randn_record(123, (5,), repeat=3)
    yield randn_record(2147483647, (27, 27), repeat=2)
    # The global generator draws the same numbers as a fresh Generator.
    yield randn_record(123, (5,), use_global=True)

    # torch.multinomial with replacement, from 1-D float32 weights.
    yield multinomial_record("p3", 2147483647, torch.tensor([0.6, 0.3, 0.1]), 20)
    torch.manual_seed(7)
    rand27 = torch.rand(27)
    for seed in [0, 42]:
        yield multinomial_record("rand27", seed, rand27, 50)
    # Zero weights are never drawn.
    yield multinomial_record("zeros_inside", 2147483647,
                             torch.tensor([0., 2., 0., 1., 0.]), 30)
    # Weights need not sum to 1 (these sum to 17.3).
    yield multinomial_record("unnormalised", 123,
                             torch.tensor([5.0, 0.5, 2.3, 7.0, 2.5]), 25)
    yield multinomial_record("one_hot", 42, torch.tensor([0., 0., 1., 0.]), 5)
    # The bigram sampler's loop: one sample per call.
    yield multinomial_sequence_record("p4", 2147483647,
                                      torch.tensor([0.1, 0.2, 0.3, 0.4]), 40)

    # torch.randint: makemore's minibatch indices (182625 training examples),
    # small and negative ranges, and a range wider than 32 bits (64-bit draws).
    for seed in [0, 42, 2147483647]:
        yield randint_record(seed, 0, 182625, 32)
    yield randint_record(123, 5, 10, 20)
    yield randint_record(123, -3, 3, 20)
    yield randint_record(7, 0, 2**33 + 5, 10)

    # Python's random.shuffle decides makemore's train/dev/test split (seed 42).
    for seed in [0, 42, 2**40 + 3]:
        for n in [1, 2, 10, 1000]:
            yield python_shuffle_record(seed, n)
    yield python_shuffle_record(42, 32033)
    # Ranges that need more than 32 bits, and one just above a power of two
    # (many rejections).
    yield python_randbelow_record(42, 2**40 + 7, 20)
    yield python_randbelow_record(42, 2**16 + 1, 50)

    # Dropout in training mode (nn.Dropout, F.dropout): the causal attention
    # masks of lesson 05. Sizes under and over 16, and a batch of two 6x6.
    for seed in [0, 42, 123, 789]:
        for p in [0.5, 0.1]:
            for call_shape in [(6, 6), (2, 6, 6), (5,), (37,)]:
                yield dropout_record(seed, p, call_shape)
    # Consecutive calls continue the stream.
    yield dropout_record(123, 0.2, (6, 6), repeat=2)
    # Does dropout draw numbers at p = 0 and p = 1? (In torch 1.13: no; the
    # rand(4) after them equals torch.rand(4) right after the seed.)
    for p in (0.0, 1.0, 0.5):
        yield dropout_then_rand_record(123, p, (3, 3))
    # bernoulli_ with a scalar probability, what dropout draws its mask with.
    for seed in [0, 123]:
        for p in [0.3, 0.5, 0.9]:
            for call_shape in [(6, 6), (50,)]:
                yield bernoulli_record(seed, p, call_shape)


def main():
    torch.set_num_threads(1)
    header = (f"# generated by data/reference/{NAME}.py with torch {torch.__version__}; "
              f"do not edit, re-run /usr/bin/python3 data/reference/{NAME}.py\n")
    with open(OUT, "w", newline="\n") as out:
        out.write(header + "\n" + "\n".join(records()))


if __name__ == "__main__":
    main()
