#include "lib/random.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/torch_math.hpp"

namespace wb {

Generator::Generator(std::uint64_t seed) { manual_seed(seed); }

// torch keeps only the low 32 bits of the seed for MT19937 (a 64-bit seed is accepted).
void Generator::manual_seed(std::uint64_t seed) {
    engine_.seed(static_cast<std::uint32_t>(seed));
    next_normal_.reset();
}

std::uint32_t Generator::random() { return static_cast<std::uint32_t>(engine_()); }

std::uint64_t Generator::random64() {
    const std::uint64_t hi = random();
    const std::uint64_t lo = random();
    return (hi << 32) | lo;
}

float Generator::uniform_float() { return static_cast<float>(random() & 0xFFFFFFu) * 0x1p-24f; }

double Generator::uniform_double() {
    return static_cast<double>(random64() & ((std::uint64_t{1} << 53) - 1)) * 0x1p-53;
}

// torch's uniform_real_distribution<float>: `from` and `to` are floats, the sample
// x is double, and x * (to - from) + from is evaluated in double. Doing it in float
// gives 1-ulp differences from torch's nn.Linear weights.
float Generator::uniform_float(float from, float to) {
    const double x = static_cast<double>(random() & 0xFFFFFFu) * 0x1p-24;
    return static_cast<float>(x * static_cast<double>(to - from) + static_cast<double>(from));
}

Tensor Generator::rand(const Shape& shape) {
    Tensor t(shape);
    for (float& v : t.values()) v = uniform_float();
    return t;
}

Tensor Generator::uniform(const Shape& shape, float from, float to) {
    Tensor t(shape);
    for (float& v : t.values()) v = uniform_float(from, to);
    return t;
}

Tensor Generator::bernoulli(const Shape& shape, double p) {
    if (!(p >= 0.0 && p <= 1.0)) throw ValueError(fmt::format("bernoulli: p must be in [0, 1], got {}", p));
    Tensor t(shape);
    for (float& v : t.values()) v = uniform_double() < p ? 1.0f : 0.0f;
    return t;
}

namespace {
// torch's AVX2 normal_fill_16: turns 16 uniforms into 16 normals by Box-Muller,
// pairing x[j] with x[j + 8], in float with torch's own log and sincos.
void normal_fill_16(float* x, float mean, float std) {
    const float two_pi = static_cast<float>(2.0 * std::numbers::pi);
    for (int j = 0; j < 8; ++j) {
        const float u1 = 1.0f - x[j];  // [0, 1) -> (0, 1] for the log
        const float u2 = x[j + 8];
        const float radius = std::sqrt(-2.0f * detail::cephes_logf(u1));
        float sin_theta = 0.0f, cos_theta = 0.0f;
        detail::cephes_sincosf(two_pi * u2, sin_theta, cos_theta);
        x[j] = std::fma(radius * cos_theta, std, mean);
        x[j + 8] = std::fma(radius * sin_theta, std, mean);
    }
}
}  // namespace

double Generator::normal_double() {
    if (next_normal_) {
        const double cached = *next_normal_;
        next_normal_.reset();
        return cached;
    }
    const double u1 = uniform_double(), u2 = uniform_double();
    const double r = std::sqrt(-2.0 * std::log(1.0 - u2));
    const double theta = 2.0 * std::numbers::pi * u1;
    next_normal_ = r * std::sin(theta);
    return r * std::cos(theta);
}

Tensor Generator::randn(const Shape& shape) { return normal(shape, 0.0f, 1.0f); }

Tensor Generator::normal(const Shape& shape, float mean, float std) {
    Tensor t(shape);
    std::vector<float>& x = t.values();
    const std::size_t n = x.size();
    if (n < 16) {
        for (float& v : x) v = static_cast<float>(normal_double() * std + mean);
        return t;
    }
    for (float& v : x) v = uniform_float();
    for (std::size_t i = 0; i + 16 <= n; i += 16) normal_fill_16(x.data() + i, mean, std);
    if (n % 16 != 0) {  // torch redraws the last 16 and transforms them again
        float* last = x.data() + n - 16;
        for (std::size_t i = 0; i < 16; ++i) last[i] = uniform_float();
        normal_fill_16(last, mean, std);
    }
    return t;
}

std::vector<std::int64_t> Generator::multinomial(const Tensor& weights, std::size_t num_samples) {
    if (weights.dim() != 1 || weights.numel() == 0)
        throw ShapeError(fmt::format("multinomial: expects a non-empty 1-D tensor of weights, got shape {}",
                                     to_string(weights.shape())));
    // torch's cumulative distribution: a float running sum, divided by the total.
    std::vector<float> cdf(weights.numel());
    float total = 0.0f;
    for (std::size_t j = 0; j < cdf.size(); ++j) {
        const float w = weights.values()[j];
        if (!std::isfinite(w) || w < 0.0f)
            throw ValueError(fmt::format("multinomial: weight {} at index {} is not a finite number >= 0", w, j));
        total += w;
        cdf[j] = total;
    }
    if (!(total > 0.0f)) throw ValueError("multinomial: the weights sum to 0, so no index can be drawn");
    for (float& c : cdf) c /= total;
    cdf.back() = 1.0f;

    std::vector<std::int64_t> samples(num_samples);
    for (auto& s : samples) {
        const double u = uniform_double();
        // the first index whose cumulative probability is not below u
        const auto it = std::lower_bound(cdf.begin(), cdf.end(), u, [](float c, double v) { return c < v; });
        s = it - cdf.begin();
    }
    return samples;
}

std::vector<std::int64_t> Generator::randint(std::int64_t low, std::int64_t high, std::size_t n) {
    if (low >= high)
        throw ValueError(fmt::format("randint: expects low < high, got low {} and high {}", low, high));
    const std::uint64_t range = static_cast<std::uint64_t>(high) - static_cast<std::uint64_t>(low);
    std::vector<std::int64_t> out(n);
    for (auto& v : out) {
        const std::uint64_t draw = range >= (std::uint64_t{1} << 32) ? random64() : random();
        v = static_cast<std::int64_t>(static_cast<std::uint64_t>(low) + draw % range);
    }
    return out;
}

}  // namespace wb
