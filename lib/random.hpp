#pragma once
// Random numbers drawn exactly as PyTorch draws them on the CPU, so that
// `Generator g(123); g.rand({3, 2})` equals `torch.manual_seed(123); torch.rand(3, 2)`
// bit for bit. torch's CPU generator is a standard MT19937; what matters is how
// each sampler turns its 32-bit draws into numbers (see torch-rng notes in data/README.md).
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

class Generator {
public:
    // torch.manual_seed(seed) / torch.Generator().manual_seed(seed)
    explicit Generator(std::uint64_t seed = 67280421310721ULL);  // torch's default seed
    void manual_seed(std::uint64_t seed);

    // The raw engine: one 32-bit draw, and a 64-bit draw made of two (high half first).
    std::uint32_t random();
    std::uint64_t random64();

    // One float32 uniform in [0, 1): the low 24 bits of a draw times 2^-24.
    float uniform_float();
    // One double uniform in [0, 1): the low 53 bits of a 64-bit draw times 2^-53.
    double uniform_double();
    // tensor.uniform_(from, to) for float32: computed in double, rounded once to float.
    float uniform_float(float from, float to);

    // torch.rand(shape): float32 uniforms in [0, 1), filled in row-major order.
    Tensor rand(const Shape& shape);
    // torch.empty(shape).uniform_(from, to)
    Tensor uniform(const Shape& shape, float from, float to);

    // torch.randn(shape): standard normal float32 samples. torch fills tensors of 16
    // or more elements by Box-Muller on blocks of 16 uniforms, and smaller ones one
    // double-precision sample at a time; both are reproduced.
    Tensor randn(const Shape& shape);
    // torch.empty(shape).normal_(mean, std)
    Tensor normal(const Shape& shape, float mean, float std);
    // One double-precision standard normal sample (torch's normal_distribution<double>):
    // Box-Muller makes two, and the second is kept for the next call.
    double normal_double();

    // torch.empty(shape).bernoulli_(p): 1 with probability p, else 0. torch's portable
    // path (Debian's build, the book's output): one double uniform per element, in
    // row-major order, 1 when it is below p. (Builds with Intel MKL draw differently.)
    Tensor bernoulli(const Shape& shape, double p);
    // torch.multinomial(weights, num_samples, replacement=True): indices drawn with
    // probability proportional to the non-negative weights (they need not sum to 1).
    std::vector<std::int64_t> multinomial(const Tensor& weights, std::size_t num_samples);

    // torch.randint(low, high, (n,)): n integers in [low, high). Each is one 32-bit
    // draw modulo the range (a 64-bit draw when the range needs more than 32 bits),
    // so the numbers are very slightly biased towards the low end, exactly as torch's.
    std::vector<std::int64_t> randint(std::int64_t low, std::int64_t high, std::size_t n);

private:
    std::mt19937 engine_;
    std::optional<double> next_normal_;  // the cached second Box-Muller sample
};

}  // namespace wb
