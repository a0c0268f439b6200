#pragma once
// nn.Linear: y = x @ weight.T + bias, initialised exactly as torch initialises it.
#include "lib/random.hpp"
#include "lib/tensor.hpp"

namespace wb {

struct Linear {
    // torch.nn.Linear(in_features, out_features, bias): draws weight (out x in) then
    // bias (out) from `gen`, uniform in +-1/sqrt(in_features), as torch does.
    Linear(std::size_t in_features, std::size_t out_features, bool bias, Generator& gen);

    // x: (..., in_features) -> (..., out_features)
    Tensor forward(const Tensor& x) const;

    Tensor weight;  // (out_features, in_features)
    Tensor bias;    // (out_features), or empty when the layer has no bias
    bool has_bias;
};

// The bounds torch's default init uses, computed in double precision as torch does:
// kaiming_uniform_(a=sqrt(5)) for the weight, 1/sqrt(fan_in) for the bias. They
// differ in the last bit, which is why both are spelled out.
double linear_weight_bound(std::size_t in_features);
double linear_bias_bound(std::size_t in_features);

}  // namespace wb
