"""The record format of the reference files, shared by the lesson scripts.

A record is a `[name]` line, `key value` fields, then optionally a tensor
(dtype, shape, and its exact values: float32 as float.hex, integers in
decimal) and `text N` followed by N lines (what torch prints, or plain
Python results). lib/reference_file.cpp reads it.
"""

import torch


def format_record(name, t=None, show=True, fields=(), text=None):
    """One record: fields, then the tensor t (if any), then the text lines.

    With show, the text is str(t); otherwise `text` (a list of lines), if given.
    """
    lines = [f"[{name}]"]
    lines += [f"{key} {value}" for key, value in fields]
    if t is not None:
        if t.dtype == torch.float32:
            # float.hex is exact, so the C++ side can compare bit for bit.
            values = [float(v).hex() for v in t.flatten().tolist()]
        elif t.dtype in (torch.int32, torch.int64):
            values = [str(v) for v in t.flatten().tolist()]
        else:
            raise TypeError(f"{name}: unsupported dtype {t.dtype}")
        lines += [
            f"dtype {str(t.dtype).replace('torch.', '')}",
            " ".join(["shape"] + [str(d) for d in t.shape]),
            " ".join(["values"] + values),
        ]
        if show:
            text = str(t).split("\n")
    if text is not None:
        lines.append(f"text {len(text)}")
        lines += text
    return "\n".join(lines) + "\n"


def info(name, value=None, text=None):
    """A record of plain Python results: a number, or lines of text."""
    fields = [("op", "info")]
    if value is not None:
        fields.append(("value", value))
    return format_record(name, fields=fields, text=text)
