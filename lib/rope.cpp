#include "lib/rope.hpp"

#include <cmath>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

std::vector<float> rope_inverse_frequencies(std::size_t d, double base) {
    if (d < 2 || d % 2 != 0)
        throw ValueError(fmt::format("rope: a head width of {} cannot be cut into pairs; it takes an even width >= 2", d));
    if (!(base > 1.0))
        throw ValueError(fmt::format("rope: base {} does not make slower and slower rotations; it takes a base > 1",
                                     base));
    std::vector<float> inv_freq(d / 2);
    const float b = static_cast<float>(base);
    for (std::size_t i = 0; i < d / 2; ++i) {
        const float exponent = static_cast<float>(2 * i) / static_cast<float>(d);
        inv_freq[i] = 1.0f / std::pow(b, exponent);
    }
    return inv_freq;
}

Tensor apply_rope(const Tensor& x, const std::vector<std::size_t>& positions, double base) {
    if (x.dim() != 2 || positions.size() != x.size(0))
        throw ShapeError(fmt::format("apply_rope: x must be (tokens, d) with one position per token; got x {} and {} "
                                     "positions",
                                     to_string(x.shape()), positions.size()));
    const std::size_t d = x.size(1), half = d / 2;
    const std::vector<float> inv_freq = rope_inverse_frequencies(d, base);
    Tensor out = zeros(x.shape());
    for (std::size_t t = 0; t < x.size(0); ++t)
        for (std::size_t i = 0; i < half; ++i) {
            const float angle = static_cast<float>(positions[t]) * inv_freq[i];
            const float c = std::cos(angle), s = std::sin(angle);
            const float a = x(t, i), b = x(t, i + half);
            out(t, i) = a * c - b * s;
            out(t, i + half) = b * c + a * s;
        }
    return out;
}

Tensor apply_rope(const Tensor& x, std::size_t position, double base) {
    if (x.dim() != 1)
        throw ShapeError(fmt::format("apply_rope: x must be one vector (d) here; got {}", to_string(x.shape())));
    return apply_rope(x.reshape({1, x.size(0)}), std::vector<std::size_t>{position}, base).reshape({x.size(0)});
}

}  // namespace wb
