// Lesson 11: reference answers (the test suite links these; see exercises.hpp).
#include "exercises.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace lesson11 {

PartialAttention merge_partials(const PartialAttention& a, const PartialAttention& b) {
    const float inf = std::numeric_limits<float>::infinity();
    const std::size_t T = a.out.size(0), dv = a.out.size(1);
    PartialAttention m{wb::full({T}, -inf), wb::zeros({T}), wb::zeros({T, dv})};
    for (std::size_t i = 0; i < T; ++i) {
        const float mx = std::max(a.max(i), b.max(i));
        if (mx == -inf) continue;  // neither side has seen a key: exp(-inf - -inf) would be NaN
        const float wa = a.max(i) == -inf ? 0.0f : a.sum(i) * std::exp(a.max(i) - mx);
        const float wb = b.max(i) == -inf ? 0.0f : b.sum(i) * std::exp(b.max(i) - mx);
        m.max(i) = mx;
        m.sum(i) = wa + wb;
        for (std::size_t c = 0; c < dv; ++c) m.out(i, c) = (wa * a.out(i, c) + wb * b.out(i, c)) / (wa + wb);
    }
    return m;
}

Tensor rope(const Tensor& x, std::size_t position) {
    const std::size_t d = x.size(0), half = d / 2;
    if (d % 2 != 0) throw wb::ValueError("rope: the width must be even, to make pairs");
    Tensor out = wb::zeros({d});
    for (std::size_t i = 0; i < half; ++i) {
        const float theta = 1.0f / std::pow(10000.0f, static_cast<float>(2 * i) / static_cast<float>(d));
        const float angle = static_cast<float>(position) * theta;
        const float c = std::cos(angle), s = std::sin(angle);
        out(i) = x(i) * c - x(i + half) * s;
        out(i + half) = x(i + half) * c + x(i) * s;
    }
    return out;
}

Tensor attend_with_cache(const Tensor& q, const Tensor& k, const Tensor& v, Tensor& k_cache, Tensor& v_cache) {
    const std::size_t d = q.size(0);
    k_cache = wb::cat({k_cache, k.reshape({1, d})}, 0);
    v_cache = wb::cat({v_cache, v.reshape({1, v.size(0)})}, 0);
    const Tensor scores = wb::matmul(k_cache, q) / static_cast<float>(std::sqrt(static_cast<double>(d)));  // (t + 1)
    return wb::matmul(wb::softmax(scores, 0), v_cache);
}

}  // namespace lesson11
