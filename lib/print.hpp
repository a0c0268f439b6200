#pragma once
// Printing exactly as PyTorch prints, so the student can hold the C++ output next
// to the book: `print(t)` shows `tensor([0.9544, 1.4950, ...])` with torch's
// 4 decimals, common width, sign padding, integer-valued floats as `2.`,
// scientific notation when torch switches to it, 80-column wrapping and `...`
// summarisation beyond 1000 elements. The rules are torch's own
// (torch/_tensor_str.py); tests compare against strings torch printed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "lib/tensor.hpp"

namespace wb {

// str(t) in PyTorch: "tensor([[0.4300, 0.1500, 0.8900], ...])".
std::string format(const Tensor& t);
// str(t) for an int64 tensor (torch.long), given its shape and values.
std::string format_int64(const Shape& shape, const std::vector<std::int64_t>& values);
// str(t) for an int32 tensor (torch.int32), which torch marks with ", dtype=torch.int32".
std::string format_int32(const Shape& shape, const std::vector<std::int32_t>& values);
// str(t.shape): "torch.Size([6, 3])".
std::string format_size(const Shape& shape);

// A count with thousands separators, as Python's f"{n:,}": "2,360,064".
std::string format_count(std::uint64_t n);

// What print(t) shows: format(t) and, when `colour` is on and t is a 2-D matrix of
// at most 16 x 16, its values once more as a block of coloured cells below, a
// terminal heatmap (lib/colormap.hpp) from its smallest to its largest finite value.
// print passes colour_terminal(): on a terminal, yes; piped into a file (as the
// golden tests do), no, and the text is exactly format(t).
std::string format_for_terminal(const Tensor& t, bool colour);

// print(t)
void print(const Tensor& t);
// print(label, t), e.g. print("Sum:", t) shows "Sum: tensor(1.0000)".
void print(std::string_view label, const Tensor& t);
// print(t.shape) and print(label, t.shape).
void print(const Shape& shape);
void print(std::string_view label, const Shape& shape);

}  // namespace wb

// fmt::print("{}", t) prints like print(t).
template <>
struct fmt::formatter<wb::Tensor> : fmt::formatter<std::string_view> {
    template <typename Context>
    auto format(const wb::Tensor& t, Context& ctx) const {
        return fmt::formatter<std::string_view>::format(wb::format(t), ctx);
    }
};
