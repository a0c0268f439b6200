#include "lib/attention_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "lib/vector_math.hpp"

namespace wb::detail {
namespace {

// The book's scores / d_k**0.5: a float division by the double sqrt rounded to float.
float sqrt_d(std::size_t d) { return static_cast<float>(std::sqrt(static_cast<double>(d))); }

// tile (hd, T): the head's T rows (hd channels each, ld floats apart) transposed,
// so that a loop over the T tokens reads contiguous floats.
void transpose_head(float* tile, const float* x, std::size_t ld, std::size_t T, std::size_t hd) {
    for (std::size_t s = 0; s < T; ++s)
        for (std::size_t i = 0; i < hd; ++i) tile[i * T + s] = x[s * ld + i];
}

// row_end[t]: one past the last key that query t may see (0 if none); past it the
// mask hides every key, so nothing there is computed. A causal mask halves the work.
std::vector<std::size_t> row_ends(const float* mask, std::size_t T) {
    std::vector<std::size_t> end(T, 0);
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t s = 0; s < T; ++s)
            if (mask[t * T + s] == 0.0f) end[t] = s + 1;
    return end;
}

// out (T, T): out[t][s] = a_t . b_s for s < row_end[t] (0 beyond), for a's rows (ld
// floats apart) and b given as its transposed tile (hd, T). The token s is the inner
// loop, so the compiler turns it into vector operations; each dot product still
// adds its hd terms in order.
void all_dots(float* out, const float* a, std::size_t lda, const float* b_tile, const std::vector<std::size_t>& row_end,
              std::size_t T, std::size_t hd) {
    for (std::size_t t = 0; t < T; ++t) {
        float* o = out + t * T;
        const std::size_t end = row_end[t];
        std::fill(o, o + T, 0.0f);
        for (std::size_t i = 0; i < hd; ++i) {
            const float a_ti = a[t * lda + i];
            const float* b = b_tile + i * T;
            for (std::size_t s = 0; s < end; ++s) o[s] += a_ti * b[s];
        }
    }
}

// y (n) += alpha * x (n), as a loop the compiler inlines and vectorises
void add_scaled(float* y, float alpha, const float* x, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// One row of scores (T) becomes its softmax in place: masked places (mask nonzero)
// get weight 0, and a row with every place masked gets zeros (not torch's NaN).
void masked_softmax_row(float* row, const float* mask, std::size_t T, float scale) {
    const float inf = std::numeric_limits<float>::infinity();
    float row_max = -inf;
    for (std::size_t s = 0; s < T; ++s) {
        row[s] = mask[s] != 0.0f ? -inf : row[s] / scale;
        row_max = std::max(row_max, row[s]);
    }
    if (row_max == -inf) {
        std::fill(row, row + T, 0.0f);
        return;
    }
    for (std::size_t s = 0; s < T; ++s) row[s] -= row_max;  // exp of these cannot overflow; masked stay -inf
    exp(row, row, T);                                       // exp(-inf) = 0
    float total = 0.0f;
    for (std::size_t s = 0; s < T; ++s) total += row[s];
    const float inv = 1.0f / total;  // torch multiplies by 1 / sum
    for (std::size_t s = 0; s < T; ++s) row[s] *= inv;
}

}  // namespace

void attention_weights(float* weights, const float* q, std::size_t ldq, const float* k, std::size_t ldk,
                       const float* mask, const Heads& heads, std::size_t b0, std::size_t b1) {
    const auto [T, H, H_kv, hd] = heads;
    const float scale = sqrt_d(hd);
    const std::vector<std::size_t> row_end = row_ends(mask, T);
    std::vector<float> k_tile(hd * T);
    for (std::size_t b = b0; b < b1; ++b)
        for (std::size_t h = 0; h < H; ++h) {
            const std::size_t kv = h / (H / H_kv);
            transpose_head(k_tile.data(), k + b * T * ldk + kv * hd, ldk, T, hd);
            float* w = weights + (b * H + h) * T * T;
            // scores (T, T) = q_h @ k_kv.T, then each row's masked softmax
            all_dots(w, q + b * T * ldq + h * hd, ldq, k_tile.data(), row_end, T, hd);
            for (std::size_t t = 0; t < T; ++t) masked_softmax_row(w + t * T, mask + t * T, T, scale);
        }
}

void attention_context(float* context, std::size_t ldc, const float* weights, const float* v, std::size_t ldv,
                       const float* mask, const Heads& heads, std::size_t b0, std::size_t b1) {
    const auto [T, H, H_kv, hd] = heads;
    const std::vector<std::size_t> row_end = row_ends(mask, T);
    for (std::size_t b = b0; b < b1; ++b)
        for (std::size_t h = 0; h < H; ++h) {
            const float* vh = v + b * T * ldv + h / (H / H_kv) * hd;
            const float* w = weights + (b * H + h) * T * T;
            // context_t = sum over the keys s of w[t][s] * v_s; masked keys add nothing
            for (std::size_t t = 0; t < T; ++t) {
                float* c = context + (b * T + t) * ldc + h * hd;
                std::fill(c, c + hd, 0.0f);
                for (std::size_t s = 0; s < row_end[t]; ++s)
                    if (mask[t * T + s] == 0.0f) add_scaled(c, w[t * T + s], vh + s * ldv, hd);
            }
        }
}

void attention_backward(float* dq, float* dk, float* dv, const float* dcontext, std::size_t ldc, const float* q,
                        std::size_t ldq, const float* k, const float* v, std::size_t ldk, const float* weights,
                        const float* dropped, const float* dropout_mask, const float* mask, const Heads& heads,
                        std::size_t b0, std::size_t b1) {
    const auto [T, H, H_kv, hd] = heads;
    const float scale = sqrt_d(hd);
    const std::vector<std::size_t> row_end = row_ends(mask, T);
    std::vector<float> v_tile(hd * T), dw(T * T);
    for (std::size_t b = b0; b < b1; ++b) {
        // a K/V head collects the gradients of every query head of its group
        for (std::size_t t = 0; t < T; ++t) {
            std::fill_n(dk + (b * T + t) * ldk, H_kv * hd, 0.0f);
            std::fill_n(dv + (b * T + t) * ldk, H_kv * hd, 0.0f);
        }
        for (std::size_t h = 0; h < H; ++h) {
            const std::size_t kv = h / (H / H_kv), head = (b * H + h) * T * T;
            const float *dc = dcontext + b * T * ldc + h * hd, *qh = q + b * T * ldq + h * hd;
            const float *kh = k + b * T * ldk + kv * hd, *vh = v + b * T * ldk + kv * hd;
            float *dqh = dq + b * T * ldq + h * hd, *dkh = dk + b * T * ldk + kv * hd, *dvh = dv + b * T * ldk + kv * hd;
            const float *w = weights + head, *dr = dropped + head;
            // context = dropped @ v:  dv_s += sum_t dropped[t][s] * dcontext_t,  ddropped[t][s] = dcontext_t . v_s
            for (std::size_t t = 0; t < T; ++t)
                for (std::size_t s = 0; s < row_end[t]; ++s)
                    if (mask[t * T + s] == 0.0f) add_scaled(dvh + s * ldk, dr[t * T + s], dc + t * ldc, hd);
            transpose_head(v_tile.data(), vh, ldk, T, hd);
            all_dots(dw.data(), dc, ldc, v_tile.data(), row_end, T, hd);
            if (dropout_mask)  // dropout kept w * mask: its gradient passes the same mask
                for (std::size_t i = 0; i < T * T; ++i) dw[i] *= dropout_mask[head + i];
            for (std::size_t t = 0; t < T; ++t) {
                // softmax: dscores = w * (dw - sum(dw * w)) along the row, / sqrt(hd) for the scaling
                float* ds = dw.data() + t * T;
                const float* wt = w + t * T;
                float inner = 0.0f;
                for (std::size_t s = 0; s < T; ++s) inner += ds[s] * wt[s];
                for (std::size_t s = 0; s < T; ++s) ds[s] = wt[s] * (ds[s] - inner) / scale;
                // scores = q @ k.T:  dq_t = sum_s dscores[t][s] * k_s,  dk_s += dscores[t][s] * q_t
                float* dqt = dqh + t * ldq;
                std::fill(dqt, dqt + hd, 0.0f);
                for (std::size_t s = 0; s < row_end[t]; ++s) {
                    if (mask[t * T + s] != 0.0f) continue;  // w = 0 there: no gradient
                    add_scaled(dqt, ds[s], kh + s * ldk, hd);
                    add_scaled(dkh + s * ldk, ds[s], qh + t * ldq, hd);
                }
            }
        }
    }
}

}  // namespace wb::detail
