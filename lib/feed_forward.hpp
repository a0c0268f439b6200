#pragma once
// The book's FeedForward (section 4.3): a transformer block's MLP, which widens each
// token's vector, bends it with GELU, and narrows it back. Each token passes alone:
// no token reads another here (that is attention's job).
//
//   x (N, C) -> fc1 -> hpre (N, H) -> GELU -> h (N, H) -> fc2 -> out (N, C)
//
// A mixture of experts (lesson 09) is several of these with a router choosing
// which ones each token visits.
#include <cstddef>
#include <vector>

#include "lib/linear.hpp"
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

class FeedForward {
public:
    // nn.Linear(d_model, hidden) then nn.Linear(hidden, d_model), drawn in that order.
    FeedForward(std::size_t d_model, std::size_t hidden, Generator& g);

    // x (..., C) -> (..., C); keeps x and the hidden activations for backward
    Tensor forward(const Tensor& x);
    // dout (..., C) of the last forward -> dx; adds into gradients()
    Tensor backward(const Tensor& dout);

    std::vector<Tensor*> parameters();  // fc1.weight, fc1.bias, fc2.weight, fc2.bias
    std::vector<Tensor*> gradients();
    std::size_t num_parameters() const;

    Linear fc1, fc2;

private:
    Tensor dfc1_weight_, dfc1_bias_, dfc2_weight_, dfc2_bias_;
    Tensor x_, hpre_, tanh_, h_;  // the last forward's input, hidden activations (N, H) and GELU's tanh
    Tensor dhpre_;                // the backward's buffer (N, H)
};

}  // namespace wb
