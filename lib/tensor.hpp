#pragma once
// wb::Tensor: the one container lessons and exercises see.
//
// It is deliberately plain: a shape and a row-major std::vector<float>, like a
// contiguous float32 torch tensor. Lessons include this header (and fmt) only;
// the heavy xtensor / BLAS machinery lives in lib's .cpp files, so a lesson or an
// exercise file compiles in about a second.
//
//   Tensor x = {{0.43f, 0.15f, 0.89f},     // torch.tensor([[0.43, 0.15, 0.89],
//               {0.55f, 0.87f, 0.66f}};    //               [0.55, 0.87, 0.66]])
//   x.shape()      -> {2, 3}               // x.shape
//   x(1, 2)        -> 0.66f                // x[1, 2]
//   x.row(1)       -> Tensor {0.55, ...}   // x[1]
#include <cstddef>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace wb {

using Shape = std::vector<std::size_t>;

// "[6, 3]" — how error messages show a shape.
std::string to_string(const Shape& shape);

class Tensor {
public:
    // An empty 1-D tensor, like torch.tensor([]).
    Tensor();
    // A tensor of the given shape filled with `fill` (torch.full); Shape{} is a 0-d scalar.
    explicit Tensor(Shape shape, float fill = 0.0f);
    // A tensor of the given shape holding `values` in row-major order.
    Tensor(Shape shape, std::vector<float> values);
    // Literals, as torch.tensor takes nested lists: 1-D and 2-D. Like torch.tensor,
    // Tensor({6, 3}) is the 1-D tensor [6., 3.]; a 6x3 tensor is zeros({6, 3}).
    Tensor(std::initializer_list<float> values);
    Tensor(std::initializer_list<std::initializer_list<float>> rows);

    // A 0-d tensor, like torch.tensor(1.5).
    static Tensor scalar(float value);

    const Shape& shape() const { return shape_; }
    std::size_t dim() const { return shape_.size(); }
    // Size of dimension d; negative d counts from the end, as in torch (x.size(-1)).
    std::size_t size(int d) const;
    std::size_t numel() const { return values_.size(); }

    // Element access with bounds checks: a wrong index throws IndexError naming it.
    float& operator()(std::size_t i);
    float operator()(std::size_t i) const;
    float& operator()(std::size_t i, std::size_t j);
    float operator()(std::size_t i, std::size_t j) const;
    float& operator()(std::size_t i, std::size_t j, std::size_t k);
    float operator()(std::size_t i, std::size_t j, std::size_t k) const;

    // The single value of a one-element tensor (torch's .item()).
    float item() const;
    // x[i]: the i-th slice along dimension 0, as a copy (a row of a matrix).
    Tensor row(std::size_t i) const;
    // Same values, new shape (torch's reshape); the element counts must agree.
    Tensor reshape(Shape shape) const;

    // The values in row-major order, for loops over every element. On a temporary
    // (`for (float v : x.row(0).values())`) they are moved out, so the loop never
    // reads a tensor that is already gone.
    const std::vector<float>& values() const& { return values_; }
    std::vector<float>& values() & { return values_; }
    std::vector<float> values() && { return std::move(values_); }
    float* data() { return values_.data(); }
    const float* data() const { return values_.data(); }

private:
    std::size_t offset(std::initializer_list<std::size_t> index) const;

    Shape shape_;
    std::vector<float> values_;
};

// Number of elements a shape holds (1 for a 0-d shape).
std::size_t numel(const Shape& shape);

// torch.zeros / torch.ones / torch.full: zeros({6, 6}) is a 6x6 matrix of zeros.
Tensor zeros(const Shape& shape);
Tensor ones(const Shape& shape);
Tensor full(const Shape& shape, float value);

}  // namespace wb
