#pragma once
// The attention modules of the book's chapter 3, as it builds them:
//
//   SelfAttention_v1   3.4  W_query, W_key, W_value as plain (d_in, d_out) matrices from torch.rand
//   SelfAttention_v2   3.4  the same with nn.Linear layers (no bias), torch's Linear init
//   CausalAttention    3.5  v2 plus the causal mask, dropout and a batch dimension
//
// Each takes a Generator that plays torch's global one: the constructor draws the
// weights from it, as `torch.manual_seed(123); CausalAttention(...)` does, and
// CausalAttention's dropout draws its masks from it during forward, so the
// generator must outlive the module.
//
//   Generator g(123);
//   CausalAttention ca(3, 2, 6, 0.0, g);    // d_in, d_out, context_length, dropout
//   Tensor context = ca.forward(batch);      // (2, 6, 3) -> (2, 6, 2)
//   Tensor dbatch = ca.backward(dcontext);   // adds into ca's gradients()
#include <vector>

#include "lib/attention.hpp"
#include "lib/dropout.hpp"
#include "lib/linear.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

class SelfAttention_v1 {
public:
    // W_query, W_key, W_value = torch.rand(d_in, d_out), drawn in that order
    SelfAttention_v1(std::size_t d_in, std::size_t d_out, Generator& g);
    // Given matrices, all (d_in, d_out)
    SelfAttention_v1(Tensor W_query, Tensor W_key, Tensor W_value);
    // x (T, d_in) -> context (T, d_out)
    Tensor forward(const Tensor& x) const;

    Tensor W_query, W_key, W_value;  // (d_in, d_out): x @ W
};

namespace detail {
// d_in, after checking that neither width is 0 (a width of 0 would divide by sqrt(0)).
std::size_t checked_width(std::size_t d_in, std::size_t d_out);

// What v2 and CausalAttention share: three Linear projections, scaled dot-product
// attention between them, and the backward through both.
class QKVAttention {
public:
    Linear W_query, W_key, W_value;  // weight (d_out, d_in): x @ weight.T

    // The gradients, same shapes as the parameters (biases only with qkv_bias).
    std::vector<Tensor*> parameters();
    std::vector<Tensor*> gradients();
    void zero_grad();
    // The last forward's attention weights (after dropout, if any): (..., T, T)
    const Tensor& attn_weights() const { return attention_.dropped; }

protected:
    QKVAttention(std::size_t d_in, std::size_t d_out, bool qkv_bias, Generator& g);
    // x (..., T, d_in) -> context (..., T, d_out)
    Tensor attend(const Tensor& x, const Tensor& mask, Dropout* dropout, Generator* g);
    Tensor attend_backward(const Tensor& dcontext, const Dropout* dropout);

private:
    struct LinearGrads {
        Tensor weight, bias;
    };
    LinearGrads d_query_, d_key_, d_value_;
    Tensor x_, queries_, keys_, values_;
    Attention attention_;
};
}  // namespace detail

class SelfAttention_v2 : public detail::QKVAttention {
public:
    SelfAttention_v2(std::size_t d_in, std::size_t d_out, Generator& g, bool qkv_bias = false);
    // x (T, d_in) or (B, T, d_in) -> context (..., T, d_out)
    Tensor forward(const Tensor& x);
    // dcontext -> dx; adds the weights' gradients into gradients()
    Tensor backward(const Tensor& dcontext);
};

class CausalAttention : public detail::QKVAttention {
public:
    // context_length: the longest sequence the mask covers; dropout: p of nn.Dropout
    CausalAttention(std::size_t d_in, std::size_t d_out, std::size_t context_length, double dropout, Generator& g,
                    bool qkv_bias = false);
    // x (B, T, d_in), T <= context_length -> context (B, T, d_out). Dropout (if p > 0)
    // draws from the generator given to the constructor, as torch's global one.
    Tensor forward(const Tensor& x);
    Tensor backward(const Tensor& dcontext);

    Tensor mask;  // (context_length, context_length): causal_mask
    Dropout dropout;

private:
    Generator* g_;
};

}  // namespace wb
