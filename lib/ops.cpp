#include "lib/ops.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xoperation.hpp>
#include <xtensor/xreducer.hpp>

#include "lib/errors.hpp"
#include "lib/torch_sum.hpp"
#include "lib/xtensor_bridge.hpp"

namespace wb {
namespace {

using detail::as_xt;
using detail::from_xt;

// A dim argument as an index: -1 is the last dimension, as in torch. The message
// is torch's, with the tensor's shape, which says at once why the dim is wrong.
std::size_t wrap_dim(int dim, const Shape& shape, const char* op) {
    const int r = static_cast<int>(std::max<std::size_t>(shape.size(), 1));  // a 0-d tensor takes dim 0 or -1
    if (dim < -r || dim >= r)
        throw IndexError(fmt::format("{}: Dimension out of range (expected to be in range of [{}, {}], but got {}) "
                                     "for {}",
                                     op, -r, r - 1, dim,
                                     shape.empty() ? std::string("a 0-d tensor (a scalar), which takes dim 0 or -1")
                                                   : fmt::format("a tensor of shape {}", to_string(shape))));
    return static_cast<std::size_t>(dim < 0 ? dim + r : dim);
}

// "6x3", as torch writes matrix shapes in matmul errors.
std::string by(const Shape& s) { return fmt::format("{}", fmt::join(s, "x")); }

// torch's broadcasting: align shapes from the right; sizes must match or be 1.
Shape broadcast_shape(const Shape& a, const Shape& b, const char* op) {
    const std::size_t rank = std::max(a.size(), b.size());
    Shape out(rank);
    for (std::size_t i = 0; i < rank; ++i) {  // i counts from the right
        const std::size_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const std::size_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            throw ShapeError(fmt::format(
                "{}: the size of tensor a ({}) must match the size of tensor b ({}) at non-singleton dimension {} "
                "(shapes {} and {})",
                op, da, db, rank - 1 - i, to_string(a), to_string(b)));
        out[rank - 1 - i] = da == 1 ? db : da;  // a size 1 stretches, even to 0
    }
    return out;
}

template <typename F>
Tensor elementwise(const Tensor& a, const Tensor& b, const char* op, F f) {
    const Shape shape = broadcast_shape(a.shape(), b.shape(), op);
    // The common cases as plain loops: equal shapes (a residual connection), and b
    // repeating along a's last dimensions (a bias added to every row).
    const bool b_repeats = b.numel() != 0 && shape == a.shape() && b.dim() <= a.dim() &&
                           std::equal(b.shape().begin(), b.shape().end(), a.shape().end() - static_cast<std::ptrdiff_t>(b.dim()));
    if (b_repeats) {
        Tensor out(a.shape());
        const std::size_t n = b.numel();
        for (std::size_t start = 0; start < a.numel(); start += n)
            for (std::size_t i = 0; i < n; ++i) out.data()[start + i] = f(a.data()[start + i], b.data()[i]);
        return out;
    }
    return from_xt(f(as_xt(a), as_xt(b)));
}

// C (n x m) = A (n x k) @ B (k x m) for row-major blocks, through BLAS sgemm.
void mm(const float* a, const float* b, float* c, std::size_t n, std::size_t k, std::size_t m) {
    const auto A = xt::adapt(a, n * k, xt::no_ownership(), std::array<std::size_t, 2>{n, k});
    const auto B = xt::adapt(b, k * m, xt::no_ownership(), std::array<std::size_t, 2>{k, m});
    auto C = xt::adapt(c, n * m, xt::no_ownership(), std::array<std::size_t, 2>{n, m});
    if (k == 0) C.fill(0.0f);  // BLAS is not asked to multiply empty inner dimensions
    else C = xt::linalg::dot(A, B);
}

// Row-major offset of batch element `i` of `out_batch`, in a tensor whose own
// (broadcast-compatible) batch shape is `batch`.
std::size_t batch_offset(std::size_t i, const Shape& out_batch, const Shape& batch) {
    std::size_t offset = 0, stride = 1;
    for (std::size_t d = out_batch.size(); d-- > 0;) {
        const std::size_t idx = i % out_batch[d];
        i /= out_batch[d];
        const std::size_t k = d + batch.size() - out_batch.size();  // aligned from the right
        if (d + batch.size() >= out_batch.size() && batch[k] != 1) offset += idx * stride;
        if (d + batch.size() >= out_batch.size()) stride *= batch[k];
    }
    return offset;
}

}  // namespace

Tensor dot(const Tensor& a, const Tensor& b) {
    if (a.dim() != 1 || b.dim() != 1)
        throw ShapeError(fmt::format("dot: 1D tensors expected, but got {}D and {}D tensors", a.dim(), b.dim()));
    if (a.numel() != b.numel())
        throw ShapeError(fmt::format("dot: inconsistent tensor size, expected tensor [{}] and src [{}] to have the "
                                     "same number of elements, but got {} and {} elements respectively",
                                     a.numel(), b.numel(), a.numel(), b.numel()));
    return Tensor::scalar(xt::linalg::vdot(as_xt(a), as_xt(b)));
}

Tensor matmul(const Tensor& a, const Tensor& b) {
    if (a.dim() == 0 || b.dim() == 0)
        throw ShapeError(fmt::format("matmul: both arguments to matmul need to be at least 1D, but they are {}D and {}D",
                                     a.dim(), b.dim()));
    if (a.dim() == 1 && b.dim() == 1) return dot(a, b);
    // A vector takes part as a 1 x k row (on the left) or a k x 1 column (on the right).
    const Shape sa = a.dim() == 1 ? Shape{1, a.numel()} : a.shape();
    const Shape sb = b.dim() == 1 ? Shape{b.numel(), 1} : b.shape();
    const std::size_t n = sa[sa.size() - 2], k = sa.back(), m = sb.back();
    if (sb[sb.size() - 2] != k) {
        const char* what = a.dim() == 1 ? "vec and mat" : b.dim() == 1 ? "mat and vec" : "mat1 and mat2";
        throw ShapeError(fmt::format("matmul: {} shapes cannot be multiplied ({} and {})", what, by(a.shape()),
                                     by(b.shape())));
    }
    const Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
    Shape batch;
    try {
        batch = broadcast_shape(batch_a, batch_b, "matmul");
    } catch (const ShapeError&) {
        throw ShapeError(fmt::format("matmul: batch dimensions {} and {} cannot be broadcast (shapes {} and {})",
                                     to_string(batch_a), to_string(batch_b), to_string(a.shape()),
                                     to_string(b.shape())));
    }

    Shape out_shape = batch;
    if (a.dim() > 1) out_shape.push_back(n);
    if (b.dim() > 1) out_shape.push_back(m);
    Tensor out(out_shape);
    if (out.numel() == 0) return out;  // BLAS is not asked to make an empty product
    const std::size_t count = numel(batch);
    for (std::size_t i = 0; i < count; ++i)
        mm(a.data() + batch_offset(i, batch, batch_a) * n * k, b.data() + batch_offset(i, batch, batch_b) * k * m,
           out.data() + i * n * m, n, k, m);
    return out;
}

Tensor transpose(const Tensor& t, int dim0, int dim1) {
    if (t.dim() < 2) return t;
    const std::size_t d0 = wrap_dim(dim0, t.shape(), "transpose"), d1 = wrap_dim(dim1, t.shape(), "transpose");
    if (d0 == d1) return t;
    const std::size_t lo = std::min(d0, d1), hi = std::max(d0, d1);
    // t viewed as (outer, A, mid, B, inner) with A, B the swapped dimensions: the
    // result is (outer, B, mid, A, inner), copied a contiguous `inner` run at a time
    const Shape& s = t.shape();
    const std::size_t A = s[lo], B = s[hi];
    const std::size_t outer = numel(Shape(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(lo)));
    const std::size_t mid = numel(Shape(s.begin() + static_cast<std::ptrdiff_t>(lo) + 1, s.begin() + static_cast<std::ptrdiff_t>(hi)));
    const std::size_t inner = numel(Shape(s.begin() + static_cast<std::ptrdiff_t>(hi) + 1, s.end()));
    Shape out_shape = s;
    std::swap(out_shape[lo], out_shape[hi]);
    Tensor out(out_shape);
    const float* src = t.data();
    float* dst = out.data();
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t b = 0; b < B; ++b)
            for (std::size_t m = 0; m < mid; ++m)
                for (std::size_t a = 0; a < A; ++a)
                    dst = std::copy_n(src + (((o * A + a) * mid + m) * B + b) * inner, inner, dst);  // in output order
    return out;
}

Tensor stack(const std::vector<Tensor>& tensors) {
    if (tensors.empty()) throw ValueError("stack: expects a non-empty list of tensors");
    Shape shape = tensors[0].shape();
    std::vector<float> values;
    values.reserve(tensors.size() * tensors[0].numel());
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (tensors[i].shape() != shape)
            throw ShapeError(fmt::format("stack: expects each tensor to be equal size, but got {} at entry 0 and {} at "
                                         "entry {}",
                                         to_string(shape), to_string(tensors[i].shape()), i));
        values.insert(values.end(), tensors[i].values().begin(), tensors[i].values().end());
    }
    shape.insert(shape.begin(), tensors.size());
    return Tensor(std::move(shape), std::move(values));
}

Tensor cat(const std::vector<Tensor>& tensors, int dim) {
    if (tensors.empty()) throw ValueError("cat: expects a non-empty list of tensors");
    const Shape& first = tensors[0].shape();
    if (first.empty()) throw ShapeError("cat: zero-dimensional tensor (at entry 0) cannot be concatenated");
    const std::size_t d = wrap_dim(dim, first, "cat");
    Shape shape = first;
    shape[d] = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const Shape& s = tensors[i].shape();
        bool fits = s.size() == first.size();
        for (std::size_t k = 0; fits && k < s.size(); ++k) fits = k == d || s[k] == first[k];
        if (!fits)
            throw ShapeError(fmt::format("cat: sizes of tensors must match except in dimension {}; got {} at entry 0 "
                                         "and {} at entry {}",
                                         d, to_string(first), to_string(s), i));
        shape[d] += s[d];
    }
    // Each tensor contributes a block of shape[d+1:] rows per index of the dims before d.
    std::size_t outer = 1, inner = 1;
    for (std::size_t k = 0; k < d; ++k) outer *= first[k];
    for (std::size_t k = d + 1; k < first.size(); ++k) inner *= first[k];
    std::vector<float> values;
    values.reserve(numel(shape));
    for (std::size_t o = 0; o < outer; ++o)
        for (const Tensor& t : tensors) {
            const std::size_t block = t.shape()[d] * inner;
            values.insert(values.end(), t.values().begin() + static_cast<std::ptrdiff_t>(o * block),
                          t.values().begin() + static_cast<std::ptrdiff_t>((o + 1) * block));
        }
    return Tensor(std::move(shape), std::move(values));
}

Tensor T(const Tensor& t) {
    if (t.dim() > 2)
        throw ShapeError(fmt::format("T: expects a tensor with <= 2 dimensions, but got shape {}; use transpose(t, -2, -1)",
                                     to_string(t.shape())));
    return transpose(t, 0, 1);
}

// Sums add up in torch's order (lib/torch_sum.hpp), so printed sums match torch's digits.
Tensor sum(const Tensor& t) { return Tensor::scalar(detail::torch_inner_sum(t.data(), t.numel())); }

Tensor sum(const Tensor& t, int dim, bool keepdim) {
    const std::size_t d = wrap_dim(dim, t.shape(), "sum");  // a 0-d tensor takes dim 0 or -1, as in torch
    if (t.dim() == 0) return t;
    const Shape& s = t.shape();
    std::size_t outer = 1, inner = 1;
    for (std::size_t k = 0; k < d; ++k) outer *= s[k];
    for (std::size_t k = d + 1; k < s.size(); ++k) inner *= s[k];
    Shape out_shape = s;
    out_shape[d] = 1;
    Tensor out(out_shape);
    if (inner == 1)
        for (std::size_t o = 0; o < outer; ++o) out.values()[o] = detail::torch_inner_sum(t.data() + o * s[d], s[d]);
    else
        detail::torch_outer_sum(t.data(), outer, s[d], inner, out.data());
    if (!keepdim) out_shape.erase(out_shape.begin() + static_cast<std::ptrdiff_t>(d));
    return out.reshape(out_shape);
}

Tensor amax(const Tensor& t, int dim, bool keepdim) {
    if (t.dim() == 0) return t;
    const std::size_t d = wrap_dim(dim, t.shape(), "amax");
    if (t.shape()[d] == 0)
        throw ValueError(fmt::format("amax: Expected reduction dim {} to have non-zero size (shape {})", d,
                                     to_string(t.shape())));
    return keepdim ? from_xt(xt::amax(as_xt(t), {d}, xt::keep_dims)) : from_xt(xt::amax(as_xt(t), {d}));
}

Tensor operator+(const Tensor& a, const Tensor& b) {
    return elementwise(a, b, "add", [](const auto& x, const auto& y) { return x + y; });
}
Tensor operator-(const Tensor& a, const Tensor& b) {
    return elementwise(a, b, "sub", [](const auto& x, const auto& y) { return x - y; });
}
Tensor operator*(const Tensor& a, const Tensor& b) {
    return elementwise(a, b, "mul", [](const auto& x, const auto& y) { return x * y; });
}
Tensor operator/(const Tensor& a, const Tensor& b) {
    return elementwise(a, b, "div", [](const auto& x, const auto& y) { return x / y; });
}
Tensor operator+(const Tensor& a, float b) { return from_xt(as_xt(a) + b); }
Tensor operator-(const Tensor& a, float b) { return from_xt(as_xt(a) - b); }
Tensor operator*(const Tensor& a, float b) { return from_xt(as_xt(a) * b); }
Tensor operator/(const Tensor& a, float b) { return from_xt(as_xt(a) / b); }
Tensor operator*(float a, const Tensor& b) { return b * a; }

Tensor& operator+=(Tensor& a, const Tensor& b) {
    if (broadcast_shape(a.shape(), b.shape(), "add_") != a.shape())
        throw ShapeError(fmt::format("add_: output with shape {} doesn't match the broadcast shape {}",
                                     to_string(a.shape()), to_string(broadcast_shape(a.shape(), b.shape(), "add_"))));
    if (a.shape() == b.shape()) {  // a residual connection: a plain loop
        for (std::size_t i = 0; i < a.numel(); ++i) a.data()[i] += b.data()[i];
        return a;
    }
    auto x = as_xt(a);
    x += as_xt(b);
    return a;
}

Tensor exp(const Tensor& t) { return from_xt(xt::exp(as_xt(t))); }
Tensor log(const Tensor& t) { return from_xt(xt::log(as_xt(t))); }

Tensor softmax(const Tensor& t, int dim) {
    if (t.dim() == 0) return softmax(t.reshape({1}), 0).reshape({});
    const std::size_t d = wrap_dim(dim, t.shape(), "softmax");
    if (t.numel() == 0) return t;
    // Reductions are materialised before they broadcast (a lazy keep_dims reducer
    // reads out of bounds in xtensor 0.24).
    const xt::xarray<float> row_max = xt::amax(as_xt(t), {d}, xt::keep_dims);
    Tensor e = from_xt(xt::exp(as_xt(t) - row_max));
    // torch multiplies by 1 / sum rather than dividing: the same on paper, not in the last bit
    const Tensor total = sum(e, static_cast<int>(d), true);
    return from_xt(as_xt(e) * (1.0f / as_xt(total)));
}

Tensor softmax_naive(const Tensor& t, int dim) {
    if (t.dim() == 0) return softmax_naive(t.reshape({1}), 0).reshape({});
    const std::size_t d = wrap_dim(dim, t.shape(), "softmax_naive");
    if (t.numel() == 0) return t;
    const Tensor e = exp(t);
    return e / sum(e, static_cast<int>(d), true);
}

Tensor masked_fill(const Tensor& t, const Tensor& mask, float value) {
    if (broadcast_shape(t.shape(), mask.shape(), "masked_fill") != t.shape())
        throw ShapeError(fmt::format("masked_fill: mask of shape {} does not broadcast to the tensor's shape {}",
                                     to_string(mask.shape()), to_string(t.shape())));
    return from_xt(xt::where(xt::not_equal(as_xt(mask), 0.0f), value, as_xt(t)));
}

namespace {
// Keeps the elements (i, j) of each trailing matrix for which keep(j - i) holds.
template <typename Keep>
Tensor triangle(const Tensor& t, const char* op, Keep keep) {
    if (t.dim() < 2)
        throw ShapeError(fmt::format("{}: input tensor must have at least 2 dimensions, but got shape {}", op,
                                     to_string(t.shape())));
    Tensor out = t;
    const std::size_t rows = t.size(-2), cols = t.size(-1);
    for (std::size_t e = 0; e < out.numel(); ++e) {
        const auto i = static_cast<long>((e / cols) % rows), j = static_cast<long>(e % cols);
        if (!keep(j - i)) out.values()[e] = 0.0f;
    }
    return out;
}
}  // namespace

Tensor triu(const Tensor& t, int diagonal) {
    return triangle(t, "triu", [diagonal](long offset) { return offset >= diagonal; });
}
Tensor tril(const Tensor& t, int diagonal) {
    return triangle(t, "tril", [diagonal](long offset) { return offset <= diagonal; });
}

}  // namespace wb
