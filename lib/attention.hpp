#pragma once
// Scaled dot-product attention, the function under every attention module of the
// book (sections 3.4-3.6), with its backward next to it. Shapes: T queries, S keys
// (S = T in self-attention), d_k the query/key width, d_v the value width; any
// leading batch dimensions (B, or B and heads) broadcast as in matmul.
//
//   scores  (..., T, S)   = q @ k.T / sqrt(d_k)      why sqrt(d_k): lesson 04
//   weights (..., T, S)   = softmax(scores masked to -inf where mask is nonzero)
//   dropped (..., T, S)   = dropout(weights)          lesson 05
//   context (..., T, d_v) = dropped @ v
#include "lib/dropout.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

// The causal mask of the book: (T, T), 1 above the diagonal (a token's future),
// 0 on and below it. torch.triu(torch.ones(T, T), diagonal=1)
Tensor causal_mask(std::size_t T);

// mask[:T, :T] of a module's (context_length, context_length) mask, for an input x
// of shape (batch, T, d_in); ShapeError naming `module` when x is not 3-D or T is
// longer than the context.
Tensor mask_for_input(const Tensor& mask, const Tensor& x, const char* module);

// softmax(scores.masked_fill(mask != 0, -inf), dim=-1). A row whose every position
// is masked gets weights of 0 rather than torch's NaN (0/0), so a bad mask shows
// as a context of zeros instead of poisoning everything after it.
Tensor masked_softmax(const Tensor& scores, const Tensor& mask);

// The heads of multi-head attention (lessons 06-07): B batch, T tokens, H heads of
// width hd.
// (B, T, H*hd) -> (B, H, T, hd): x.view(B, T, H, hd).transpose(1, 2)
Tensor split_heads(const Tensor& x, std::size_t num_heads);
// (B, H, T, hd) -> (B, T, H*hd): x.transpose(1, 2).contiguous().view(B, T, H*hd)
Tensor merge_heads(const Tensor& x);

// What the forward computed, kept for the backward.
struct Attention {
    Tensor context;  // (..., T, d_v)
    Tensor weights;  // (..., T, S) after the mask and softmax
    Tensor dropped;  // the weights after dropout (the same tensor's values without it)
};

// q (..., T, d_k), k (..., S, d_k), v (..., S, d_v). mask broadcasts to (..., T, S)
// (an empty Tensor() for none). dropout may be null; with one, g supplies its mask.
Attention scaled_dot_product_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& mask,
                                       Dropout* dropout = nullptr, Generator* g = nullptr);

struct AttentionGrads {
    Tensor dq, dk, dv;
};
// dcontext (..., T, d_v) -> the gradients of q, k and v, from the forward's result
// (and the dropout whose mask it drew, if any).
AttentionGrads scaled_dot_product_attention_backward(const Tensor& dcontext, const Tensor& q, const Tensor& k,
                                                     const Tensor& v, const Attention& forward,
                                                     const Dropout* dropout = nullptr);

}  // namespace wb
