// Reference answers to lesson 08's exercises (the contract is in
// lessons/08_sparse_attention/exercises.hpp).
#include "exercises.hpp"

#include <algorithm>

#include "lib/tensor.hpp"

namespace lesson08 {

Tensor strided_mask(std::size_t T, std::size_t stride) {
    Tensor mask = wb::ones({T, T});
    for (std::size_t i = 0; i < T; ++i)
        for (std::size_t j = 0; j <= i; ++j)
            if (i - j < stride || (i - j) % stride == 0) mask(i, j) = 0.0f;
    return mask;
}

Tensor fixed_mask(std::size_t T, std::size_t stride, std::size_t summary) {
    Tensor mask = wb::ones({T, T});
    for (std::size_t i = 0; i < T; ++i)
        for (std::size_t j = 0; j <= i; ++j)
            if (j / stride == i / stride || j % stride >= stride - summary) mask(i, j) = 0.0f;
    return mask;
}

std::uint64_t sliding_window_pairs(std::uint64_t T, std::uint64_t w) {
    // Query i sees min(i + 1, w) keys: the first w queries see 1, 2, ..., w, every later one w.
    const std::uint64_t ramp = std::min(T, w);
    return ramp * (ramp + 1) / 2 + (T - ramp) * w;
}

}  // namespace lesson08
