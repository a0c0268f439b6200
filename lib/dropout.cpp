#include "lib/dropout.hpp"

#include <cmath>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/ops.hpp"

namespace wb {

Dropout::Dropout(double p) : p_(p) {
    if (!(p >= 0.0 && p <= 1.0))
        throw ValueError(fmt::format("Dropout: p is the probability of dropping an element, in [0, 1]; got {}", p));
}

Tensor Dropout::forward(const Tensor& x, Generator& g) {
    if (p_ == 0.0) {
        mask_ = ones(x.shape());
        return x;
    }
    if (p_ == 1.0) {
        mask_ = zeros(x.shape());
        return zeros(x.shape());
    }
    // torch: noise = bernoulli(1 - p); noise /= (1 - p); out = x * noise, all in float
    // except 1 - p, which is computed in double and rounded once.
    const double keep = 1.0 - p_;
    mask_ = g.bernoulli(x.shape(), keep);
    const float scale = static_cast<float>(keep);
    for (float& m : mask_.values()) m = m / scale;
    return x * mask_;
}

Tensor Dropout::backward(const Tensor& dout) const {
    if (mask_.numel() == 0 && dout.numel() != 0) throw ValueError("Dropout.backward: needs a forward() first");
    if (dout.shape() != mask_.shape())
        throw ShapeError(fmt::format("Dropout.backward: dout of shape {} for a forward of shape {}",
                                     to_string(dout.shape()), to_string(mask_.shape())));
    return dout * mask_;
}

}  // namespace wb
