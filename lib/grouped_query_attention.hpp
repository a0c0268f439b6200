#pragma once
// Grouped-query attention (Ainslie et al. 2023), what Llama 2 70B and Llama 3 run:
// num_heads query heads, but only num_kv_heads key/value heads, each shared by a
// group of num_heads / num_kv_heads query heads. num_kv_heads = num_heads is the
// book's MultiHeadAttention; num_kv_heads = 1 is multi-query attention (Shazeer
// 2019). Fewer K/V heads mean smaller W_key and W_value and, at inference, a
// smaller KV cache (lesson 07's table).
//
//   x (B, T, d_in) -> queries (B, H, T, hd); keys, values (B, H_kv, T, hd)
//   -> repeat_kv: each K/V head copied to its group (B, H, T, hd)
//   -> causal scaled dot-product attention -> merge heads -> out_proj (B, T, d_out)
#include <vector>

#include "lib/attention.hpp"
#include "lib/dropout.hpp"
#include "lib/linear.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

// (B, H_kv, T, hd) -> (B, H_kv * groups, T, hd): head h of the result is head
// h / groups of x (torch.repeat_interleave(x, groups, dim=1)).
Tensor repeat_kv(const Tensor& x, std::size_t groups);
// Its backward: (B, H_kv * groups, T, hd) -> (B, H_kv, T, hd), each group summed.
Tensor repeat_kv_backward(const Tensor& dout, std::size_t groups);

class GroupedQueryAttention {
public:
    // num_heads must divide d_out and num_kv_heads must divide num_heads. Draws
    // W_query (d_in -> d_out), W_key and W_value (d_in -> num_kv_heads * head_dim)
    // and out_proj (d_out -> d_out, with bias), in that order: with num_kv_heads =
    // num_heads the weights are exactly MultiHeadAttention's for the same seed.
    // `name` is what error messages call the module (MultiHeadAttention is this one).
    GroupedQueryAttention(std::size_t d_in, std::size_t d_out, std::size_t context_length, double dropout,
                          std::size_t num_heads, std::size_t num_kv_heads, Generator& g, bool qkv_bias = false,
                          const char* name = "GroupedQueryAttention");
    // x (B, T, d_in), T <= context_length -> (B, T, d_out)
    Tensor forward(const Tensor& x);
    // dout (B, T, d_out) -> dx; adds into gradients()
    Tensor backward(const Tensor& dout);

    // The K/V head query head h reads: h / (num_heads / num_kv_heads)
    std::size_t kv_head_of(std::size_t query_head) const { return query_head / (num_heads / num_kv_heads); }
    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();
    void zero_grad();
    std::size_t num_parameters() const;
    // The last forward's attention weights, (B, H, T, T), after dropout
    const Tensor& attn_weights() const { return dropout.p() > 0.0 ? attention_.dropped : attention_.weights; }
    // The last forward's heads merged back, before out_proj: (B, T, d_out)
    const Tensor& context_before_proj() const { return merged_; }

    std::size_t num_heads, num_kv_heads, head_dim;
    Linear W_query, W_key, W_value, out_proj;
    Dropout dropout;
    Tensor mask;  // (context_length, context_length): causal_mask

private:
    const char* name_;
    Generator* g_;
    std::vector<Tensor> grads_;  // one per parameter, same order
    // The last forward's input; W_query, W_key and W_value stacked (C + 2 C_kv, d_in)
    // with their biases; its queries, keys and values side by side (B, T, C + 2 C_kv);
    // its context before out_proj (B, T, C); and the mask's (T, T) corner it used
    Tensor x_, w_qkv_, b_qkv_, qkv_, merged_, mask_;
    Attention attention_;     // weights and dropped (the context is merged_)
    Tensor dmerged_, dqkv_;   // the backward's buffers, reused from step to step
};

}  // namespace wb
