// Lesson 10: the reference answer.
#include "exercises.hpp"

#include <cmath>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace lesson10 {

void adamw_step(Tensor& p, const Tensor& grad, Tensor& m, Tensor& v, std::size_t t, const AdamWSettings& s) {
    if (grad.shape() != p.shape() || m.shape() != p.shape() || v.shape() != p.shape())
        throw wb::ShapeError(fmt::format("adamw_step: p {}, grad {}, m {} and v {} must have one shape",
                                         wb::to_string(p.shape()), wb::to_string(grad.shape()),
                                         wb::to_string(m.shape()), wb::to_string(v.shape())));
    if (t == 0) throw wb::ValueError("adamw_step: steps are counted from 1; t = 0 would divide by 1 - beta1^0 = 0");
    // m and v start at 0, so after t steps they are too small by the factors 1 - beta^t
    const double correction1 = 1.0 - std::pow(static_cast<double>(s.beta1), static_cast<double>(t));
    const double correction2 = 1.0 - std::pow(static_cast<double>(s.beta2), static_cast<double>(t));
    const auto step_size = static_cast<float>(s.lr / correction1);
    const auto sqrt_correction2 = static_cast<float>(std::sqrt(correction2));
    for (std::size_t i = 0; i < p.numel(); ++i) {
        const float g = grad.data()[i];
        float& mi = m.data()[i];
        float& vi = v.data()[i];
        p.data()[i] *= 1.0f - s.lr * s.weight_decay;  // decay apart from the gradient: the "W" in AdamW
        mi = s.beta1 * mi + (1.0f - s.beta1) * g;
        vi = s.beta2 * vi + (1.0f - s.beta2) * g * g;
        p.data()[i] -= step_size * mi / (std::sqrt(vi) / sqrt_correction2 + s.eps);
    }
}

}  // namespace lesson10
