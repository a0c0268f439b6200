#include "lib/flash_attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/kernels.hpp"
#include "lib/ops.hpp"
#include "lib/parallel.hpp"
#include "lib/vector_math.hpp"

// The row loops over a tile are compiled for AVX-512, AVX2 + FMA and plain x86-64,
// the best picked when the program starts, as in vector_math.cpp.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define WB_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WB_SIMD_CLONES
#endif

namespace wb {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// The book's scores / d_k**0.5: the float division by the double sqrt rounded to float.
float sqrt_d(std::size_t d) { return static_cast<float>(std::sqrt(static_cast<double>(d))); }

void check_qkv(const char* op, const Tensor& q, const Tensor& k, const Tensor& v) {
    if (q.dim() != 2 || k.dim() != 2 || v.dim() != 2)
        throw ShapeError(fmt::format("{}: q, k and v must be matrices (tokens, features); got q {}, k {}, v {}", op,
                                     to_string(q.shape()), to_string(k.shape()), to_string(v.shape())));
    if (q.size(1) != k.size(1))
        throw ShapeError(fmt::format("{}: queries and keys must have the same width; got q {} and k {}", op,
                                     to_string(q.shape()), to_string(k.shape())));
    if (k.size(0) != v.size(0))
        throw ShapeError(fmt::format("{}: one value per key; got k {} and v {}", op, to_string(k.shape()),
                                     to_string(v.shape())));
    if (q.size(0) == 0 || k.size(0) == 0 || q.size(1) == 0 || v.size(1) == 0)
        throw ShapeError(fmt::format("{}: needs at least one query, one key and widths of at least 1; got q {}, k {}, "
                                     "v {}",
                                     op, to_string(q.shape()), to_string(k.shape()), to_string(v.shape())));
}

// exp(a - b) where a <= b, with exp(-inf - -inf) taken as 0 (nothing seen: nothing to keep)
float rescale(float a, float b) { return a == -kInf ? 0.0f : std::exp(a - b); }

}  // namespace

PartialAttention empty_partial(std::size_t rows, std::size_t d_v) {
    return {full({rows}, -kInf), zeros({rows}), zeros({rows, d_v})};
}

PartialAttention attend_block(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask) {
    check_qkv("attend_block", q, k, v);
    const std::size_t T = q.size(0), S = k.size(0), dv = v.size(1);
    if (mask.numel() != 0 && mask.shape() != Shape{T, S})
        throw ShapeError(fmt::format("attend_block: the mask must be (queries, keys) = {}; got {}", to_string({T, S}),
                                     to_string(mask.shape())));
    // The scores become the weights in place, row by row; then one product with the
    // values (OpenBLAS), not a loop over every weight and value channel.
    Tensor weights = matmul(q, wb::T(k)) / sqrt_d(k.size(1));  // (T, S)
    PartialAttention p = empty_partial(T, dv);
    const float* hidden = mask.numel() == 0 ? nullptr : mask.data();
    for (std::size_t i = 0; i < T; ++i) {
        float* row = weights.data() + i * S;
        const auto visible = [&](std::size_t j) { return hidden == nullptr || hidden[i * S + j] == 0.0f; };
        float m = -kInf;
        for (std::size_t j = 0; j < S; ++j)
            if (visible(j)) m = std::max(m, row[j]);
        float l = 0.0f;
        for (std::size_t j = 0; j < S; ++j) {
            row[j] = m == -kInf || !visible(j) ? 0.0f : std::exp(row[j] - m);  // no key visible: a row of 0
            l += row[j];
        }
        if (m == -kInf) continue;
        for (std::size_t j = 0; j < S; ++j) row[j] /= l;
        p.max(i) = m;
        p.sum(i) = l;
    }
    p.out = matmul(weights, v);  // (T, d_v): each row the values averaged with its weights
    return p;
}

PartialAttention merge(const PartialAttention& a, const PartialAttention& b) {
    if (a.out.dim() != 2 || a.out.shape() != b.out.shape() || a.max.shape() != Shape{a.out.size(0)} ||
        a.sum.shape() != a.max.shape() || b.max.shape() != a.max.shape() || b.sum.shape() != a.max.shape())
        throw ShapeError(fmt::format("merge: two partial results of the same rows are needed: max (T), sum (T), out "
                                     "(T, d_v); got max {}, sum {}, out {} and max {}, sum {}, out {}",
                                     to_string(a.max.shape()), to_string(a.sum.shape()), to_string(a.out.shape()),
                                     to_string(b.max.shape()), to_string(b.sum.shape()), to_string(b.out.shape())));
    const std::size_t T = a.out.size(0), dv = a.out.size(1);
    PartialAttention m = empty_partial(T, dv);
    for (std::size_t i = 0; i < T; ++i) {
        const float mx = std::max(a.max(i), b.max(i));
        if (mx == -kInf) continue;  // neither side has seen a key
        const float wa = a.sum(i) * rescale(a.max(i), mx), wb = b.sum(i) * rescale(b.max(i), mx);
        const float l = wa + wb;
        m.max(i) = mx;
        m.sum(i) = l;
        for (std::size_t c = 0; c < dv; ++c) m.out(i, c) = (wa * a.out(i, c) + wb * b.out(i, c)) / l;
    }
    return m;
}

Tensor flash_attention(const Tensor& q, const Tensor& k, const Tensor& v, const FlashOptions& options) {
    check_qkv("flash_attention", q, k, v);
    const std::size_t T = q.size(0), S = k.size(0), d = q.size(1), dv = v.size(1);
    if (options.block_q == 0 || options.block_k == 0)
        throw ValueError(fmt::format("flash_attention: blocks of {} queries by {} keys; both must be at least 1",
                                     options.block_q, options.block_k));
    std::vector<unsigned char> padding;
    if (options.key_padding.numel() != 0) {
        if (options.key_padding.shape() != Shape{S})
            throw ShapeError(fmt::format("flash_attention: key_padding needs one entry per key, shape {}; got {}",
                                         to_string({S}), to_string(options.key_padding.shape())));
        for (const float x : options.key_padding.values()) padding.push_back(x != 0.0f ? 1 : 0);
    }
    Tensor out = zeros({T, dv});
    detail::flash_attention(out.data(), q.data(), k.data(), v.data(), T, S, d, dv, options.causal,
                            padding.empty() ? nullptr : padding.data(), options.block_q, options.block_k);
    return out;
}

namespace detail {
namespace {

// One tile of scores s (rows x cols, `ld` floats a row), just out of q @ k.T, becomes
// the tile of exp(score / scale - m_new) that multiplies the values, row by row:
// the hidden keys (past visible[r], or padded) get -inf and so weight 0. The row's
// running max m and sum l are updated, and the factor exp(m_old - m_new) by which
// the accumulated output must shrink is written to alpha.
WB_SIMD_CLONES void softmax_tile(float* s, std::size_t rows, std::size_t cols, std::size_t ld,
                                 const std::size_t* visible, const unsigned char* padding, float inv_scale, float* m,
                                 float* l, float* alpha) {
    for (std::size_t r = 0; r < rows; ++r) {
        float* row = s + r * ld;
        const std::size_t n = visible[r];
        float row_max = -kInf;
        for (std::size_t j = 0; j < cols; ++j) {
            const bool hidden = j >= n || (padding && padding[j]);
            row[j] = hidden ? -kInf : row[j] * inv_scale;
            row_max = std::max(row_max, row[j]);
        }
        const float m_new = std::max(m[r], row_max);
        if (m_new == -kInf) {  // nothing visible yet: the row stays empty (every exp below gives 0)
            alpha[r] = 1.0f;
            continue;
        }
        alpha[r] = m[r] == -kInf ? 0.0f : std::exp(m[r] - m_new);
        for (std::size_t j = 0; j < cols; ++j) row[j] -= m_new;  // -inf stays -inf, exp gives 0
        m[r] = m_new;
    }
    for (std::size_t r = 0; r < rows; ++r) exp(s + r * ld, s + r * ld, cols);
    for (std::size_t r = 0; r < rows; ++r) {
        const float* row = s + r * ld;
        float total = 0.0f;
        for (std::size_t j = 0; j < cols; ++j) total += row[j];
        l[r] = l[r] * alpha[r] + total;
    }
}

// acc (rows, dv) row r times alpha[r]
WB_SIMD_CLONES void scale_rows(float* acc, std::size_t rows, std::size_t dv, const float* alpha) {
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < dv; ++c) acc[r * dv + c] *= alpha[r];
}

}  // namespace

void flash_attention(float* out, const float* q, const float* k, const float* v, std::size_t T, std::size_t S,
                     std::size_t d, std::size_t dv, bool causal, const unsigned char* key_padding,
                     std::size_t block_q, std::size_t block_k) {
    const float inv_scale = 1.0f / sqrt_d(d);
    const std::size_t q_blocks = (T + block_q - 1) / block_q;
    // One chunk per block of queries. Under the causal mask the last blocks have the
    // most keys to see, so they are handed out first: the cores finish together.
    parallel_for(q_blocks, 1, [&](std::size_t begin, std::size_t end) {
        std::vector<float> scores(block_q * block_k), acc(block_q * dv), m(block_q), l(block_q), alpha(block_q);
        std::vector<std::size_t> visible(block_q);
        for (std::size_t chunk = begin; chunk < end; ++chunk) {
            const std::size_t q0 = (q_blocks - 1 - chunk) * block_q, rows = std::min(block_q, T - q0);
            std::fill(m.begin(), m.end(), -kInf);
            std::fill(l.begin(), l.end(), 0.0f);
            std::fill(acc.begin(), acc.end(), 0.0f);
            // the keys this block of queries may see: all, or up to its last query
            const std::size_t key_end = causal ? std::min(S, q0 + rows) : S;
            for (std::size_t k0 = 0; k0 < key_end; k0 += block_k) {
                const std::size_t cols = std::min(block_k, key_end - k0);
                for (std::size_t r = 0; r < rows; ++r)  // query q0 + r sees keys up to q0 + r
                    visible[r] = causal ? std::min(cols, q0 + r + 1 > k0 ? q0 + r + 1 - k0 : 0) : cols;
                // scores (rows, cols) = q block @ k block.T
                gemm(false, true, rows, cols, d, q + q0 * d, d, k + k0 * d, d, scores.data(), block_k, 0.0f);
                softmax_tile(scores.data(), rows, cols, block_k, visible.data(), key_padding ? key_padding + k0 : nullptr,
                             inv_scale, m.data(), l.data(), alpha.data());
                // acc = acc * alpha + p @ v block
                scale_rows(acc.data(), rows, dv, alpha.data());
                gemm(false, false, rows, dv, cols, scores.data(), block_k, v + k0 * dv, dv, acc.data(), dv, 1.0f);
            }
            for (std::size_t r = 0; r < rows; ++r) {
                const float inv = l[r] > 0.0f ? 1.0f / l[r] : 0.0f;  // a row that saw no key: zeros
                for (std::size_t c = 0; c < dv; ++c) out[(q0 + r) * dv + c] = acc[r * dv + c] * inv;
            }
        }
    });
}

}  // namespace detail
}  // namespace wb
