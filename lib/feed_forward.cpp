#include "lib/feed_forward.hpp"

#include "lib/layers.hpp"

namespace wb {

FeedForward::FeedForward(std::size_t d_model, std::size_t hidden, Generator& g)
    : fc1(d_model, hidden, true, g),
      fc2(hidden, d_model, true, g),
      dfc1_weight_(fc1.weight.shape()),
      dfc1_bias_(fc1.bias.shape()),
      dfc2_weight_(fc2.weight.shape()),
      dfc2_bias_(fc2.bias.shape()) {}

Tensor FeedForward::forward(const Tensor& x) {
    x_ = x;
    hpre_ = linear_forward(x, fc1.weight, fc1.bias);
    h_ = gelu_forward(hpre_);
    return linear_forward(h_, fc2.weight, fc2.bias);
}

Tensor FeedForward::backward(const Tensor& dout) {
    const Tensor dh = linear_backward(dout, h_, fc2.weight, dfc2_weight_, &dfc2_bias_);
    const Tensor dhpre = gelu_backward(dh, hpre_);
    return linear_backward(dhpre, x_, fc1.weight, dfc1_weight_, &dfc1_bias_);
}

std::vector<Tensor*> FeedForward::parameters() { return {&fc1.weight, &fc1.bias, &fc2.weight, &fc2.bias}; }

std::vector<Tensor*> FeedForward::gradients() { return {&dfc1_weight_, &dfc1_bias_, &dfc2_weight_, &dfc2_bias_}; }

std::size_t FeedForward::num_parameters() const {
    return fc1.weight.numel() + fc1.bias.numel() + fc2.weight.numel() + fc2.bias.numel();
}

}  // namespace wb
