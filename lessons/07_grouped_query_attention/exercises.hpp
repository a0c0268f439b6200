#pragma once
// Lesson 07's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 07`. `./workbook run 07` shows the numbers
// yours should produce.
#include <cstdint>

#include "lib/tensor.hpp"

namespace lesson07 {

using wb::Tensor;

// Exercise 7.1: which K/V head does query head `query_head` read? With num_heads
// query heads and num_kv_heads K/V heads, consecutive query heads form groups of
// num_heads / num_kv_heads, and group g reads K/V head g.
//   kv_head_of(3, 4, 2) == 1;  with num_kv_heads == 1 every answer is 0
std::size_t kv_head_of(std::size_t query_head, std::size_t num_heads, std::size_t num_kv_heads);

// Exercise 7.2: copy each K/V head to the query heads of its group.
//   x: (B, H_kv, T, hd) -> (B, H_kv * groups, T, hd), head h of the result = head h / groups of x
//   what torch.repeat_interleave(x, groups, dim=1) gives
Tensor repeat_kv(const Tensor& x, std::size_t groups);

// Exercise 7.3: the bytes of a KV cache: for every token and every layer, a key
// and a value vector of head_dim numbers per K/V head, bytes_per_value bytes each
// (2 for bf16 and fp16, 4 for float32).
//   Llama 3.1 8B (32 layers, 8 K/V heads, head_dim 128, bf16), one token: 131,072
std::uint64_t kv_cache_bytes(std::uint64_t layers, std::uint64_t kv_heads, std::uint64_t head_dim,
                             std::uint64_t bytes_per_value, std::uint64_t tokens);

}  // namespace lesson07
