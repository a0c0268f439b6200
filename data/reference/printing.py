"""Reference data for the C++ tensor printer: what PyTorch's print() shows.

Each record holds a tensor (dtype, shape, exact float32 values as float.hex)
and the lines of str(tensor) under the default print options. The C++ printer
must rebuild `text` from the other fields, digit for digit.

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/printing.py

It rewrites printing.txt next to this file. Output is deterministic.
"""

import math
import os

import torch

NAME = "printing"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), NAME + ".txt")

inf = math.inf
nan = math.nan


def format_record(name, t):
    """One record in the reference format shared by all oracle scripts."""
    if t.dtype == torch.float32:
        # float.hex is exact, so the C++ side gets bit-identical inputs.
        values = [float(v).hex() for v in t.flatten().tolist()]
    elif t.dtype == torch.int64:
        values = [str(v) for v in t.flatten().tolist()]
    else:
        raise TypeError(f"{name}: unsupported dtype {t.dtype}")
    text = str(t).split("\n")
    lines = [
        f"[{name}]",
        f"dtype {str(t.dtype).replace('torch.', '')}",
        " ".join(["shape"] + [str(d) for d in t.shape]),
        " ".join(["values"] + values),
        f"text {len(text)}",
    ]
    return "\n".join(lines + text) + "\n"


def cases():
    """Yield (record name, tensor); grouped by the printer rule they exercise."""
    f = torch.tensor  # float32 is the default dtype for Python floats

    # The book's running example and values derived from it.
    yield "book_inputs_6x3", f([[0.43, 0.15, 0.89], [0.55, 0.87, 0.66],
                                [0.57, 0.85, 0.64], [0.22, 0.58, 0.33],
                                [0.77, 0.25, 0.10], [0.05, 0.80, 0.55]])
    yield "book_scores_1d", f([0.9544, 1.4950, 1.4754, 0.8434, 0.7070, 1.0865])

    # 0-d tensors print as tensor(x) with no brackets.
    yield "scalar_fraction", f(1.4950)
    yield "scalar_int_valued", f(1.0)
    yield "scalar_negative", f(-0.5)
    yield "scalar_zero", f(0.0)
    yield "scalar_negative_zero", f(-0.0)
    yield "scalar_tiny_sci", f(1.2345e-7)
    yield "scalar_negative_tiny_sci", f(-1.2345e-7)
    yield "scalar_huge_sci", f(3.0e9)
    yield "scalar_nan", f(nan)
    yield "scalar_neg_inf", f(-inf)
    yield "scalar_pos_inf", f(inf)

    # Fixed-point mode: sign padding and a common field width.
    yield "fixed_mixed_sign", f([0.5, -0.25, 1.125, -2.0625])
    yield "fixed_int_part_widths", f([123.4567, 0.5, -7.25, 42.0])
    yield "fixed_all_negative", f([-0.1, -0.25, -3.5])
    yield "fixed_2d_mixed_sign", f([[-1.5, 0.25], [10.125, -0.0625]])
    # Rounding can widen the field: 9.99996 prints as 10.0000.
    yield "fixed_rounding_widens", f([0.99996, 0.12345, 9.99996])

    # Integer-valued floats print as "2." with no fractional digits.
    yield "intval_1d", f([2.0, 2.0, 0.0])
    yield "intval_2d_mixed_width", f([[1.0, -3.0], [10.0, 200.0]])
    yield "intval_all_zeros", torch.zeros(2, 3)
    yield "intval_negative_zero", f([-0.0, 1.0, 2.0])
    # Zeros are ignored when measuring widths, so -0. is never padded.
    yield "intval_negative_zero_only", f([-0.0, 0.0])
    yield "intval_negative_zero_2d", f([[-0.0, 1.0], [1.0, -0.0]])
    yield "intval_ratio_over_1000_sci", f([1.0, 2000.0, 3.0])
    # torch switches to scientific only when max/min is strictly above 1000
    yield "intval_ratio_exactly_1000_fixed", f([1.0, 1000.0])
    yield "intval_over_1e8_sci", f([1.0, 2.0e8])
    yield "intval_large_fixed", f([1.0, 999.0, -500.0])
    yield "intval_near_1e8", f([12345678.0, 90000000.0])

    # Non-finite values are ignored when choosing the format.
    yield "nonfinite_causal_row", f([0.9544, -inf, -inf])
    masked = torch.tensor([[0.9544, 1.4950, 1.4754],
                           [0.4753, 0.8434, 0.7070],
                           [0.6310, 1.0865, 1.0605]])
    yield "nonfinite_masked_scores_2d", masked.masked_fill(
        torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1), -inf)
    yield "nonfinite_nan_among_values", f([0.25, nan, -1.5])
    yield "nonfinite_all_inf", f([inf, -inf, inf])
    yield "nonfinite_all_nan", f([nan, nan])
    yield "nonfinite_nan_int_values", f([nan, 1.0, 2.0])
    yield "nonfinite_inf_sci", f([1e-5, inf, 1.0])

    # Scientific mode triggers: tiny min, large ratio, huge max.
    yield "sci_tiny_min", f([1e-5, 1.0])
    yield "sci_ratio_over_1000", f([0.5, 1500.25])
    yield "fixed_ratio_exactly_1000", f([0.5, 500.0, 1.25])
    yield "sci_max_over_1e8", f([1.5e8, 2.5])
    yield "sci_negative", f([-1e-5, 2.5, -300.0])
    yield "sci_2d", f([[1e-6, 2.0], [-3.5e4, 0.125]])
    yield "sci_zero_ignored", f([0.0, 1e-3, 0.5])
    # Rounding to 5 significant digits can bump the exponent.
    yield "sci_rounding_bumps_exponent", f([9.99996e-5, 1.0])

    # Line wrapping at linewidth 80.
    torch.manual_seed(0)
    yield "wrap_1d_20", torch.randn(20) * 10
    yield "wrap_1d_30", torch.randn(30) * 10
    yield "wrap_1d_100", torch.randn(100) * 10
    yield "wrap_2d_3x25", torch.randn(3, 25)
    yield "wrap_3d_2x2x15", torch.randn(2, 2, 15) * 100
    yield "wrap_1d_sci_20", torch.randn(20) * 1e-5
    yield "wrap_int64_arange_mul", torch.arange(0, 300, 7) * 1001

    # Nesting: blank lines between sub-blocks, more for deeper dims.
    torch.manual_seed(1)
    yield "nest_3d_2x3x4", torch.rand(2, 3, 4)
    yield "nest_3d_2x6x6", torch.rand(2, 6, 6)
    yield "nest_4d_2x2x2x3", torch.rand(2, 2, 2, 3)
    yield "nest_3d_1x1x1", f([[[7.5]]])
    yield "nest_2d_1x4", f([[1.0, 2.5, 3.0, 4.0]])
    yield "nest_2d_4x1", f([[1.0], [2.5], [3.0], [4.0]])

    # Summarisation (> 1000 elements): edgeitems 3 then "...".
    torch.manual_seed(2)
    yield "summarise_1d_1001", torch.arange(1001.0) / 7
    yield "summarise_1d_2000", torch.arange(2000.0) / 7
    yield "summarise_2d_40x40", torch.rand(40, 40)
    yield "summarise_2d_3x400", torch.rand(3, 400)
    yield "summarise_2d_400x3", torch.rand(400, 3)
    yield "summarise_3d_12x10x10", torch.rand(12, 10, 10)
    yield "summarise_intval_2d_50x50", torch.arange(2500.0).reshape(50, 50)
    yield "summarise_int64_1d_1200", torch.arange(1200)
    yield "not_summarised_1d_1000", torch.arange(1000.0) / 3
    # Only the shown edge items choose the format: the hidden 1e-6 would
    # otherwise force scientific mode.
    hidden = torch.ones(2000)
    hidden[1000] = 1e-6
    yield "summarise_hidden_value_ignored", hidden

    # int64 tensors: plain decimal, right-aligned to a common width.
    yield "int64_1d", torch.tensor([1, 2, 3])
    yield "int64_negative", torch.tensor([[-1, 100], [7, -2000]])
    yield "int64_scalar", torch.tensor(42)
    yield "int64_scalar_negative", torch.tensor(-7)
    yield "int64_large", torch.tensor([1, -9007199254740993, 2**62])

    # Empty tensors.
    yield "empty_float_1d", torch.tensor([])
    yield "empty_float_2d_0x3", torch.zeros(0, 3)
    yield "empty_int64_1d", torch.tensor([], dtype=torch.int64)

    # Random tensors with varying magnitudes, so widths and modes vary.
    shapes = [(5,), (4, 4), (3, 7)]
    for seed in range(5):
        for scale in (0.01, 1, 100):
            torch.manual_seed(seed)
            shape = shapes[(seed + int(math.log10(scale))) % len(shapes)]
            dims = "x".join(str(d) for d in shape)
            yield f"random_seed{seed}_scale{scale}_{dims}", torch.randn(shape) * scale


def main():
    header = (f"# generated by data/reference/{NAME}.py with torch {torch.__version__}; "
              f"do not edit, re-run /usr/bin/python3 data/reference/{NAME}.py\n")
    records = [format_record(name, t) for name, t in cases()]
    # "\n" keeps the file identical across platforms.
    with open(OUT, "w", newline="\n") as out:
        out.write(header + "\n" + "\n".join(records))


if __name__ == "__main__":
    main()
