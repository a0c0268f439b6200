#include "lib/kernels.hpp"

#include <algorithm>
#include <cmath>

#include <cblas.h>
#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/parallel.hpp"
#include "lib/torch_sum.hpp"
#include "lib/vector_math.hpp"

namespace wb::detail {

void gemm(bool a_t, bool b_t, std::size_t n, std::size_t m, std::size_t k, const float* a, const float* b, float* out,
          float beta) {
    gemm(a_t, b_t, n, m, k, a, a_t ? n : k, b, b_t ? k : m, out, m, beta);
}

void gemm(bool a_t, bool b_t, std::size_t n, std::size_t m, std::size_t k, const float* a, std::size_t lda,
          const float* b, std::size_t ldb, float* out, std::size_t ldout, float beta) {
    if (n == 0 || m == 0) return;
    if (k == 0) {  // BLAS is not asked to multiply empty inner dimensions
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t j = 0; j < m; ++j) out[i * ldout + j] = beta == 0.0f ? 0.0f : beta * out[i * ldout + j];
        return;
    }
    const auto as_int = [](std::size_t x) { return static_cast<int>(x); };
    cblas_sgemm(CblasRowMajor, a_t ? CblasTrans : CblasNoTrans, b_t ? CblasTrans : CblasNoTrans, as_int(n), as_int(m),
                as_int(k), 1.0f, a, as_int(lda), b, as_int(ldb), beta, out, as_int(ldout));
}

namespace {

std::size_t ceil_log2(std::size_t n) {
    std::size_t p = 0;
    while ((std::size_t{1} << p) < n) ++p;
    return p;
}

}  // namespace

void linear_forward(float* out, const float* inp, const float* weight, const float* bias, std::size_t rows,
                    std::size_t n_in, std::size_t n_out) {
    // each row is its own: rows [r0, r1) at a time
    parallel_for(rows, kRowsPerChunk, [&](std::size_t r0, std::size_t r1) {
        gemm(false, true, r1 - r0, n_out, n_in, inp + r0 * n_in, weight, out + r0 * n_out, 0.0f);
        if (bias) add_bias(out + r0 * n_out, bias, r1 - r0, n_out);
    });
}

void linear_backward(float* dinp, bool accumulate, float* dweight, float* dbias, const float* dout, const float* inp,
                     const float* weight, std::size_t rows, std::size_t n_in, std::size_t n_out) {
    // Two kinds of task in one list, so the cores wait for each other once: dinp a
    // chunk of rows at a time (as the forward), and the weight's gradient, which sums
    // over every row, a chunk of output features at a time (rows [o0, o1) of dweight
    // from columns [o0, o1) of dout).
    const std::size_t row_tasks = dinp ? (rows + kRowsPerChunk - 1) / kRowsPerChunk : 0;
    const std::size_t feature_tasks = (n_out + kFeaturesPerChunk - 1) / kFeaturesPerChunk;
    parallel_for(row_tasks + feature_tasks, 1, [&](std::size_t task, std::size_t) {
        if (task < row_tasks) {
            const std::size_t r0 = task * kRowsPerChunk, r1 = std::min(rows, r0 + kRowsPerChunk);
            gemm(false, false, r1 - r0, n_in, n_out, dout + r0 * n_out, weight, dinp + r0 * n_in,
                 accumulate ? 1.0f : 0.0f);
        } else {
            const std::size_t o0 = (task - row_tasks) * kFeaturesPerChunk;
            linear_weight_gradients(dweight, dbias, dout, n_out, inp, rows, n_in, n_out, o0,
                                    std::min(n_out, o0 + kFeaturesPerChunk));
        }
    });
}

void linear_weight_gradients(float* dweight, float* dbias, const float* dout, std::size_t ld_dout, const float* inp,
                             std::size_t rows, std::size_t n_in, std::size_t n_out, std::size_t o0, std::size_t o1) {
    gemm(true, false, o1 - o0, n_in, rows, dout + o0, ld_dout, inp, n_in, dweight + o0 * n_in, n_in, 1.0f);
    if (dbias) add_torch_column_sums(dbias, dout, rows, n_out, ld_dout, o0, o1);
}

void add_torch_column_sums(float* dbias, const float* x, std::size_t rows, std::size_t cols, std::size_t stride,
                           std::size_t c0, std::size_t c1) {
    // torch_outer_sum's order: columns in full groups of 32 (4 when there are fewer
    // than 8 columns) each take a cascade down the rows, the others row_sum's order,
    // which torch_inner_sum gives for a strided column.
    const std::size_t group = cols >= 8 ? 32 : 4, grouped = cols / group * group;
    // The cascade: rows added 2^level_power at a time into acc[0], each full chunk
    // folded into acc[1], acc[1] into acc[2] every 2^level_power chunks, and so on.
    // Its steps depend on the row count only, so a block of columns can go through
    // it side by side, reading x a row at a time instead of down each column (the
    // column-at-a-time loop cost 3% of a GPT training step).
    constexpr std::size_t kLevels = 4, kBlock = 32;
    const std::size_t level_power = std::max<std::size_t>(4, ceil_log2(rows) / kLevels);
    const std::size_t level_step = std::size_t{1} << level_power, level_mask = level_step - 1;
    for (std::size_t b0 = c0; b0 < std::min(c1, grouped); b0 += kBlock) {
        const std::size_t n = std::min({kBlock, c1 - b0, grouped - b0});
        float acc[kLevels][kBlock] = {};
        const auto add_row = [&](std::size_t i) {
            for (std::size_t c = 0; c < n; ++c) acc[0][c] += x[i * stride + b0 + c];
        };
        std::size_t i = 0;
        while (i + level_step <= rows) {
            for (std::size_t j = 0; j < level_step; ++j, ++i) add_row(i);
            for (std::size_t l = 1; l < kLevels; ++l) {
                for (std::size_t c = 0; c < n; ++c) {
                    acc[l][c] += acc[l - 1][c];
                    acc[l - 1][c] = 0.0f;
                }
                if ((i & (level_mask << (l * level_power))) != 0) break;
            }
        }
        for (; i < rows; ++i) add_row(i);
        for (std::size_t l = 1; l < kLevels; ++l)
            for (std::size_t c = 0; c < n; ++c) acc[0][c] += acc[l][c];
        for (std::size_t c = 0; c < n; ++c) dbias[b0 + c] += acc[0][c];
    }
    for (std::size_t c = std::max(c0, grouped); c < c1; ++c) dbias[c] += torch_inner_sum(x + c, rows, stride);
}

void check_indices(const std::vector<std::size_t>& ix, std::size_t limit, const char* op) {
    for (std::size_t n = 0; n < ix.size(); ++n)
        if (ix[n] >= limit)
            throw IndexError(fmt::format("{}: index {} at position {} is out of range for {} rows", op, ix[n], n, limit));
}

void add_bias(float* out, const float* bias, std::size_t rows, std::size_t cols) {
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) out[r * cols + c] += bias[c];
}

void add_column_sums(float* dbias, const float* dout, std::size_t rows, std::size_t cols, std::size_t stride) {
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) dbias[c] += dout[r * stride + c];
}

void embedding_forward(float* out, const float* table, std::span<const std::size_t> ix, std::size_t C) {
    for (std::size_t n = 0; n < ix.size(); ++n) std::copy_n(table + ix[n] * C, C, out + n * C);
}

void embedding_backward(float* dtable, const float* dout, std::span<const std::size_t> ix, std::size_t C) {
    for (std::size_t n = 0; n < ix.size(); ++n)
        for (std::size_t c = 0; c < C; ++c) dtable[ix[n] * C + c] += dout[n * C + c];
}

namespace {
constexpr float kGeluScale = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kGeluCubic = 0.044715f;
}  // namespace

void gelu_forward(float* out, float* t, const float* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) t[i] = kGeluScale * (x[i] + kGeluCubic * x[i] * x[i] * x[i]);
    tanh(t, t, n);
    for (std::size_t i = 0; i < n; ++i) out[i] = 0.5f * x[i] * (1.0f + t[i]);
}

void gelu_backward(float* dinp, const float* dout, const float* x, const float* t, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        // d/dx [0.5 x (1 + t)] = 0.5 (1 + t) + 0.5 x (1 - t^2) du/dx, u = sqrt(2/pi) (x + 0.044715 x^3)
        const float du = kGeluScale * (1.0f + 3.0f * kGeluCubic * x[i] * x[i]);
        dinp[i] = dout[i] * (0.5f * (1.0f + t[i]) + 0.5f * x[i] * (1.0f - t[i] * t[i]) * du);
    }
}

void tanh_backward(float* dinp, const float* dout, const float* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) dinp[i] = dout[i] * (1.0f - out[i] * out[i]);
}

float cross_entropy_forward(float* probs, const float* logits, const std::vector<std::size_t>& targets,
                            std::size_t V) {
    double loss = 0.0;
    for (std::size_t b = 0; b < targets.size(); ++b) {
        const float* row = logits + b * V;
        float* p = probs + b * V;
        const float row_max = *std::max_element(row, row + V);
        for (std::size_t v = 0; v < V; ++v) p[v] = row[v] - row_max;  // exp of these cannot overflow
        exp(p, p, V);
        double total = 0.0;
        for (std::size_t v = 0; v < V; ++v) total += p[v];
        const float inv = static_cast<float>(1.0 / total);
        for (std::size_t v = 0; v < V; ++v) p[v] *= inv;
        loss += std::log(total) + row_max - row[targets[b]];
    }
    return static_cast<float>(loss / static_cast<double>(targets.size()));
}

void cross_entropy_backward(float* dlogits, const float* probs, const std::vector<std::size_t>& targets,
                            std::size_t V) {
    const float inv_b = 1.0f / static_cast<float>(targets.size());
    for (std::size_t b = 0; b < targets.size(); ++b)
        for (std::size_t v = 0; v < V; ++v)
            dlogits[b * V + v] = (probs[b * V + v] - (v == targets[b] ? 1.0f : 0.0f)) * inv_b;
}

}  // namespace wb::detail
