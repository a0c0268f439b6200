#pragma once
// lib-internal: see a wb::Tensor as an xtensor expression and back. Only lib's .cpp
// files and tests include this, so lessons never pay for xtensor's compile time.
#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>

#include "lib/tensor.hpp"

namespace wb::detail {

// A no-copy xtensor view of a tensor's memory (dynamic rank).
inline auto as_xt(const Tensor& t) {
    return xt::adapt(t.data(), t.numel(), xt::no_ownership(), t.shape());
}
inline auto as_xt(Tensor& t) { return xt::adapt(t.data(), t.numel(), xt::no_ownership(), t.shape()); }

// Evaluates an xtensor expression into a new Tensor.
template <typename E>
Tensor from_xt(const xt::xexpression<E>& expr) {
    const xt::xarray<float> a = expr.derived_cast();
    return Tensor(Shape(a.shape().begin(), a.shape().end()), std::vector<float>(a.begin(), a.end()));
}

}  // namespace wb::detail
