#pragma once
// nn.Dropout in training mode: each element is zeroed with probability p, and the
// ones kept are scaled by 1/(1-p) so the expected value of every element stays
// the same (at inference dropout does nothing, and nothing needs rescaling).
//
//   Generator g(123);                    // torch.manual_seed(123)
//   Dropout dropout(0.5f);               // torch.nn.Dropout(0.5)
//   Tensor y = dropout.forward(x, g);    // dropout(x)
//   Tensor dx = dropout.backward(dy);    // the same elements zeroed, the same scale
//
// The mask is drawn as Debian's torch (and the book) draw it: one double uniform
// per element, in row-major order, kept when below 1-p (Generator::bernoulli).
// PyTorch wheels built with Intel MKL use another stream and show another mask.
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

class Dropout {
public:
    // p in [0, 1]; anything else throws ValueError.
    explicit Dropout(double p);
    double p() const { return p_; }

    // x (any shape) -> x * mask, where mask is 0 or 1/(1-p). As in torch, p = 0
    // returns x and p = 1 returns zeros without drawing any random numbers.
    Tensor forward(const Tensor& x, Generator& g);
    // dx = dout * mask, with the last forward's mask
    Tensor backward(const Tensor& dout) const;
    // The last forward's multipliers: 0 where dropped, 1/(1-p) where kept.
    const Tensor& mask() const { return mask_; }

private:
    double p_;  // a double, as torch's p is a Python float
    Tensor mask_;
};

}  // namespace wb
