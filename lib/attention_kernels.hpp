#pragma once
// lib-internal: multi-head attention's inner loops, reading the heads where the
// projections left them. GroupedQueryAttention uses these; the lessons use the
// Tensor functions of lib/attention.hpp, which say the same thing in matmuls.
//
// The projections write queries (B*T, H*hd): token t of batch row b is row b*T + t,
// and head h is columns [h*hd, (h+1)*hd) of it. split_heads would copy that into
// (B, H, T, hd) so each head is a matrix of its own, and merge_heads copies the
// context back; here a head is read in place, a row `ld` floats after the one
// before. Keys and values have H_kv heads; query head h reads K/V head h / (H / H_kv),
// as repeat_kv would arrange, without the copies.
//
// Why loops rather than a BLAS call per head: in the capstone's GPT a head is a
// (16, 16) matrix, and one sgemm of that size costs more in its call than in its
// arithmetic (the matmul version of a layer's attention: about 1 ms a step, these
// loops about 0.1 ms).
//
// Each function does batch rows [b0, b1), so the caller can split the batch over
// the cores; the arithmetic of a row does not depend on which rows share a call.
#include <cstddef>

namespace wb::detail {

struct Heads {
    std::size_t T;     // tokens per batch row
    std::size_t H;     // query heads
    std::size_t H_kv;  // key/value heads, dividing H
    std::size_t hd;    // channels per head
};

// weights (B, H, T, T) = softmax(q @ k.T / sqrt(hd), masked where mask (T, T) is
// nonzero) for each head; a fully masked row gets zeros. q has rows ldq floats
// apart, k ldk floats apart.
void attention_weights(float* weights, const float* q, std::size_t ldq, const float* k, std::size_t ldk,
                       const float* mask, const Heads& heads, std::size_t b0, std::size_t b1);

// context (B*T, H*hd) = weights (B, H, T, T) @ v per head, written where merge_heads
// would put it (rows ldc floats apart); v has rows ldv floats apart.
void attention_context(float* context, std::size_t ldc, const float* weights, const float* v, std::size_t ldv,
                       const float* mask, const Heads& heads, std::size_t b0, std::size_t b1);

// The backward of both, from dcontext (B*T, H*hd, rows ldc apart). weights are the
// softmax's, dropped what the context used (the same array without dropout), and
// dropout_mask the dropout's multipliers (null without dropout).
// Writes dq (rows ldq apart) and dk, dv (rows ldk apart; a K/V head's rows get the
// sum over the query heads of its group): their rows of batch rows [b0, b1) only.
void attention_backward(float* dq, float* dk, float* dv, const float* dcontext, std::size_t ldc, const float* q,
                        std::size_t ldq, const float* k, const float* v, std::size_t ldk, const float* weights,
                        const float* dropped, const float* dropout_mask, const float* mask, const Heads& heads,
                        std::size_t b0, std::size_t b1);

}  // namespace wb::detail
