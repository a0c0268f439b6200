#include "block_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "lib/ops.hpp"

namespace ring {
namespace {

// rows [first, first + n) of x
wb::Tensor row_range(const wb::Tensor& x, std::size_t first, std::size_t n) {
    wb::Tensor out = wb::zeros({n, x.size(1)});
    std::memcpy(out.data(), x.data() + first * x.size(1), n * x.size(1) * sizeof(float));
    return out;
}

}  // namespace

wb::PartialAttention attend_block_lib(const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v, bool diagonal) {
    if (!diagonal) return wb::attend_block(q, k, v);
    wb::Tensor mask = wb::zeros({q.size(0), k.size(0)});
    for (std::size_t i = 0; i < q.size(0); ++i)
        for (std::size_t j = i + 1; j < k.size(0); ++j) mask(i, j) = 1.0f;
    return wb::attend_block(q, k, v, mask);
}

wb::PartialAttention attend_block_blas(const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v, bool diagonal) {
    constexpr std::size_t kChunk = 512;
    const std::size_t n = q.size(0), S = k.size(0), dv = v.size(1);
    // the book's scores / d_k**0.5: divided by the square root rounded to float, as attend_block does
    const float scale = static_cast<float>(std::sqrt(static_cast<double>(k.size(1))));
    const float inf = std::numeric_limits<float>::infinity();
    wb::PartialAttention result = wb::empty_partial(n, dv);
    for (std::size_t c0 = 0; c0 < S; c0 += kChunk) {
        const std::size_t cn = std::min(kChunk, S - c0);
        // On the diagonal block queries 0 .. c0-1 see nothing of keys c0.. (their future):
        // only rows q0 .. n-1 are computed, so the block costs half of a full one.
        const std::size_t q0 = diagonal ? std::min(c0, n) : 0, rows = n - q0;
        if (rows == 0) break;
        wb::Tensor w = wb::matmul(row_range(q, q0, rows), wb::T(row_range(k, c0, cn)));  // scores, then weights
        wb::PartialAttention part = wb::empty_partial(n, dv);
        for (std::size_t r = 0; r < rows; ++r) {
            const std::size_t i = q0 + r;
            float* row = w.data() + r * cn;
            // keys c0 + j with c0 + j <= i are visible to query i on the diagonal block
            const std::size_t visible = diagonal ? std::min(cn, i - c0 + 1) : cn;
            float m = -inf;
            for (std::size_t j = 0; j < visible; ++j) m = std::max(m, row[j] / scale);
            float l = 0.0f;
            for (std::size_t j = 0; j < visible; ++j) l += row[j] = std::exp(row[j] / scale - m);
            for (std::size_t j = visible; j < cn; ++j) row[j] = 0.0f;
            for (std::size_t j = 0; j < visible; ++j) row[j] /= l;
            part.max(i) = m;
            part.sum(i) = l;
        }
        const wb::Tensor out = wb::matmul(w, row_range(v, c0, cn));  // (rows, dv)
        std::memcpy(part.out.data() + q0 * dv, out.data(), rows * dv * sizeof(float));
        result = wb::merge(result, part);
    }
    return result;
}

}  // namespace ring
