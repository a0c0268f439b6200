#include "lib/kernels.hpp"

#include <algorithm>
#include <cmath>

#include <cblas.h>
#include <fmt/format.h>

#include "lib/errors.hpp"

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
