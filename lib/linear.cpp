#include "lib/linear.hpp"

#include <cmath>

#include "lib/layers.hpp"

namespace wb {

double linear_weight_bound(std::size_t in_features) {
    if (in_features == 0) return 0.0;
    const double a = std::sqrt(5.0);
    const double gain = std::sqrt(2.0 / (1.0 + a * a));  // calculate_gain('leaky_relu', a)
    const double std = gain / std::sqrt(static_cast<double>(in_features));
    return std::sqrt(3.0) * std;
}

double linear_bias_bound(std::size_t in_features) {
    return in_features == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(in_features));
}

Linear::Linear(std::size_t in_features, std::size_t out_features, bool bias, Generator& gen)
    : weight(gen.uniform({out_features, in_features}, static_cast<float>(-linear_weight_bound(in_features)),
                         static_cast<float>(linear_weight_bound(in_features)))),
      bias(bias ? gen.uniform({out_features}, static_cast<float>(-linear_bias_bound(in_features)),
                              static_cast<float>(linear_bias_bound(in_features)))
                : Tensor()),
      has_bias(bias) {}

Tensor Linear::forward(const Tensor& x) const { return linear_forward(x, weight, bias); }

}  // namespace wb
