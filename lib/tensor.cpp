#include "lib/tensor.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

std::string to_string(const Shape& shape) {
    return fmt::format("[{}]", fmt::join(shape, ", "));
}

std::size_t numel(const Shape& shape) {
    std::size_t n = 1;
    for (std::size_t d : shape)
        if (__builtin_mul_overflow(n, d, &n))
            throw ShapeError(fmt::format("shape {} has more elements than memory can address", to_string(shape)));
    return n;
}

Tensor::Tensor() : shape_{0} {}

Tensor::Tensor(Shape shape, float fill) : shape_(std::move(shape)), values_(wb::numel(shape_), fill) {}

Tensor::Tensor(Shape shape, std::vector<float> values) : shape_(std::move(shape)), values_(std::move(values)) {
    if (values_.size() != wb::numel(shape_))
        throw ShapeError(fmt::format("Tensor: shape {} holds {} elements, but {} values were given",
                                     to_string(shape_), wb::numel(shape_), values_.size()));
}

Tensor::Tensor(std::initializer_list<float> values) : shape_{values.size()}, values_(values) {}

Tensor::Tensor(std::initializer_list<std::initializer_list<float>> rows) {
    const std::size_t cols = rows.size() == 0 ? 0 : rows.begin()->size();
    std::size_t r = 0;
    for (const auto& row : rows) {
        if (row.size() != cols)
            throw ShapeError(fmt::format("Tensor: expected sequence of length {} at row {} (got {})",
                                         cols, r, row.size()));
        values_.insert(values_.end(), row.begin(), row.end());
        ++r;
    }
    shape_ = {rows.size(), cols};
}

Tensor Tensor::scalar(float value) { return Tensor(Shape{}, value); }

Tensor zeros(const Shape& shape) { return Tensor(shape, 0.0f); }
Tensor ones(const Shape& shape) { return Tensor(shape, 1.0f); }
Tensor full(const Shape& shape, float value) { return Tensor(shape, value); }

std::size_t Tensor::size(int d) const {
    const int rank = static_cast<int>(dim());
    if (rank == 0)
        throw IndexError(fmt::format("size({}): dimension specified as {} but tensor has no dimensions (a 0-d tensor, "
                                     "a scalar; size(d) takes a tensor of at least 1 dimension)", d, d));
    const int k = d < 0 ? d + rank : d;
    if (k < 0 || k >= rank)
        throw IndexError(fmt::format("size({}): Dimension out of range (expected to be in range of [{}, {}], but got {}) "
                                     "for a tensor of shape {}", d, -rank, rank - 1, d, to_string(shape_)));
    return shape_[static_cast<std::size_t>(k)];
}

std::size_t Tensor::offset(std::initializer_list<std::size_t> index) const {
    if (index.size() != dim())
        throw IndexError(fmt::format("a tensor of shape {} needs {} indices, but {} were given",
                                     to_string(shape_), dim(), index.size()));
    std::size_t flat = 0, d = 0;
    for (std::size_t i : index) {
        if (i >= shape_[d])
            throw IndexError(fmt::format("index {} is out of bounds for dimension {} with size {}", i, d, shape_[d]));
        flat = flat * shape_[d] + i;
        ++d;
    }
    return flat;
}

float& Tensor::operator()(std::size_t i) { return values_[offset({i})]; }
float Tensor::operator()(std::size_t i) const { return values_[offset({i})]; }
float& Tensor::operator()(std::size_t i, std::size_t j) { return values_[offset({i, j})]; }
float Tensor::operator()(std::size_t i, std::size_t j) const { return values_[offset({i, j})]; }
float& Tensor::operator()(std::size_t i, std::size_t j, std::size_t k) { return values_[offset({i, j, k})]; }
float Tensor::operator()(std::size_t i, std::size_t j, std::size_t k) const { return values_[offset({i, j, k})]; }

float Tensor::item() const {
    if (numel() != 1)
        throw ValueError(fmt::format("a Tensor with {} elements cannot be converted to Scalar", numel()));
    return values_[0];
}

Tensor Tensor::row(std::size_t i) const {
    if (dim() == 0) throw IndexError("invalid index of a 0-dim tensor");
    if (i >= shape_[0])
        throw IndexError(fmt::format("index {} is out of bounds for dimension 0 with size {}", i, shape_[0]));
    Shape rest(shape_.begin() + 1, shape_.end());
    const std::size_t n = wb::numel(rest);
    const auto first = values_.begin() + static_cast<std::ptrdiff_t>(i * n);
    return Tensor(rest, std::vector<float>(first, first + static_cast<std::ptrdiff_t>(n)));
}

Tensor Tensor::reshape(Shape shape) const {
    if (wb::numel(shape) != numel())
        throw ShapeError(fmt::format("shape '{}' is invalid for input of size {}", to_string(shape), numel()));
    return Tensor(std::move(shape), values_);
}

}  // namespace wb
